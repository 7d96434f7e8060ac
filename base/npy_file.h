// NumPy .npy files of float32 matrices: the format of `tracks.npy` (docs/contracts.md §8), so that
// numpy.load reads what we write and we read what the original tools wrote.
// Written: format version 1.0, dtype '<f4', C order, shape (rows, cols), header padded to
// a multiple of 64 bytes as NumPy does. Read: versions 1.0 and 2.0 with the same dtype,
// order and rank; anything else is rejected with a message naming the file and the fault.
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

// Writes `m` to `path` (replacing it). Precondition: m.data.size() == m.rows * m.cols.
Status WriteNpy(const std::string& path, const FloatMatrix& m);

// Reads a 2-D little-endian float32 C-order .npy file.
Result<FloatMatrix> ReadNpy(const std::string& path);

}  // namespace botify
