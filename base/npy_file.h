// NumPy .npy files of 2-D float matrices: the format of the world's track embeddings
// (docs/contracts.md §8), so that numpy.load reads what we write and we read what NumPy
// wrote, in any layout it writes for a 2-D float array.
// Written: format version 1.0, dtype '<f4', C order, shape (rows, cols), header padded to
// a multiple of 64 bytes as NumPy does.
// Read: format versions 1.0, 2.0 and 3.0; dtype float32 or float64 ('<f4', '>f4', '<f8',
// '>f8'), C or Fortran order, rank 2. Values are converted to float32 (a float64 value
// outside float32's range is an error). Anything else is rejected with a message naming
// the file and what is unsupported.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"

namespace botify {

// A dense row-major float32 matrix. Thread-compatible value type.
struct FloatMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<float> data;  // rows * cols values, row i at [i * cols, (i + 1) * cols)

  std::span<const float> row(std::size_t i) const { return {data.data() + i * cols, cols}; }
  std::span<float> row(std::size_t i) { return {data.data() + i * cols, cols}; }
};

// How a read file was stored, for reports (`botify world check`).
struct NpyLayout {
  int version = 1;             // format major version: 1, 2 or 3
  std::string dtype;           // as in the header: '<f4', '>f8', ...
  bool fortran_order = false;  // column-major on disk
};

// Writes `m` to `path` (replacing it). Precondition: m.data.size() == m.rows * m.cols.
Status WriteNpy(const std::string& path, const FloatMatrix& m);

// Reads a 2-D float32 or float64 .npy file in either order and byte order (see above).
// Memory: the result plus one block of at most 1 MiB (C order) or one column (Fortran).
// When `layout` is given it receives how the file was stored.
Result<FloatMatrix> ReadNpy(const std::string& path, NpyLayout* layout = nullptr);

}  // namespace botify
