#include "storage/session_model_chunks.h"

#include <fmt/format.h>

#include "engine/serving/session_model_file.h"
#include "storage/codec.h"

namespace botify::storage {

std::string SessionModelAssembler::Add(std::uint32_t chunk, std::string_view value) {
  if (chunk != next_chunk_) {
    return fmt::format("session model chunk {} where chunk {} was due", chunk, next_chunk_);
  }
  if (value.size() > kSessionModelChunkBytes) {
    return fmt::format("session model chunk {} holds {} bytes, more than a chunk's {}", chunk,
                       value.size(), kSessionModelChunkBytes);
  }
  bytes_.append(value);
  ++next_chunk_;
  return "";
}

Result<serving::SessionModelTables> SessionModelAssembler::Finish(std::uint64_t expected_bytes,
                                                                  std::size_t catalog_size,
                                                                  const std::string& where) const {
  if (bytes_.size() != expected_bytes) {
    return Status::Corruption(
        fmt::format("{}: holds {} bytes of a session model, its metadata says {}", where,
                    bytes_.size(), expected_bytes));
  }
  auto model = serving::DecodeSessionModel(bytes_, where);
  if (!model.ok()) return Status::Corruption(model.status().message());
  if (model->tracks != catalog_size) {
    return Status::Corruption(fmt::format("{}: a session model of {} tracks, the catalog has {}",
                                          where, model->tracks, catalog_size));
  }
  return model;
}

}  // namespace botify::storage
