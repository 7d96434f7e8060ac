// The bounded ranking by cells (IndexKind kIvf in index.h): faiss's IVF clustering picks
// the cells and the cells each query searches; the searched cells are scored on BLAS.
//
// Cells: ivf_cells.h (faiss k-means of the targets put on a sphere, faiss's quantizer picks
// a query's `probe` cells). Targets with a NaN bias are in no cell.
//
// Scoring: faiss 1.7.3 as Debian builds it scans an IVF list one vector at a time with
// SSE (ivf_flat_index.h, the same cells in its IndexIVFFlat; measured side by side in
// docs/scale.md), so the searched cells are scored like the exact ranking: queries in chunks; per
// cell, the chunk's queries that search it in blocks of kQueryBlock against the cell's targets in
// tiles of up to kCellTile (block_rows.h), each query's cells in tiers of rank, nearest
// first (its selector's threshold rises early). Each query keeps its best k by
// (ExactScore, lower id), as the exact ranking does, so with every cell searched the
// lists are the exact ones, ties included. Cells searched: lists + probe x targets / lists scores a
// query instead of targets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/dense/index.h"

namespace faiss {
struct IndexFlatL2;
}  // namespace faiss

namespace botify::dense {

// Thread-compatible; Search may run concurrently.
class IvfIndex final : public Index {
 public:
  // A cell's targets are padded to a multiple of kCellRows and scored kCellTile at a time.
  static constexpr std::size_t kCellRows = 16;
  static constexpr std::size_t kCellTile = 512;

  // `options.kind` must be kIvf (validated). Errors: faiss refusing the parameters.
  static Result<std::unique_ptr<IvfIndex>> Build(const Targets& targets,
                                                 const IndexOptions& options);
  ~IvfIndex() override;

  Status Search(const Queries& queries, std::size_t k, int threads, const RankedSink& sink,
                const Progress& progress = {}) const override;

 private:
  IvfIndex() = default;

  std::size_t cols_ = 0;
  std::size_t probe_ = 0;  // <= cells
  // The centroids, on the sphere (cols_ + 2 dims); null when there are no candidates.
  std::unique_ptr<faiss::IndexFlatL2> quantizer_;
  std::vector<float> packed_;        // cell after cell, whole tiles: rows of cols_ + 1
  std::vector<std::uint32_t> ids_;   // target id of each packed row (padding: kNoTarget)
  std::vector<std::size_t> begin_;   // cell -> first packed row; cells + 1 entries
  std::vector<std::size_t> row_of_;  // target id -> its packed row (targets in no cell: 0)
  float max_row_norm_ = 0;           // MaxRowNorm of the packed rows, for ScoreMargin
};

}  // namespace botify::dense
