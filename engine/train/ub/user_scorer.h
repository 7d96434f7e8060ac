// The per-user step of user-based CF (see user_based_cf.h): similarities of one user to
// all others, the weighted sum of the neighbours' rows, and the top-K ranking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/train/ub/interaction_matrix.h"
#include "engine/train/ub/user_based_cf.h"

namespace botify::ub {

// Thread-compatible: one scorer per worker thread. Holds O(users + tracks) scratch that
// is left all-zero between calls. `m` and `options` must outlive the scorer.
class UserScorer {
 public:
  UserScorer(const InteractionMatrix& m, const UserBasedOptions& options);
  UserScorer(const UserScorer&) = delete;
  UserScorer& operator=(const UserScorer&) = delete;

  // Fills *out with the list of user index `u`. Returns the number of neighbours used.
  std::size_t Score(std::uint32_t u, UserList* out);

 private:
  void AccumulateDots(std::uint32_t u);
  void SelectNeighbours(std::uint32_t u);
  void AccumulateScores();
  void Rank(std::uint32_t u, UserList* out);
  void AppendZeroScores(std::size_t k, UserList* out) const;
  void Reset(std::uint32_t u);

  // Constant after construction.
  const InteractionMatrix& m_;
  const UserBasedOptions& options_;

  // Scratch, indexed by user: dot products with the current user, co-played counts
  // (shrinkage only), whether the user was touched.
  std::vector<double> dot_;
  std::vector<std::uint32_t> common_;
  std::vector<std::uint8_t> user_touched_;
  std::vector<std::uint32_t> touched_users_;
  // (user index, weight), ascending user index: the rows summed into the scores.
  std::vector<std::pair<std::uint32_t, double>> neighbours_;
  // Scratch, indexed by track: scores, whether touched, whether excluded (played).
  std::vector<double> score_;
  std::vector<std::uint8_t> track_touched_;
  std::vector<std::uint8_t> excluded_;
  std::vector<std::uint32_t> touched_tracks_;
  std::vector<std::uint32_t> ranked_;
};

}  // namespace botify::ub
