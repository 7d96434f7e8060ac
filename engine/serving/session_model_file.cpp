#include "engine/serving/session_model_file.h"

#include <fmt/format.h>

#include "base/binary_io.h"
#include "base/file.h"

namespace botify::serving {
namespace {

constexpr std::string_view kMagic = "BTFYSESM";
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kSeparateContext = 1;

// Reads n floats into *out (resized); false if the bytes run out.
bool GetFloats(BinaryReader* in, std::size_t n, std::vector<float>* out) {
  out->resize(n);
  return in->GetArray(out->data(), n);
}

}  // namespace

std::string EncodeSessionModel(const SessionModelTables& t) {
  std::string out;
  out.reserve(kMagic.size() + 16 + (4 + kTimeSteps) * 4 +
              (t.target.size() + t.bias.size() + t.context.size() + 1) * 4);
  out.append(kMagic);
  AppendBinary(&out, kVersion);
  AppendBinary(&out, t.tracks);
  AppendBinary(&out, t.dim);
  AppendBinary(&out, t.tied() ? std::uint32_t{0} : kSeparateContext);
  AppendBinary(&out, t.offset);
  AppendBinary(&out, t.gamma);
  AppendBinary(&out, t.first_weight);
  AppendBinary(&out, t.surprise_weight);
  AppendBinaryArray(&out, t.time_weight.data(), t.time_weight.size());
  AppendBinaryArray(&out, t.target.data(), t.target.size());
  AppendBinaryArray(&out, t.bias.data(), t.bias.size());
  AppendBinaryArray(&out, t.context.data(), t.context.size());
  AppendBinary(&out, Crc32(out));
  return out;
}

Result<SessionModelTables> DecodeSessionModel(std::string_view bytes, std::string_view where) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(fmt::format("{}: not a valid session model: {}", where, what));
  };
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return bad("it does not start with the magic \"BTFYSESM\"");
  }
  BinaryReader in(bytes.substr(kMagic.size()));
  SessionModelTables t;
  std::uint32_t version = 0, flags = 0;
  if (!in.Get(&version)) return bad("truncated header");
  if (version != kVersion)
    return bad(fmt::format("version {}, this build reads {}", version, kVersion));
  if (!in.Get(&t.tracks) || !in.Get(&t.dim) || !in.Get(&flags) || !in.Get(&t.offset) ||
      !in.Get(&t.gamma) || !in.Get(&t.first_weight) || !in.Get(&t.surprise_weight)) {
    return bad("truncated header");
  }
  if (flags & ~kSeparateContext) return bad(fmt::format("unknown flags {:#x}", flags));
  if (t.dim == 0 || t.dim > kMaxSessionModelDim) {
    return bad(fmt::format("dim {} outside [1, {}]", t.dim, kMaxSessionModelDim));
  }
  const std::size_t rows = std::size_t{t.tracks} * t.dim;
  const std::size_t tables = rows * ((flags & kSeparateContext) ? 2 : 1) + t.tracks;
  const std::size_t expected = kMagic.size() + 8 * 4 + kTimeSteps * 4 + tables * 4 + 4;
  if (bytes.size() != expected) {
    return bad(fmt::format("{} bytes, a model of {} tracks x {} dims takes {}", bytes.size(),
                           t.tracks, t.dim, expected));
  }
  // The size was checked: every read below succeeds.
  in.GetArray(t.time_weight.data(), kTimeSteps);
  GetFloats(&in, rows, &t.target);
  GetFloats(&in, t.tracks, &t.bias);
  if (flags & kSeparateContext) GetFloats(&in, rows, &t.context);
  std::uint32_t crc = 0;
  in.Get(&crc);
  if (crc != Crc32(bytes.substr(0, bytes.size() - 4))) return bad("CRC-32 mismatch (damaged)");
  if (Status s = t.Validate(); !s.ok()) return bad(s.message());
  return t;
}

Status WriteSessionModelFile(const std::string& path, const SessionModelTables& tables) {
  return WriteFileAtomically(path, EncodeSessionModel(tables));
}

Result<SessionModelTables> ReadSessionModelFile(const std::string& path) {
  std::string bytes;
  BOTIFY_RETURN_IF_ERROR(ReadWholeFile(path, &bytes));
  return DecodeSessionModel(bytes, path);
}

}  // namespace botify::serving
