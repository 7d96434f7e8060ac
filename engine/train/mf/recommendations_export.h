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
#include "engine/dense/index.h"
#include "engine/train/mf/trained_model.h"

namespace botify::train::mf {

struct RecommendationsExportOptions {
  std::size_t top_n = 100;  // list length per user (fewer if fewer tracks are left)
  int threads = 2;          // scoring workers
  // Leave out the user's train positives, as precision@k does. Off keeps them: tracks a
  // user listened to through are good to serve again in another session.
  bool exclude_known = true;
  // How the tracks are searched (engine/dense/index.h). kExact (the default) scores every
  // user against every track on BLAS: users x tracks scores. kIvf / kHnsw search only
  // the tracks of some faiss k-means cells, or those a faiss HNSW graph finds
  // (engine/dense/ivf_index.h, hnsw_index.h): lists can miss tracks, and are shorter than
  // top_n when fewer are found.
  dense::IndexOptions index;
  // Export only the users of this shard (a stable hash of the user id, base/key_shard.h),
  // ascending by user id as ever: each user's list is the unsharded export's line for line
  // (a user's ranking reads only the model and their own train row; the index is built
  // over every track, from the tracks and index.seed alone), so the N shards' files hold
  // exactly the unsharded file's lines (docs/scale.md). Default: every user.
  KeyShard users_shard;
  Status Validate() const;
};

// Called with (users written, users in total: those of the shard) as the export goes.
using ExportProgress = std::function<void(std::size_t done, std::size_t total)>;

// Writes to `path` through catalog::RecommendationsFileWriter (a temporary file renamed
// into place once complete).
Status WriteRecommendations(const TrainedModel& trained, const std::string& path,
                            const RecommendationsExportOptions& options,
                            const ExportProgress& progress = {});

}  // namespace botify::train::mf
