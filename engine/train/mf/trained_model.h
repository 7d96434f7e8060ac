// A trained factorisation model with what exporting it needs: the id mapping of its dense
// users and items and each user's train positives (excluded from their recommendations).
// Saved as one versioned binary file so `botify train mf-export` works without the logs.
//
// File layout (version 1, little-endian, no padding):
//   "BOTIFYMF" | u32 version | u32 no_components | u32 n_users | u32 n_items | u64 nnz
//   u32 user_ids[n_users] | u32 track_ids[n_items]
//   f32 user_embeddings[n_users][no_components] | f32 item_embeddings[n_items][no_components]
//   f32 item_biases[n_items]
//   u64 train_indptr[n_users + 1] | u32 train_items[nnz]
//   u32 crc32 (zlib) of every byte before it
#pragma once

#include <string>
#include <vector>

#include "base/ids.h"
#include "base/status.h"
#include "engine/train/mf/mf_model.h"
#include "engine/train/mf/user_item_matrix.h"

namespace botify::train::mf {

inline constexpr std::uint32_t kModelFileVersion = 1;

// Thread-safe for reads.
struct TrainedModel {
  MfModel model;
  std::vector<UserId> user_ids;    // dense user -> id
  std::vector<TrackId> track_ids;  // dense item -> id
  UserItemMatrix train;            // dense user -> dense items seen in training
};

// Writes to `path` through a temporary file renamed into place: a crash never leaves a
// half-written model under `path`.
Status SaveTrainedModel(const TrainedModel& trained, const std::string& path);

// Loads and validates (magic, version, sizes, checksum, index ranges). Errors name the
// file and what is wrong.
Result<TrainedModel> LoadTrainedModel(const std::string& path);

}  // namespace botify::train::mf
