// Work distribution of the dense rankings: queries cut into chunks that worker
// threads take one after the other.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace botify::dense {

// Ranks one chunk of queries; each worker gets its own (it may keep scratch state).
using ChunkWork = std::function<void(std::span<const std::uint32_t> chunk)>;
// (queries done, queries in total).
using ChunkProgress = std::function<void(std::size_t done, std::size_t total)>;

// Calls make_work() once per worker, then that worker's ChunkWork on chunks of `chunk`
// consecutive queries until none is left (each chunk exactly once, in no fixed order), on
// `threads` threads including the caller's; `progress` (may be empty) after every chunk,
// under a lock.
void RunInChunks(std::span<const std::uint32_t> queries, std::size_t chunk, int threads,
                 const std::function<ChunkWork()>& make_work, const ChunkProgress& progress);

}  // namespace botify::dense
