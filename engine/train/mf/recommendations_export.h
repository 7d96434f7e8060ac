// Exports a trained model as the docs/contracts.md §6 recommendations file: for every user of the
// model, ascending by user id, the top-n tracks by score, by default excluding the user's
// train positives (ties to the lower track id), via engine/catalog/recommendations_file.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "base/key_shard.h"
#include "base/status.h"
#include "engine/train/mf/trained_model.h"

namespace botify::train::mf {

struct RecommendationsExportOptions {
  std::size_t top_n = 100;  // list length per user (fewer if fewer tracks are left)
  int threads = 2;          // scoring workers
  // Leave out the user's train positives, as precision@k does. Off keeps them: tracks a
  // user listened to through are good to serve again in another session.
  bool exclude_known = true;
  // Bounded export: 0 (the default) scores every user against every track (exact,
  // users x tracks scores). > 0 clusters the tracks into this many clusters and scores
  // each user only against the tracks of their `probe` best clusters
  // (engine/train/ann/clustered_search.h): about clusters + probe x tracks / clusters
  // scores a user. Lists can miss tracks of unprobed clusters, and are shorter than top_n
  // when the probed clusters hold fewer tracks (minus the excluded); scores come from another
  // kernel than the exact export's, so equal-looking scores may order differently in the
  // last bit.
  std::size_t clusters = 0;
  std::size_t probe = 16;  // in [1, clusters] when clusters > 0
  std::uint64_t seed = 0;  // of the clustering's sample
  // Export only the users of this shard (a stable hash of the user id, base/key_shard.h),
  // ascending by user id as ever: each user's list is the unsharded export's line for line
  // (a user's ranking reads only the model and their own train row; the track clustering
  // depends on the tracks and the seed alone), so the N shards' files hold exactly the
  // unsharded file's lines (docs/scale.md). Default: every user.
  KeyShard users_shard;
  Status Validate() const;
};

// Called after each block of users with (users written, users in total).
using ExportProgress = std::function<void(std::size_t done, std::size_t total)>;

// Writes to `path` through a temporary file renamed into place.
Status WriteRecommendations(const TrainedModel& trained, const std::string& path,
                            const RecommendationsExportOptions& options,
                            const ExportProgress& progress = {});

}  // namespace botify::train::mf
