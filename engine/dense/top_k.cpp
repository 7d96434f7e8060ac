#include "engine/dense/top_k.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace botify::dense {
namespace {

// "a ranks before b": higher score, then lower id. A function object, so that the
// standard algorithms inline it.
struct RanksBefore {
  bool operator()(const std::pair<float, std::uint32_t>& a,
                  const std::pair<float, std::uint32_t>& b) const {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  }
};

using Vec = float __attribute__((vector_size(8 * sizeof(float))));
using Mask = int __attribute__((vector_size(8 * sizeof(int))));
using Words = unsigned long long __attribute__((vector_size(4 * sizeof(unsigned long long))));

// The first j in [begin, n) with scores[j] > t, or n. Runs of 16 scores are tested with
// vector compares (vectors are loaded by memcpy and never passed to a function, so the
// default clone needs no AVX calling convention).
__attribute__((target_clones("arch=x86-64-v3", "default"))) std::size_t FirstAbove(
    const float* scores, std::size_t begin, std::size_t n, float t) {
  std::size_t j = begin;
  for (; j + 16 <= n; j += 16) {
    Vec a, b;
    std::memcpy(&a, scores + j, sizeof a);
    std::memcpy(&b, scores + j + 8, sizeof b);
    const Mask above = (a > t) | (b > t);
    Words w;
    std::memcpy(&w, &above, sizeof w);
    if ((w[0] | w[1] | w[2] | w[3]) != 0) break;
  }
  for (; j < n; ++j) {
    if (scores[j] > t) return j;
  }
  return n;
}

}  // namespace

void TopK::Reset(std::size_t k, std::span<const std::uint32_t> excluded) {
  k_ = k;
  buffer_.clear();
  buffer_.reserve(4 * k);
  excluded_ = excluded;
  next_excluded_ = 0;
  threshold_ =
      k == 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
}

void TopK::Offer(const float* scores, std::size_t n, std::uint32_t first) {
  for (std::size_t j = FirstAbove(scores, 0, n, threshold_); j < n;
       j = FirstAbove(scores, j + 1, n, threshold_)) {
    const std::uint32_t id = first + static_cast<std::uint32_t>(j);
    while (next_excluded_ < excluded_.size() && excluded_[next_excluded_] < id) ++next_excluded_;
    if (next_excluded_ < excluded_.size() && excluded_[next_excluded_] == id) continue;
    buffer_.emplace_back(scores[j], id);
    if (buffer_.size() == 4 * k_) Shrink();
  }
}

void TopK::OfferIds(const float* scores, const std::uint32_t* ids, std::size_t n) {
  if (k_ == 0) return;
  // s > the float below the threshold: s >= threshold, except -inf (and NaN) never.
  auto floor = [this] {
    return std::nextafter(threshold_, -std::numeric_limits<float>::infinity());
  };
  for (std::size_t j = FirstAbove(scores, 0, n, floor()); j < n;
       j = FirstAbove(scores, j + 1, n, floor())) {
    if (std::binary_search(excluded_.begin(), excluded_.end(), ids[j])) continue;
    buffer_.emplace_back(scores[j], ids[j]);
    if (buffer_.size() == 4 * k_) Shrink();
  }
}

void TopK::Shrink() {
  const auto kth = buffer_.begin() + static_cast<std::ptrdiff_t>(k_ - 1);
  std::nth_element(buffer_.begin(), kth, buffer_.end(), RanksBefore{});
  threshold_ = kth->first;
  buffer_.resize(k_);
}

void TopK::Finish(std::vector<std::uint32_t>* out) {
  if (buffer_.size() > k_) Shrink();
  std::sort(buffer_.begin(), buffer_.end(), RanksBefore{});
  out->clear();
  for (const auto& entry : buffer_) out->push_back(entry.second);
}

}  // namespace botify::dense
