// Little-endian binary file formats (the trained models' files): values and arrays of
// trivially copyable types appended to a byte string, read back with bounds checks, and
// the zlib CRC-32 that guards such a file.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace botify {

static_assert(std::endian::native == std::endian::little, "binary formats are little-endian");

template <typename T>
void AppendBinary(std::string* out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out->append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
void AppendBinaryArray(std::string* out, const T* data, std::size_t n) {
  static_assert(std::is_trivially_copyable_v<T>);
  out->append(reinterpret_cast<const char*>(data), n * sizeof(T));
}

// Reads values off the front of a byte string; a read past the end fails and reads
// nothing. Thread-compatible; `bytes` must outlive it.
class BinaryReader {
 public:
  explicit BinaryReader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Get(T* value) {
    return GetArray(value, 1);
  }
  template <typename T>
  bool GetArray(T* data, std::size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (n > (bytes_.size() - pos_) / sizeof(T)) return false;
    std::memcpy(data, bytes_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  std::size_t pos() const { return pos_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

// zlib's CRC-32 of `bytes` (any length).
std::uint32_t Crc32(std::string_view bytes);

}  // namespace botify
