#include "engine/train/contextual/target_ranker.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace botify::train::contextual {
namespace {

constexpr std::size_t kContexts = 32;  // contexts scored per pass over a target tile
constexpr std::size_t kLanes = 8;      // floats per vector register (AVX)
constexpr std::size_t kGroup = 8;      // contexts whose accumulators stay in registers
constexpr std::size_t kTile = 512;     // targets per tile: dim x kTile floats stay in L2
constexpr std::size_t kChunk = 256;    // contexts per unit of work (and of progress)
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

using Vec = float __attribute__((vector_size(kLanes * sizeof(float))));

// out[b][j] = bias[j] + sum_d ctx[b][d] * tt[d][j] for kContexts x kTile, the additions
// in that order (as ContextualModel::Score; the AVX2 clone may fuse them into FMAs, so
// scores can differ from Score's in the last bit: ties are defined on these scores).
__attribute__((target_clones("arch=x86-64-v3", "default"))) void ScoreTile(
    const float* ctx, std::size_t dim, const float* tt, std::size_t stride, const float* bias,
    float* out) {
  for (std::size_t b0 = 0; b0 < kContexts; b0 += kGroup) {
    for (std::size_t j = 0; j < kTile; j += kLanes) {
      // Vectors are loaded by memcpy (no alignment needed) and never passed to a function,
      // so the default clone needs no AVX calling convention.
      Vec acc[kGroup];
      Vec start;
      std::memcpy(&start, bias + j, sizeof start);
#pragma GCC unroll 8
      for (auto& a : acc) a = start;
      for (std::size_t d = 0; d < dim; ++d) {
        Vec row;
        std::memcpy(&row, tt + d * stride + j, sizeof row);
        // Unrolled so that the accumulators live in registers.
#pragma GCC unroll 8
        for (std::size_t g = 0; g < kGroup; ++g) acc[g] += ctx[(b0 + g) * dim + d] * row;
      }
#pragma GCC unroll 8
      for (std::size_t g = 0; g < kGroup; ++g) {
        std::memcpy(out + (b0 + g) * kTile + j, &acc[g], sizeof(Vec));
      }
    }
  }
}

// Keeps the best `depth` (score, id) offered, in ascending id order. NaN and -inf are
// never kept.
class Selector {
 public:
  void Reset(std::size_t depth) {
    depth_ = depth;
    heap_.clear();
    threshold_ = depth == 0 ? std::numeric_limits<float>::infinity()
                            : -std::numeric_limits<float>::infinity();
  }
  // Ids arrive ascending, so a tie with the worst kept one loses: strictly greater only.
  void Offer(const float* scores, std::size_t n, TrackId first_id) {
    for (std::size_t j = 0; j < n; ++j) {
      if (scores[j] > threshold_) Insert(scores[j], first_id + static_cast<TrackId>(j));
    }
  }
  void Sorted(std::vector<TrackId>* out) {
    std::sort(heap_.begin(), heap_.end(), Before);
    out->clear();
    for (const auto& entry : heap_) out->push_back(entry.second);
  }

 private:
  static bool Before(const std::pair<float, TrackId>& a, const std::pair<float, TrackId>& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  }
  void Insert(float score, TrackId id) {
    if (heap_.size() == depth_) {
      std::pop_heap(heap_.begin(), heap_.end(), Before);
      heap_.back() = {score, id};
    } else {
      heap_.emplace_back(score, id);
    }
    std::push_heap(heap_.begin(), heap_.end(), Before);
    if (heap_.size() == depth_) threshold_ = heap_.front().first;
  }

  std::size_t depth_ = 0;
  float threshold_ = 0;
  std::vector<std::pair<float, TrackId>> heap_;
};

// The scoring state shared by the workers: transposed, tile-padded targets.
struct Tables {
  std::size_t stride = 0;   // tracks rounded up to kTile
  std::vector<float> tt;    // dim x stride
  std::vector<float> bias;  // stride; NaN for padding and non-candidates (never ranked)
};

Tables Transpose(const ContextualModel& m) {
  Tables t;
  t.stride = (m.tracks + kTile - 1) / kTile * kTile;
  t.tt.assign(m.dim * t.stride, 0.0f);
  t.bias.assign(t.stride, kNaN);
  for (std::size_t j = 0; j < m.tracks; ++j) {
    for (std::size_t d = 0; d < m.dim; ++d) t.tt[d * t.stride + j] = m.target[j * m.dim + d];
    if (m.seen_target[j]) t.bias[j] = m.target_bias[j];
  }
  return t;
}

// Ranks the targets of `contexts` into `sink`.
void RankChunk(const ContextualModel& m, const Tables& t, std::size_t depth,
               std::span<const TrackId> contexts, const RankedSink& sink) {
  std::vector<float> ctx(kContexts * m.dim);
  std::vector<float> scores(kContexts * kTile);
  std::vector<Selector> selectors(kContexts);
  std::vector<TrackId> ranked;
  for (std::size_t first = 0; first < contexts.size(); first += kContexts) {
    const auto ids = contexts.subspan(first, std::min(kContexts, contexts.size() - first));
    std::fill(ctx.begin(), ctx.end(), 0.0f);
    for (std::size_t b = 0; b < ids.size(); ++b) {
      const auto row = m.ContextRow(ids[b]);
      std::copy(row.begin(), row.end(), ctx.begin() + b * m.dim);
    }
    for (auto& s : selectors) s.Reset(depth);
    for (std::size_t tile = 0; tile < t.stride; tile += kTile) {
      ScoreTile(ctx.data(), m.dim, t.tt.data() + tile, t.stride, t.bias.data() + tile,
                scores.data());
      for (std::size_t b = 0; b < ids.size(); ++b) {
        float* row = scores.data() + b * kTile;
        if (ids[b] >= tile && ids[b] < tile + kTile) row[ids[b] - tile] = kNaN;  // self
        selectors[b].Offer(row, kTile, static_cast<TrackId>(tile));
      }
    }
    for (std::size_t b = 0; b < ids.size(); ++b) {
      selectors[b].Sorted(&ranked);
      sink(ids[b], ranked);
    }
  }
}

}  // namespace

Status RankOptions::Validate() const {
  if (threads < 1) {
    return Status::InvalidArgument("threads must be at least 1, got " + std::to_string(threads));
  }
  return Status::Ok();
}

Status RankTargets(const ContextualModel& model, const RankOptions& options, const RankedSink& sink,
                   const RankProgress& progress) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  if (model.context.size() != model.tracks * model.dim ||
      model.target.size() != model.tracks * model.dim || model.target_bias.size() != model.tracks ||
      model.seen_target.size() != model.tracks || model.trained_context.size() != model.tracks) {
    return Status::InvalidArgument("contextual model tables do not match its size");
  }
  const Tables tables = Transpose(model);
  std::vector<TrackId> contexts;
  for (TrackId c = 0; c < model.tracks; ++c) {
    if (model.trained_context[c]) contexts.push_back(c);
  }
  std::atomic<std::size_t> next{0};
  std::mutex progress_mu;
  std::size_t done = 0;
  auto worker = [&] {
    for (std::size_t begin = next.fetch_add(kChunk); begin < contexts.size();
         begin = next.fetch_add(kChunk)) {
      const std::size_t n = std::min(kChunk, contexts.size() - begin);
      RankChunk(model, tables, options.depth, std::span(contexts).subspan(begin, n), sink);
      std::lock_guard<std::mutex> lock(progress_mu);
      done += n;
      if (progress) progress(done, contexts.size());
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < options.threads; ++i) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return Status::Ok();
}

}  // namespace botify::train::contextual
