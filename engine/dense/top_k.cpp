#include "engine/dense/top_k.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

namespace botify::dense {
namespace {

// A kept (score, id) as one integer that orders as the ranking does: a larger key has the
// higher score, or the same score and the lower id (-0 is taken as +0, equal to it as a
// float). Comparing integers keeps nth_element and sort cheap.
std::uint64_t Key(float score, std::uint32_t id) {
  if (score == 0.0f) score = 0.0f;
  std::uint32_t bits;
  std::memcpy(&bits, &score, sizeof bits);
  bits = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;  // monotone in the float
  return (std::uint64_t{bits} << 32) | ~id;
}

float ScoreOf(std::uint64_t key) {
  std::uint32_t bits = static_cast<std::uint32_t>(key >> 32);
  bits = (bits & 0x80000000u) != 0 ? bits & 0x7fffffffu : ~bits;
  float score;
  std::memcpy(&score, &bits, sizeof score);
  return score;
}

std::uint32_t IdOf(std::uint64_t key) { return ~static_cast<std::uint32_t>(key); }

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

void TopK::Reset(std::size_t k, std::span<const std::uint32_t> excluded, float margin) {
  k_ = k;
  margin_ = margin;
  limit_ = 4 * k;
  buffer_.clear();
  buffer_.reserve(limit_);
  excluded_ = excluded;
  next_excluded_ = 0;
  threshold_ =
      k == 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
}

void TopK::Offer(const float* scores, std::size_t n, std::uint32_t first) {
  for (std::size_t j = FirstAbove(scores, 0, n, threshold_); j < n;
       j = FirstAbove(scores, j, n, threshold_)) {
    // Where one score passes, its neighbours often do too: the next 16 are tested here
    // rather than by another call.
    for (const std::size_t end = std::min(n, j + 16); j < end; ++j) {
      if (!(scores[j] > threshold_)) continue;
      const std::uint32_t id = first + static_cast<std::uint32_t>(j);
      while (next_excluded_ < excluded_.size() && excluded_[next_excluded_] < id) {
        ++next_excluded_;
      }
      if (next_excluded_ < excluded_.size() && excluded_[next_excluded_] == id) continue;
      buffer_.push_back(Key(scores[j], id));
      if (buffer_.size() >= limit_) Shrink();
    }
  }
}

void TopK::OfferIds(const float* scores, const std::uint32_t* ids, std::size_t n) {
  if (k_ == 0) return;
  // Passing means s > the float below the threshold, i.e. s >= threshold (-inf and NaN
  // never); `floor` follows the threshold, which changes only in Shrink.
  float floor = std::nextafter(threshold_, -std::numeric_limits<float>::infinity());
  for (std::size_t j = FirstAbove(scores, 0, n, floor); j < n;
       j = FirstAbove(scores, j, n, floor)) {
    for (const std::size_t end = std::min(n, j + 16); j < end; ++j) {
      if (!(scores[j] > floor) || std::binary_search(excluded_.begin(), excluded_.end(), ids[j])) {
        continue;
      }
      buffer_.push_back(Key(scores[j], ids[j]));
      if (buffer_.size() >= limit_) {
        Shrink();
        floor = std::nextafter(threshold_, -std::numeric_limits<float>::infinity());
      }
    }
  }
}

void TopK::Shrink() {
  const auto kth = buffer_.begin() + static_cast<std::ptrdiff_t>(k_ - 1);
  std::nth_element(buffer_.begin(), kth, buffer_.end(), std::greater<>());
  const float kth_score = ScoreOf(*kth);
  if (margin_ == 0) {
    threshold_ = kth_score;
    buffer_.resize(k_);
    return;
  }
  // Rounded down, so the kept range is never narrower than the margin.
  const float floor = std::nextafter(kth_score - margin_, -std::numeric_limits<float>::infinity());
  const auto kept = std::partition(kth + 1, buffer_.end(),
                                   [&](std::uint64_t key) { return ScoreOf(key) >= floor; });
  buffer_.erase(kept, buffer_.end());
  threshold_ = std::nextafter(floor, -std::numeric_limits<float>::infinity());
  // Many scores within the margin (ties): room for as many again before the next Shrink.
  limit_ = std::max(4 * k_, 2 * buffer_.size());
}

std::uint32_t TopK::KeptId(std::size_t i) const { return IdOf(buffer_[i]); }

void TopK::Rescore(std::size_t i, float score) { buffer_[i] = Key(score, IdOf(buffer_[i])); }

void TopK::Finish(std::vector<std::uint32_t>* out) {
  if (buffer_.size() > k_) {
    std::nth_element(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(k_ - 1),
                     buffer_.end(), std::greater<>());
    buffer_.resize(k_);
  }
  std::sort(buffer_.begin(), buffer_.end(), std::greater<>());
  out->clear();
  for (const std::uint64_t key : buffer_) out->push_back(IdOf(key));
}

}  // namespace botify::dense
