// What the dense rankings (engine/dense/index.h) read: query and target vectors as views of
// row-major float matrices, a bias per target, and the exclusions of each query.
//
// score(q, t) = dot(query row q, target row t) + bias[t], in float. A NaN bias makes a
// target never ranked (e.g. a track never seen as a target).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace botify::dense {

// A read-only view of `rows` x `cols` floats, row i at data + i * stride (stride >= cols;
// the floats past cols are ignored). The caller keeps the floats alive while it is used.
struct MatrixView {
  const float* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::size_t stride = 0;
  const float* row(std::size_t i) const { return data + i * stride; }
};

// The ranked side: target t is row t of `vectors` with bias[t] (bias.size() ==
// vectors.rows). Target ids are row numbers.
struct Targets {
  MatrixView vectors;
  std::span<const float> bias;
};

// The ranking side: each id of `ids` is ranked once, with the query vector
// vectors.row(id) (vectors.cols must equal the targets'). excluded(id), if set, lists
// ascending target ids that query must not get (a user's train items, the context track
// itself); it is called from worker threads and its span must stay valid until the query's
// list has been delivered.
struct Queries {
  std::span<const std::uint32_t> ids;
  MatrixView vectors;
  std::function<std::span<const std::uint32_t>(std::uint32_t id)> excluded;
};

// Receives one query's targets, best first (at most k; fewer if fewer candidates). Called
// from worker threads, concurrently for different queries, exactly once per query; the
// span is valid only during the call.
using RankedSink = std::function<void(std::uint32_t query, std::span<const std::uint32_t> ranked)>;

// (queries ranked, queries in total); called under a lock, from any worker, after each
// unit of work.
using Progress = std::function<void(std::size_t done, std::size_t total)>;

}  // namespace botify::dense
