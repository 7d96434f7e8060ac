#include "engine/train/mf/evaluation_users.h"

#include <algorithm>

#include "base/random.h"

namespace botify::train::mf {
namespace {

// Stream id of Rng::ForStream, apart from the split's and the trainer's streams.
constexpr std::uint64_t kSampleStream = 0x4556414c55534552ULL;

}  // namespace

std::vector<std::uint32_t> EvaluationUsers(const UserItemMatrix& test, std::size_t sample,
                                           std::uint64_t seed) {
  std::vector<std::uint32_t> users;
  for (std::uint32_t u = 0; u < test.users(); ++u) {
    if (!test.Row(u).empty()) users.push_back(u);
  }
  if (sample == 0 || sample >= users.size()) return users;
  // A partial Fisher-Yates shuffle: the first `sample` places are a uniform sample.
  Rng rng = Rng::ForStream(seed, kSampleStream);
  for (std::size_t i = 0; i < sample; ++i) {
    std::swap(users[i], users[i + rng.Uniform(users.size() - i)]);
  }
  users.resize(sample);
  std::sort(users.begin(), users.end());
  return users;
}

}  // namespace botify::train::mf
