// Reassembles the session model an index generation carries (docs/contracts.md §6) from
// its chunks (storage/codec.h, SessionModelChunkKey), for the file check and for opening
// the generation. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/serving/session_model.h"

namespace botify::storage {

class SessionModelAssembler {
 public:
  // The next chunk, in key order. Returns "" or the problem (a chunk out of order).
  std::string Add(std::uint32_t chunk, std::string_view value);
  bool empty() const { return bytes_.empty(); }

  // The model, checked: `expected_bytes` long (the metadata's session_model_bytes), a
  // valid model file of exactly `catalog_size` tracks. Corruption naming `where`.
  Result<serving::SessionModelTables> Finish(std::uint64_t expected_bytes, std::size_t catalog_size,
                                             const std::string& where) const;

 private:
  std::string bytes_;
  std::uint32_t next_chunk_ = 0;
};

}  // namespace botify::storage
