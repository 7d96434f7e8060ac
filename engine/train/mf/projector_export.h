// Item embeddings for the TensorBoard projector, in the layout tensorboardX's
// SummaryWriter(log_dir).add_embedding(mat, metadata, global_step=step, tag=tag,
// metadata_header=["artist", "title"]) writes:
//   log_dir/projector_config.pbtxt   embeddings { tensor_name: "<tag>:<step>"
//                                       tensor_path: "<step>/<tag>/tensors.tsv"
//                                       metadata_path: "<step>/<tag>/metadata.tsv" }
//   log_dir/<step>/<tag>/tensors.tsv   one row per item, components tab-separated
//   log_dir/<step>/<tag>/metadata.tsv  "artist\ttitle" header, then one row per item
// where <step> is the global step zero-padded to 5 digits ("00000") and <tag> has '%',
// '/' and '\' percent-encoded. Like tensorboardX, an existing config is appended to
// (unless it already lists this tensor_path), so several exports share one log dir.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/catalog/catalog.h"
#include "engine/train/mf/mf_model.h"

namespace botify::train::mf {

struct ProjectorOptions {
  std::string log_dir;
  std::string tag = "default";  // tensorboardX's default tag
  std::uint32_t global_step = 0;
  Status Validate() const;
};

// Writes the model's item embeddings with each item's artist and title from `catalog`.
// `track_ids[i]` is item i's track; every one must be in the catalog.
Status WriteProjector(const MfModel& model, const std::vector<TrackId>& track_ids,
                      const catalog::Catalog& catalog, const ProjectorOptions& options);

}  // namespace botify::train::mf
