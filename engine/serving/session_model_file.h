// The session model's file format (botify's own; docs/contracts.md §6, "Session models"),
// written by `botify train session --model-out` and carried inside an index generation
// by `botify index build --session-model`. Little-endian throughout:
//
//   "BTFYSESM"                      8 bytes, the magic
//   u32 version (1), u32 tracks, u32 dim, u32 flags (bit 0: a separate context table)
//   f32 offset, f32 gamma, f32 first_weight, f32 surprise_weight, f32 time_weight[101]
//   f32 target[tracks x dim], f32 bias[tracks], f32 context[tracks x dim] (if bit 0)
//   u32 CRC-32 (zlib) of every byte before it
//
// This file is the format's only owner: everything that writes or reads it calls these.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/serving/session_model.h"

namespace botify::serving {

// Precondition: tables.Validate() is ok.
std::string EncodeSessionModel(const SessionModelTables& tables);

// Parses and checks (CRC, sizes, SessionModelTables::Validate); InvalidArgument naming
// `where` (a file name or an index) and what is wrong.
Result<SessionModelTables> DecodeSessionModel(std::string_view bytes, std::string_view where);

// Encodes into `path` atomically (write, fsync, rename).
Status WriteSessionModelFile(const std::string& path, const SessionModelTables& tables);
Result<SessionModelTables> ReadSessionModelFile(const std::string& path);

}  // namespace botify::serving
