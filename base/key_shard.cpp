#include "base/key_shard.h"

#include <charconv>

#include "base/murmur3.h"

namespace botify {
namespace {

// Digits only (no sign, no spaces), the whole of `text`.
bool ParseWhole(std::string_view text, std::uint32_t* value) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

Result<KeyShard> KeyShard::Parse(std::string_view text) {
  const auto slash = text.find('/');
  KeyShard shard;
  if (slash == std::string_view::npos || !ParseWhole(text.substr(0, slash), &shard.index) ||
      !ParseWhole(text.substr(slash + 1), &shard.count)) {
    return Status::InvalidArgument("shard '" + std::string(text) +
                                   "' is not I/N (e.g. 0/3: the first of three shards)");
  }
  BOTIFY_RETURN_IF_ERROR(shard.Validate().WithContext("shard '" + std::string(text) + "'"));
  return shard;
}

std::uint32_t KeyShard::Of(std::uint32_t id, std::uint32_t count) {
  char digits[16];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), id);
  return MurmurHash3_x86_32(std::string_view(digits, end - digits), kSeed) % count;
}

std::string KeyShard::ToString() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

Status KeyShard::Validate() const {
  if (count == 0 || count > kMaxShards) {
    return Status::InvalidArgument("the number of shards must be in [1, " +
                                   std::to_string(kMaxShards) + "], got " + std::to_string(count));
  }
  if (index >= count) {
    return Status::InvalidArgument("shard index " + std::to_string(index) +
                                   " is not below the number of shards " + std::to_string(count) +
                                   " (shards are numbered 0 to N-1)");
  }
  return Status::Ok();
}

}  // namespace botify
