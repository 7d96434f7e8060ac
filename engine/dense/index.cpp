#include "engine/dense/index.h"

#include <fmt/format.h>

#include "engine/dense/exact_index.h"
#include "engine/dense/hnsw_index.h"
#include "engine/dense/ivf_flat_index.h"
#include "engine/dense/ivf_index.h"

namespace botify::dense {

const char* IndexKindName(IndexKind kind) {
  switch (kind) {
    case IndexKind::kExact:
      return "exact";
    case IndexKind::kIvf:
      return "ivf";
    case IndexKind::kHnsw:
      return "hnsw";
    case IndexKind::kIvfFlat:
      return "ivf-flat";
  }
  return "?";
}

std::string Describe(const IndexOptions& o) {
  switch (o.kind) {
    case IndexKind::kExact:
      break;
    case IndexKind::kIvf:
      return fmt::format("ivf: faiss k-means cells, scored on BLAS (nlist {}, nprobe {})", o.lists,
                         o.probe);
    case IndexKind::kHnsw:
      return fmt::format(
          "hnsw: faiss HNSW-Flat, inner product (M {}, efConstruction {}, efSearch {})", o.hnsw_m,
          o.ef_construction, o.ef_search);
    case IndexKind::kIvfFlat:
      return fmt::format(
          "ivf-flat: faiss k-means cells, scanned by faiss IndexIVFFlat (nlist {}, nprobe {})",
          o.lists, o.probe);
  }
  return "exact";
}

Status IndexOptions::Validate() const {
  if (kind == IndexKind::kIvf || kind == IndexKind::kIvfFlat) {
    if (lists < 1) return Status::InvalidArgument("ivf nlist must be at least 1");
    if (probe < 1 || probe > lists) {
      return Status::InvalidArgument(
          fmt::format("ivf nprobe must be in [1, nlist = {}], got {}", lists, probe));
    }
  }
  if (kind == IndexKind::kHnsw) {
    if (hnsw_m < 2 || hnsw_m > 256) {
      return Status::InvalidArgument(fmt::format("hnsw M must be in [2, 256], got {}", hnsw_m));
    }
    if (ef_construction < 1 || ef_search < 1) {
      return Status::InvalidArgument(
          fmt::format("hnsw efConstruction and efSearch must be at least 1, got {} and {}",
                      ef_construction, ef_search));
    }
  }
  if (build_threads < 1 || build_threads > 256) {
    return Status::InvalidArgument(
        fmt::format("build threads must be in [1, 256], got {}", build_threads));
  }
  return Status::Ok();
}

Result<std::unique_ptr<Index>> BuildIndex(const Targets& targets, const IndexOptions& options) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (targets.bias.size() != targets.vectors.rows) {
    return Status::InvalidArgument(fmt::format("{} target biases for {} target vectors",
                                               targets.bias.size(), targets.vectors.rows));
  }
  if (targets.vectors.stride < targets.vectors.cols) {
    return Status::InvalidArgument(fmt::format("target stride {} is below its {} columns",
                                               targets.vectors.stride, targets.vectors.cols));
  }
  switch (options.kind) {
    case IndexKind::kExact:
      break;
    case IndexKind::kIvf: {
      auto ivf = IvfIndex::Build(targets, options);
      if (!ivf.ok()) return ivf.status();
      return std::unique_ptr<Index>(std::move(ivf).value());
    }
    case IndexKind::kHnsw: {
      auto hnsw = HnswIndex::Build(targets, options);
      if (!hnsw.ok()) return hnsw.status();
      return std::unique_ptr<Index>(std::move(hnsw).value());
    }
    case IndexKind::kIvfFlat: {
      auto flat = IvfFlatIndex::Build(targets, options);
      if (!flat.ok()) return flat.status();
      return std::unique_ptr<Index>(std::move(flat).value());
    }
  }
  return std::unique_ptr<Index>(std::make_unique<ExactIndex>(targets));
}

}  // namespace botify::dense
