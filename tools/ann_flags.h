// The flags of a ranking's search (engine/dense/index.h), shared by `train contextual`
// (prefix --ann) and `train mf`/`mf-export` (prefix --export):
//
//   <p>-index exact|ivf|hnsw|ivf-flat
//                                exact (default) scores every pair on BLAS; ivf: faiss
//                                k-means cells scored on BLAS; hnsw: a faiss IndexHNSWFlat;
//                                ivf-flat: ivf's cells in a faiss IndexIVFFlat, faiss's scan
//   <p>-clusters C  <p>-probe P  ivf, ivf-flat: faiss nlist and nprobe (C > 0 alone selects
//                                ivf)
//   <p>-hnsw-m M  <p>-ef-construction E  <p>-ef-search S
//                                hnsw: faiss M, efConstruction, efSearch
//   <p>-build-threads N          faiss's OpenMP threads while building (default 1)
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "engine/dense/index.h"

namespace botify::tools {

class AnnFlags {
 public:
  // Registers the flags above with `prefix` (e.g. "--ann"); `list` names whose lists are
  // ranked (e.g. "track's"), `what` what is searched (e.g. "targets").
  void Add(CLI::App* cmd, const std::string& prefix, const std::string& list,
           const std::string& what);

  // The index options, validated; `seed` is the command's.
  Result<dense::IndexOptions> Resolve(std::uint64_t seed) const;

  // The flag that selects the index, e.g. "--ann-index" (for messages).
  const std::string& index_flag() const { return index_flag_; }

 private:
  std::string prefix_;
  std::string index_flag_;
  std::string index_;  // empty: exact unless clusters_ > 0
  dense::IndexOptions values_;
  int build_threads_ = 1;
};

}  // namespace botify::tools
