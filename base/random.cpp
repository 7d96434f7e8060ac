#include "base/random.h"

#include <cmath>
#include <numbers>

namespace botify {

double Rng::Normal() {
  // 1 - u keeps the argument of log in (0, 1].
  const double u1 = 1.0 - UniformDouble();
  const double u2 = UniformDouble();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace botify
