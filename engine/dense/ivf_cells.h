// The cells of the two IVF searches (ivf_index.h scores the searched cells on BLAS,
// ivf_flat_index.h has faiss's IndexIVFFlat scan them): the targets put on a sphere,
// grouped by faiss's k-means, with the quantizer that picks a query's cells.
//
// A score is q.x with q = (query, 1) and x = (target, bias). Appending e =
// sqrt(M^2 - |x|^2) to every x (M the largest |x|) puts the targets on a sphere without
// changing q.x (q gets a 0 there), and on the sphere |q - x|^2 = |q|^2 + M^2 - 2 q.x: the
// nearest point in L2 is the best score (Bachrach et al., RecSys 2014). faiss::Clustering
// (k-means, 10 Lloyd steps, seeded, as IndexIVFFlat trains its cells) groups these points
// into `lists` cells around centroids in a faiss::IndexFlatL2, and each query searches
// the `probe` cells whose centroids are nearest to (q, 1, 0) (IndexIVF's coarse quantizer
// search). Targets with a NaN bias are in no cell. The cells depend on the targets,
// `lists` and `seed` only (not on options.build_threads).
#pragma once

#include <faiss/IndexFlat.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"
#include "engine/dense/index.h"
#include "engine/dense/rows.h"

namespace botify::dense {

// Thread-compatible once built; the quantizer's searches are const.
struct IvfCells {
  using Label = faiss::Index::idx_t;

  std::size_t dims = 0;                           // cols + 2: (target, bias, e)
  std::vector<float> points;                      // the candidates on the sphere, rows of `dims`
  std::vector<std::uint32_t> ids;                 // target id of each point
  std::vector<Label> cell_of;                     // the cell of each point, in [0, cells)
  std::size_t cells = 0;                          // min(lists, candidates); 0 without candidates
  std::unique_ptr<faiss::IndexFlatL2> quantizer;  // the centroids; null when cells == 0
};

// Clusters `targets` into options.lists cells (options.kind kIvf or kIvfFlat; validated by
// the caller). Errors: faiss refusing the parameters.
Result<IvfCells> BuildIvfCells(const Targets& targets, const IndexOptions& options);

// Appends the query row (vector[0..cols), 1, 0) that the quantizer and a sphere-point
// scan take.
void AppendSphereQuery(const float* vector, std::size_t cols, std::vector<float>* rows);

}  // namespace botify::dense
