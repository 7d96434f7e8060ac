// Top-k targets by inner product for many queries (engine/dense/rows.h), exact or bounded:
// the interface the trainers rank with (the MF export and evaluation, the contextual
// lists). Implementations: exact_index.h (every target scored on BLAS), ivf_index.h
// (faiss's k-means cells, the searched ones scored on BLAS), hnsw_index.h (a faiss HNSW
// graph, its candidates re-scored) and ivf_flat_index.h (ivf_index.h's cells scanned by
// faiss's IndexIVFFlat, to compare the two scans). BuildIndex picks one from IndexOptions.
//
// Order of a list: score = dot(query, target) + bias descending, equal scores to the lower
// target id. Scores are floats computed by the implementation: two implementations can
// order two targets whose scores are within float rounding of each other differently
// (near-ties), never two whose scores differ by more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "engine/dense/rows.h"

namespace botify::dense {

enum class IndexKind {
  kExact,    // every candidate scored (exact_index.h)
  kIvf,      // `lists` faiss k-means cells, `probe` of them searched per query (ivf_index.h)
  kHnsw,     // a faiss IndexHNSWFlat graph, `hnsw_m` links a node, `ef_search` wide (hnsw_index.h)
  kIvfFlat,  // kIvf's cells in a faiss IndexIVFFlat, scanned by faiss (ivf_flat_index.h)
};

struct IndexOptions {
  IndexKind kind = IndexKind::kExact;

  // --- IVF (kinds kIvf and kIvfFlat): lists = the cells (faiss's nlist), probe = cells searched
  // per query (nprobe). About lists + probe x targets / lists scores a query; lists ~ sqrt(targets)
  // balances the two terms (faiss suggests 4 sqrt(targets) for its own scan).
  std::size_t lists = 0;
  std::size_t probe = 16;  // in [1, lists]

  // --- HNSW (kind kHnsw): hnsw_m = faiss M (links per node and layer; 2 M on the
  // bottom layer), ef_construction and ef_search = faiss efConstruction / efSearch (the
  // candidate list's width while building and searching; raised at search to what the
  // query asks of faiss, hnsw_index.h). Larger: higher recall, slower.
  std::size_t hnsw_m = 32;
  std::size_t ef_construction = 40;
  std::size_t ef_search = 128;

  // --- Both bounded kinds.
  // Seeds the IVF k-means (its sample and initial centroids) and the HNSW levels.
  std::uint64_t seed = 0;
  // faiss's OpenMP threads while building. IVF: its k-means loops (the cells do not
  // depend on it; most of the work is BLAS, on the calling thread). HNSW: parallel
  // inserts, after which the graph (so the lists) depends on the schedule; 1 gives the
  // same graph every run. Idle OpenMP threads spin: more is not free.
  int build_threads = 1;

  Status Validate() const;
};

// "exact", "ivf", "hnsw" or "ivf-flat".
const char* IndexKindName(IndexKind kind);

// The kind and its parameters for a log line, e.g. "exact", "ivf: faiss k-means cells,
// scored on BLAS (nlist 707, nprobe 16)".
std::string Describe(const IndexOptions& options);

// Built once over a set of targets, then searched by any number of query sets.
// Thread-compatible; Search is const and may run concurrently with other Searches.
class Index {
 public:
  virtual ~Index() = default;

  // Ranks each query's best k targets into `sink` (rows.h), on `threads` workers
  // including the caller. A query's list never holds its excluded targets nor targets
  // with a NaN bias. The lists do not depend on `threads`.
  virtual Status Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                        const Progress& progress = {}) const = 0;
};

// Builds the index `options` names over `targets` (copied: the views need not outlive
// it). Errors: invalid options or shapes.
Result<std::unique_ptr<Index>> BuildIndex(const Targets& targets, const IndexOptions& options);

}  // namespace botify::dense
