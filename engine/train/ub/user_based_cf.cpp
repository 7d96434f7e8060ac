#include "engine/train/ub/user_based_cf.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>

#include "engine/train/ub/block_scorer.h"
#include "engine/train/ub/capped_track_index.h"

namespace botify::train::ub {

Status UserBasedOptions::Validate() const {
  if (top_k == 0) return Status::InvalidArgument("top_k must be >= 1");
  if (threads == 0 || threads > 256) {
    return Status::InvalidArgument("threads must be in [1, 256], got " + std::to_string(threads));
  }
  if (!std::isfinite(shrinkage) || shrinkage < 0) {
    return Status::InvalidArgument("shrinkage must be a finite number >= 0, got " +
                                   std::to_string(shrinkage));
  }
  BOTIFY_RETURN_IF_ERROR(users_shard.Validate());
  if (candidates_per_track > 0 && method == ScoreMethod::kDense) {
    return Status::InvalidArgument(
        "the dense score method is not available with candidates_per_track (bounded mode "
        "scores sparsely)");
  }
  return Status::Ok();
}

namespace {

// Hands out users to workers in small chunks; reports progress about every 1%.
// Thread-safe.
class WorkQueue {
 public:
  WorkQueue(std::size_t total, const TrainProgress& progress)
      : total_(total), step_(std::max<std::size_t>(1, total / 100)), progress_(progress) {}

  // Claims [*begin, *end); false when no work is left.
  bool Next(std::size_t* begin, std::size_t* end) {
    *begin = next_.fetch_add(kChunk);
    if (*begin >= total_) return false;
    *end = std::min(total_, *begin + kChunk);
    return true;
  }
  void Done(std::size_t n) {
    const std::size_t before = done_.fetch_add(n);
    if (progress_ && (before + n) / step_ != before / step_) {
      std::lock_guard<std::mutex> lock(mu_);
      progress_(before + n, total_);
    }
  }

 private:
  static constexpr std::size_t kChunk = BlockScorer::kBlockUsers;
  const std::size_t total_;
  const std::size_t step_;
  const TrainProgress& progress_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> done_{0};
  std::mutex mu_;  // serializes progress_ calls
};

// What one worker counted; written only by that worker, read after it is joined.
struct WorkCounts {
  std::uint64_t neighbour_pairs = 0;
  std::uint64_t candidate_pairs = 0;
  std::size_t max_candidates = 0;
};

// Scores users[i] into (*lists)[i], a chunk of positions at a time.
void Work(const InteractionMatrix& m, const UserBasedOptions& options,
          const CappedTrackIndex* candidates, const std::vector<std::uint32_t>& users,
          WorkQueue* queue, std::vector<UserList>* lists, WorkCounts* counts) {
  BlockScorer scorer(m, options, candidates);
  std::size_t begin = 0, end = 0;
  while (queue->Next(&begin, &end)) {
    counts->neighbour_pairs += scorer.Score(
        std::span<const std::uint32_t>(users).subspan(begin, end - begin), lists->data() + begin);
    queue->Done(end - begin);
  }
  counts->candidate_pairs = scorer.candidates_scored();
  counts->max_candidates = scorer.max_candidates();
}

}  // namespace

Result<std::vector<UserList>> TrainUserBased(const InteractionMatrix& m,
                                             const UserBasedOptions& options,
                                             const TrainProgress& progress, UserBasedStats* stats) {
  BOTIFY_RETURN_IF_ERROR(options.Validate());
  std::unique_ptr<const CappedTrackIndex> candidates;
  if (options.candidates_per_track > 0) {
    candidates = std::make_unique<const CappedTrackIndex>(m, options.candidates_per_track,
                                                          options.candidate_seed);
  }
  std::vector<std::uint32_t> users;  // rows of R to score, ascending
  for (std::uint32_t u = 0; u < m.num_users(); ++u) {
    if (options.users_shard.Owns(m.users[u])) users.push_back(u);
  }
  std::vector<UserList> lists(users.size());
  WorkQueue queue(users.size(), progress);
  const unsigned n = std::max(1u, std::min<unsigned>(options.threads, users.size()));
  std::vector<WorkCounts> counts(n);
  std::vector<std::thread> workers;
  for (unsigned i = 1; i < n; ++i) {
    workers.emplace_back(Work, std::cref(m), std::cref(options), candidates.get(), std::cref(users),
                         &queue, &lists, &counts[i]);
  }
  Work(m, options, candidates.get(), users, &queue, &lists, &counts[0]);
  for (auto& w : workers) w.join();
  if (stats != nullptr) {
    *stats = {};
    stats->users = m.num_users();
    stats->scored_users = users.size();
    stats->tracks = m.num_tracks();
    stats->entries = m.num_entries();
    stats->zero_norm_users =
        static_cast<std::size_t>(std::count(m.row_norms.begin(), m.row_norms.end(), 0.0));
    for (const WorkCounts& c : counts) {
      stats->neighbour_pairs += c.neighbour_pairs;
      stats->candidate_pairs += c.candidate_pairs;
      stats->max_candidates = std::max(stats->max_candidates, c.max_candidates);
    }
    stats->candidate_index_entries = candidates ? candidates->num_entries() : 0;
  }
  return lists;
}

}  // namespace botify::train::ub
