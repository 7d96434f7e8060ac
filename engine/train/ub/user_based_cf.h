// User-based collaborative filtering, exactly as the seminar's dense numpy code
// (docs/contracts.md §10), computed sparsely:
//
//   W = cosine similarity between users' rows of R (engine/train/ub/interaction_matrix.h),
//       diagonal 0;  scores = W·R;
//   each user's top-K tracks by score descending, ties by track id ascending, among
//   every track of the logs: positive scores, then zero scores (lowest ids first), then
//   negative scores.
//
// Zero rows: a user whose row of R is all zeros (e.g. a single row, or all rows with the
// same time) has norm 0. The dense formula would divide 0 by 0 (NaN in numpy); sklearn's
// cosine_similarity, which the seminar uses, normalizes such rows to zeros instead, so
// their similarity to everyone is 0. We do the same: such a user neither has nor is a
// neighbour, and gets the lowest-id tracks (all scores 0).
//
// Cost: for user u, one pass over the columns of u's tracks (similarities) and one over
// the rows of u's neighbours (scores); per thread O(users + tracks) scratch memory. No
// users×users or users×tracks matrix is ever materialized.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "base/ids.h"
#include "base/key_shard.h"
#include "base/status.h"
#include "engine/train/ub/interaction_matrix.h"

namespace botify::train::ub {

// How W·R is formed per block of users (see block_scorer.h). Every method gives
// bit-identical results; only the speed differs.
enum class ScoreMethod { kAuto, kSparse, kDense };

struct UserBasedOptions {
  // Length of each user's list. Default 100, the seminar's top-100.
  std::size_t top_k = 100;
  // Worker threads (>= 1). Default 1. The result does not depend on it.
  unsigned threads = 1;
  // If > 0, keep only the `neighbours` most similar users of each user (similarity
  // descending, ties by user id). Default 0 = all users, the exact contract, docs/contracts.md §10.
  std::size_t neighbours = 0;
  // Drop tracks the user already played from their candidates. Default off (the exact contract).
  bool exclude_played = false;
  // Shrinkage λ >= 0: similarity × n / (n + λ), n = tracks both users played; damps
  // similarities resting on few common tracks. Default 0 = off (the exact contract).
  double shrinkage = 0;
  // Default kAuto: per block, whichever is estimated cheaper. Forcing one is for tests
  // and benchmarks. The bounded mode always scores sparsely (kDense is refused there).
  ScoreMethod method = ScoreMethod::kAuto;

  // Bounded mode, off by default (0 = the exact contract). If > 0, a user's candidate
  // neighbours are only the users that an inverted index keeps for each of the user's
  // tracks, at most `candidates_per_track` per track (every user of a less played track;
  // a seeded sample of a popular one, capped_track_index.h). Weights stay exact cosines,
  // against the candidates only, and the ranking looks only at the tracks the neighbours
  // played (plus zero-score filler). Why: the exact W touches, per user, every user
  // sharing a track, and a few popular tracks link almost everyone (quadratic in users);
  // here the work per user is at most cap × the user's tracks candidates, each costing
  // its own number of tracks. The price: neighbours found only through a capped popular
  // track may be missed. With a cap >= the users of the most played track the lists are
  // exactly the exact mode's. Combine with `neighbours` to bound the W·R step too.
  std::size_t candidates_per_track = 0;
  // Seed of the per-track sample of the bounded mode. Default 1.
  std::uint64_t candidate_seed = 1;

  // Score only the users of this shard (base/key_shard.h; docs/scale.md "Sharded offline
  // steps"). R, W and the candidate tracks still come from every user's rows (a neighbour
  // can be anyone: the whole matrix is what each shard is given), so every list is exactly
  // the unsharded run's, and the N shards' lists together are the unsharded file's. Default
  // every user.
  KeyShard users_shard{};

  Status Validate() const;
};

// One user's list, best first. `scores[i]` is the score of `tracks[i]`.
struct UserList {
  UserId user = 0;
  std::vector<TrackId> tracks;
  std::vector<double> scores;
};

struct UserBasedStats {
  std::size_t users = 0;
  std::size_t scored_users = 0;  // users of UserBasedOptions::users_shard
  std::size_t tracks = 0;
  std::size_t entries = 0;            // stored cells of R (distinct user, track pairs)
  std::size_t zero_norm_users = 0;    // users with an all-zero row
  std::uint64_t neighbour_pairs = 0;  // (u, v) pairs with non-zero weight that were used
  // Bounded mode only (0 otherwise): (u, v) pairs whose weight was computed, the most
  // candidates one user had, and the entries of the capped track -> users index.
  std::uint64_t candidate_pairs = 0;
  std::size_t max_candidates = 0;
  std::size_t candidate_index_entries = 0;
};

// Called with (users done, users total) from worker threads, serialized by the trainer.
using TrainProgress = std::function<void(std::size_t done, std::size_t total)>;

// Computes the list of every user of options.users_shard (every user by default), in
// ascending user id order (the order of m.users).
// InvalidArgument if the options are invalid. Thread-safe; blocks until done.
Result<std::vector<UserList>> TrainUserBased(const InteractionMatrix& m,
                                             const UserBasedOptions& options,
                                             const TrainProgress& progress = {},
                                             UserBasedStats* stats = nullptr);

}  // namespace botify::train::ub
