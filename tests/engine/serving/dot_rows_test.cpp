#include "engine/serving/dot_rows.h"

#include <catch2/catch.hpp>
#include <vector>

#include "base/random.h"

using namespace botify;

TEST_CASE(
    "DotRows equals the plain sums (plus the bias) for every dimension and any number of rows",
    "[engine][session]") {
  Rng rng(4);
  for (std::size_t dim : {1, 2, 7, 8, 16, 24, 32, 33, 40, 56, 64, 72, 80}) {
    const std::size_t n_rows = 50;
    std::vector<float> rows(n_rows * dim), query(dim), bias(n_rows);
    for (float& v : rows) v = static_cast<float>(rng.Normal());
    for (float& v : bias) v = static_cast<float>(rng.Normal());
    for (float& v : query) v = static_cast<float>(rng.Normal());
    for (std::size_t count : {0, 1, 7, 8, 9, 17, 40}) {
      std::vector<TrackId> ids;
      for (std::size_t i = 0; i < count; ++i)
        ids.push_back(static_cast<TrackId>(rng.Uniform(n_rows)));
      std::vector<float> out(count, -1.0f), with_bias(count, -1.0f);
      serving::DotRows(query.data(), dim, rows.data(), ids, 0.5f, nullptr, out.data());
      serving::DotRows(query.data(), dim, rows.data(), ids, 0.5f, bias.data(), with_bias.data());
      for (std::size_t i = 0; i < count; ++i) {
        double want = 0;
        for (std::size_t d = 0; d < dim; ++d) want += double{query[d]} * rows[ids[i] * dim + d];
        INFO("dim " << dim << " count " << count << " row " << i);
        CHECK(out[i] == Catch::Detail::Approx(0.5 * want).margin(1e-4));
        CHECK(with_bias[i] == Catch::Detail::Approx(0.5 * want + bias[ids[i]]).margin(1e-4));
      }
    }
  }
}
