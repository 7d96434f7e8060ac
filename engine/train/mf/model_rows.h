// An MfModel as the dense rankings' rows (engine/dense/rows.h): users are the queries,
// items the targets, score(u, i) = dot(p_u, q_i) + b_i (contracts §10).
#pragma once

#include "engine/dense/rows.h"
#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

// Views of `model`'s arrays: valid while it lives and is not resized.
inline dense::MatrixView UserVectors(const MfModel& model) {
  return {model.user_embeddings().data(), model.n_users(), model.no_components(), model.stride()};
}

inline dense::Targets ItemTargets(const MfModel& model) {
  return {{model.item_embeddings().data(), model.n_items(), model.no_components(), model.stride()},
          model.item_biases()};
}

// Queries `users` of `model`, each without the items of its row of `exclude` (none if null).
inline dense::Queries UserQueries(const MfModel& model, std::span<const std::uint32_t> users,
                                  const UserItemMatrix* exclude) {
  dense::Queries queries{users, UserVectors(model), {}};
  if (exclude != nullptr) {
    queries.excluded = [exclude](std::uint32_t u) { return exclude->Row(u); };
  }
  return queries;
}

}  // namespace botify::train::mf
