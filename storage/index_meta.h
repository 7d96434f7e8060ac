// What an index generation knows about itself. Stored inside the SST under the empty key
// (which sorts before every 4-byte id key), so a built file is self-describing, and in the
// store's manifest once the generation is loaded.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "engine/catalog/recommendations_file.h"

namespace botify::storage {

struct IndexMeta {
  catalog::ListKey key = catalog::ListKey::kUser;  // what the lists are keyed by
  std::uint64_t lists = 0;                         // number of keys
  std::uint64_t tracks = 0;                        // total list entries
  std::string source;        // path of the recommendations file it was built from
  std::string source_crc32;  // hex CRC-32 of that file's bytes
  std::int64_t built_at_ms = 0;
  // Bytes of the session model the generation carries (index build --session-model),
  // 0 for none. Written only when nonzero, so metadata without one is unchanged.
  std::uint64_t session_model_bytes = 0;
  // Set by the store when the generation is loaded:
  std::string name;
  std::uint64_t generation = 0;
  std::int64_t loaded_at_ms = 0;

  std::string ToJson() const;
  static Result<IndexMeta> FromJson(std::string_view text);
};

}  // namespace botify::storage
