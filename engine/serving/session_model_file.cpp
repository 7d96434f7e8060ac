#include "engine/serving/session_model_file.h"

#include <fmt/format.h>
#include <zlib.h>

#include <bit>
#include <cstring>

#include "base/file.h"

namespace botify::serving {
namespace {

static_assert(std::endian::native == std::endian::little, "the format is little-endian");

constexpr std::string_view kMagic = "BTFYSESM";
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kSeparateContext = 1;

std::uint32_t Crc32(std::string_view bytes) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths: feed in pieces well below 4 GiB.
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  for (std::size_t at = 0; at < bytes.size(); at += kPiece) {
    const std::size_t n = std::min(kPiece, bytes.size() - at);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data() + at), static_cast<uInt>(n));
  }
  return static_cast<std::uint32_t>(crc);
}

template <typename T>
void Put(std::string* out, const T& value) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}
template <typename T>
void PutArray(std::string* out, std::span<const T> values) {
  out->append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
}

// Reads fixed-size fields off the front of the bytes; false once they run out.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : rest_(bytes) {}
  template <typename T>
  bool Get(T* value) {
    if (rest_.size() < sizeof(T)) return false;
    std::memcpy(value, rest_.data(), sizeof(T));
    rest_.remove_prefix(sizeof(T));
    return true;
  }
  template <typename T>
  bool GetArray(std::size_t n, std::vector<T>* out) {
    if (rest_.size() / sizeof(T) < n) return false;
    out->resize(n);
    std::memcpy(out->data(), rest_.data(), n * sizeof(T));
    rest_.remove_prefix(n * sizeof(T));
    return true;
  }
  std::size_t left() const { return rest_.size(); }

 private:
  std::string_view rest_;
};

}  // namespace

std::string EncodeSessionModel(const SessionModelTables& t) {
  std::string out;
  out.reserve(kMagic.size() + 16 + (4 + kTimeSteps) * 4 +
              (t.target.size() + t.bias.size() + t.context.size() + 1) * 4);
  out.append(kMagic);
  Put(&out, kVersion);
  Put(&out, t.tracks);
  Put(&out, t.dim);
  Put(&out, t.tied() ? std::uint32_t{0} : kSeparateContext);
  Put(&out, t.offset);
  Put(&out, t.gamma);
  Put(&out, t.first_weight);
  Put(&out, t.surprise_weight);
  PutArray<float>(&out, t.time_weight);
  PutArray<float>(&out, t.target);
  PutArray<float>(&out, t.bias);
  PutArray<float>(&out, t.context);
  Put(&out, Crc32(out));
  return out;
}

Result<SessionModelTables> DecodeSessionModel(std::string_view bytes, std::string_view where) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(fmt::format("{}: not a valid session model: {}", where, what));
  };
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return bad("it does not start with the magic \"BTFYSESM\"");
  }
  Reader in(bytes.substr(kMagic.size()));
  SessionModelTables t;
  std::uint32_t version = 0, flags = 0;
  if (!in.Get(&version)) return bad("truncated header");
  if (version != kVersion) return bad(fmt::format("version {}, this build reads {}", version, kVersion));
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
  std::vector<float> weights;
  in.GetArray(kTimeSteps, &weights);
  std::copy(weights.begin(), weights.end(), t.time_weight.begin());
  in.GetArray(rows, &t.target);
  in.GetArray(t.tracks, &t.bias);
  if (flags & kSeparateContext) in.GetArray(rows, &t.context);
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
