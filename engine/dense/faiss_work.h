// Threads around faiss calls (ivf_index.h, hnsw_index.h): OpenMP's thread count per scope,
// and chunked work whose faiss calls stay on their worker's thread.
#pragma once

#include <omp.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "base/status.h"
#include "engine/dense/chunked_work.h"

namespace botify::dense {

// Sets the calling thread's OpenMP thread count for a scope. OpenMP's setting is per
// thread: faiss's parallel loops started from this thread use it, other threads keep
// theirs. Thread-compatible (one per scope, on the thread that made it).
class OmpThreads {
 public:
  explicit OmpThreads(int n) : before_(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~OmpThreads() { omp_set_num_threads(before_); }
  OmpThreads(const OmpThreads&) = delete;
  OmpThreads& operator=(const OmpThreads&) = delete;

 private:
  int before_;
};

// RunInChunks (chunked_work.h) for work that calls faiss: every worker runs OpenMP on one
// thread (so faiss's loops do not start threads of their own inside the workers), and an
// exception (faiss reports errors by throwing) skips the chunks not yet started and is
// returned as Internal("<what>: <message>"). The caller's OpenMP setting is restored.
Status RunFaissChunks(std::span<const std::uint32_t> queries, std::size_t chunk, int threads,
                      const std::function<ChunkWork()>& make_work, const ChunkProgress& progress,
                      const std::string& what);

// RunFaissChunks with one default-constructed `Worker` (scratch) per worker thread:
// search_chunk(chunk, &worker) is called for every chunk, concurrently on different
// workers; it must be safe to call so.
template <typename Worker, typename SearchChunk>
Status RunFaissChunksWithScratch(std::span<const std::uint32_t> queries, std::size_t chunk,
                                 int threads, const SearchChunk& search_chunk,
                                 const ChunkProgress& progress, const std::string& what) {
  return RunFaissChunks(
      queries, chunk, threads,
      [&search_chunk]() -> ChunkWork {
        return [&search_chunk, w = Worker()](std::span<const std::uint32_t> c) mutable {
          search_chunk(c, &w);
        };
      },
      progress, what);
}

}  // namespace botify::dense
