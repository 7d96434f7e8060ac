#include "base/npy_file.h"

#include <fmt/core.h>

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <regex>

namespace botify {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

static_assert(std::endian::native == std::endian::little, "npy I/O assumes a little-endian host");

Status Fail(const std::string& path, const std::string& what) {
  return Status::InvalidArgument(fmt::format("{}: not a float32 [N, d] .npy file: {}", path, what));
}

// Reads the preamble and returns the header dictionary text.
Result<std::string> ReadHeader(std::ifstream& in, const std::string& path) {
  char pre[kMagicSize + 2];
  if (!in.read(pre, sizeof pre)) return Fail(path, "file is shorter than the .npy preamble");
  if (std::memcmp(pre, kMagic, kMagicSize) != 0) return Fail(path, "missing \\x93NUMPY magic");
  const int major = static_cast<unsigned char>(pre[kMagicSize]);
  std::uint32_t header_len = 0;
  if (major == 1) {
    std::uint16_t len16 = 0;
    if (!in.read(reinterpret_cast<char*>(&len16), 2)) return Fail(path, "truncated header length");
    header_len = len16;
  } else if (major == 2 || major == 3) {
    if (!in.read(reinterpret_cast<char*>(&header_len), 4))
      return Fail(path, "truncated header length");
  } else {
    return Fail(path, fmt::format("unsupported format version {}", major));
  }
  if (header_len > (1u << 20))
    return Fail(path, fmt::format("header length {} is implausible", header_len));
  std::string header(header_len, '\0');
  if (!in.read(header.data(), header_len)) return Fail(path, "truncated header");
  return header;
}

// Parses "{'descr': '<f4', 'fortran_order': False, 'shape': (N, d), }" into rows and cols.
Status ParseHeader(const std::string& header, const std::string& path, FloatMatrix* m) {
  std::smatch match;
  static const std::regex descr(R"('descr'\s*:\s*'([^']*)')");
  if (!std::regex_search(header, match, descr)) return Fail(path, "header has no 'descr'");
  if (match[1] != "<f4")
    return Fail(path, fmt::format("dtype is '{}', expected '<f4'", match[1].str()));
  static const std::regex order(R"('fortran_order'\s*:\s*(True|False))");
  if (!std::regex_search(header, match, order)) return Fail(path, "header has no 'fortran_order'");
  if (match[1] == "True") return Fail(path, "array is in Fortran order, expected C order");
  static const std::regex shape(R"('shape'\s*:\s*\(([^)]*)\))");
  if (!std::regex_search(header, match, shape)) return Fail(path, "header has no 'shape'");
  static const std::regex two_dims(R"(^\s*(\d+)\s*,\s*(\d+)\s*,?\s*$)");
  const std::string dims = match[1].str();
  if (!std::regex_match(dims, match, two_dims)) {
    return Fail(path, fmt::format("shape is ({}), expected two dimensions (N, d)", dims));
  }
  // from_chars, not stoull: a 30-digit dimension is a bad file, not an exception.
  for (auto [group, out] : {std::pair{1, &m->rows}, std::pair{2, &m->cols}}) {
    const std::string digits = match[group].str();
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
      return Fail(path, fmt::format("shape dimension {} is out of range", digits));
    }
  }
  return Status::Ok();
}

std::string MakeHeader(const FloatMatrix& m) {
  std::string dict = fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {}), }}",
                                 m.rows, m.cols);
  // Pad with spaces so that preamble + header + '\n' is a multiple of 64 bytes.
  const std::size_t unpadded = kMagicSize + 2 + 2 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict.push_back('\n');
  return dict;
}

}  // namespace

Status WriteNpy(const std::string& path, const FloatMatrix& m) {
  const std::string header = MakeHeader(m);
  if (header.size() > 0xffff) return Status::InvalidArgument(path + ": .npy header too long");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IoError(path + ": cannot open for writing");
  const std::uint16_t len = static_cast<std::uint16_t>(header.size());
  const char version[2] = {1, 0};
  out.write(kMagic, kMagicSize);
  out.write(version, 2);
  out.write(reinterpret_cast<const char*>(&len), 2);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(reinterpret_cast<const char*>(m.data.data()),
            static_cast<std::streamsize>(m.data.size() * sizeof(float)));
  out.close();
  if (!out) return Status::IoError(path + ": write failed");
  return Status::Ok();
}

Result<FloatMatrix> ReadNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  auto header = ReadHeader(in, path);
  if (!header.ok()) return header.status();
  FloatMatrix m;
  BOTIFY_RETURN_IF_ERROR(ParseHeader(*header, path, &m));
  const std::size_t count = m.rows * m.cols;
  m.data.resize(count);
  in.read(reinterpret_cast<char*>(m.data.data()),
          static_cast<std::streamsize>(count * sizeof(float)));
  if (static_cast<std::size_t>(in.gcount()) != count * sizeof(float)) {
    return Fail(path, fmt::format("data is truncated: shape ({}, {}) needs {} bytes, found {}",
                                  m.rows, m.cols, count * sizeof(float), in.gcount()));
  }
  if (in.peek() != std::char_traits<char>::eof())
    return Fail(path, "trailing bytes after the data");
  return m;
}

}  // namespace botify
