// Inner products of one query with many rows of a row-major table, picked by id: the
// session model's scoring of a candidate list, the inner loop of a /next request. An
// AVX2+FMA version (chosen at run time where the CPU has it) keeps the query in registers
// and scores eight rows at a time; the portable one gives the same values up to rounding
// (FMA and summation order differ).
#pragma once

#include <cstddef>
#include <span>

#include "base/ids.h"

namespace botify::serving {

// out[i] = scale * (sum over d < dim of query[d] * rows[ids[i] * dim + d]) + bias[ids[i]]
// (no bias term when `bias` is null). Preconditions: every id indexes a row (and `bias`,
// when given); `out` holds ids.size() floats and does not overlap `query`. Rows are read
// in whole cache lines: a table whose rows are 64-byte aligned costs the fewest.
void DotRows(const float* query, std::size_t dim, const float* rows, std::span<const TrackId> ids,
             float scale, const float* bias, float* out);

}  // namespace botify::serving
