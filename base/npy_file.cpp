#include "base/npy_file.h"

#include <fmt/core.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <regex>

namespace botify {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// Bytes read at a time from a C-order file: bounds the reader's memory beyond the result.
constexpr std::size_t kBlockBytes = 1 << 20;

static_assert(std::endian::native == std::endian::little, "npy I/O assumes a little-endian host");

Status Fail(const std::string& path, const std::string& what) {
  return Status::InvalidArgument(fmt::format("{}: not a 2-D float .npy file: {}", path, what));
}

// The element type of the file: float32 or float64, either byte order.
struct Dtype {
  std::size_t size = 4;  // bytes per value: 4 or 8
  bool big_endian = false;
};

std::string KindName(char kind) {
  switch (kind) {
    case 'f':
      return "floating point";
    case 'i':
      return "signed integer";
    case 'u':
      return "unsigned integer";
    case 'c':
      return "complex";
    case 'b':
      return "boolean";
    case 'U':
      return "unicode string";
    case 'S':
      return "byte string";
    case 'O':
      return "Python object";
    case 'M':
      return "datetime";
    case 'm':
      return "timedelta";
    default:
      return "unknown";
  }
}

Result<Dtype> ParseDtype(const std::string& descr, const std::string& path) {
  const std::string supported = "botify reads float32 and float64 ('<f4', '>f4', '<f8', '>f8')";
  if (descr.size() == 3 && (descr[0] == '<' || descr[0] == '>') && descr[1] == 'f' &&
      (descr[2] == '4' || descr[2] == '8')) {
    return Dtype{descr[2] == '4' ? 4u : 8u, descr[0] == '>'};
  }
  const char kind = descr.size() >= 2 ? descr[1] : '?';
  return Fail(
      path, fmt::format("dtype is '{}' ({}{}); {}", descr, KindName(kind),
                        kind == 'f' ? fmt::format(", {} bytes", descr.substr(2)) : "", supported));
}

// Reads the preamble and returns the header dictionary text.
Result<std::string> ReadHeader(std::ifstream& in, const std::string& path, int* version) {
  char pre[kMagicSize + 2];
  if (!in.read(pre, sizeof pre)) return Fail(path, "file is shorter than the .npy preamble");
  if (std::memcmp(pre, kMagic, kMagicSize) != 0) return Fail(path, "missing \\x93NUMPY magic");
  *version = static_cast<unsigned char>(pre[kMagicSize]);
  std::uint32_t header_len = 0;
  if (*version == 1) {
    std::uint16_t len16 = 0;
    if (!in.read(reinterpret_cast<char*>(&len16), 2)) return Fail(path, "truncated header length");
    header_len = len16;
  } else if (*version == 2 || *version == 3) {
    if (!in.read(reinterpret_cast<char*>(&header_len), 4))
      return Fail(path, "truncated header length");
  } else {
    return Fail(path,
                fmt::format("unsupported format version {} (botify reads 1, 2 and 3)", *version));
  }
  if (header_len > (1u << 20))
    return Fail(path, fmt::format("header length {} is implausible", header_len));
  std::string header(header_len, '\0');
  if (!in.read(header.data(), header_len)) return Fail(path, "truncated header");
  return header;
}

// Parses "{'descr': '<f4', 'fortran_order': False, 'shape': (N, d), }".
Status ParseHeader(const std::string& header, const std::string& path, FloatMatrix* m, Dtype* dtype,
                   NpyLayout* layout) {
  std::smatch match;
  static const std::regex descr(R"('descr'\s*:\s*'([^']*)')");
  if (!std::regex_search(header, match, descr)) {
    static const std::regex structured(R"('descr'\s*:\s*\[)");
    if (std::regex_search(header, structured)) {
      return Fail(path, "the dtype is structured (named fields); botify reads a plain float array");
    }
    return Fail(path, "header has no 'descr'");
  }
  layout->dtype = match[1].str();
  auto parsed = ParseDtype(layout->dtype, path);
  if (!parsed.ok()) return parsed.status();
  *dtype = *parsed;
  static const std::regex order(R"('fortran_order'\s*:\s*(True|False))");
  if (!std::regex_search(header, match, order)) return Fail(path, "header has no 'fortran_order'");
  layout->fortran_order = match[1] == "True";
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

// Converts `n` values stored as `dtype` in `bytes` to float32, writing value i to
// out[i * stride]. Returns the index of the first float64 value outside float32's finite
// range, or n when all fit (NaN and infinities convert as they are).
std::size_t Convert(const char* bytes, std::size_t n, const Dtype& dtype, float* out,
                    std::size_t stride) {
  for (std::size_t i = 0; i < n; ++i) {
    const char* p = bytes + i * dtype.size;
    if (dtype.size == 4) {
      std::uint32_t bits;
      std::memcpy(&bits, p, 4);
      if (dtype.big_endian) bits = __builtin_bswap32(bits);
      out[i * stride] = std::bit_cast<float>(bits);
    } else {
      std::uint64_t bits;
      std::memcpy(&bits, p, 8);
      if (dtype.big_endian) bits = __builtin_bswap64(bits);
      const double v = std::bit_cast<double>(bits);
      if (std::isfinite(v) && std::abs(v) > std::numeric_limits<float>::max()) return i;
      out[i * stride] = static_cast<float>(v);
    }
  }
  return n;
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

// Reads the data of `m` (shape set) from `in`, converting to float32 row-major.
Status ReadData(std::ifstream& in, const std::string& path, const Dtype& dtype, bool fortran_order,
                FloatMatrix* m) {
  m->data.resize(m->rows * m->cols);
  // C order: blocks of whole values in file order. Fortran order: one column at a time,
  // scattered with stride cols.
  const std::size_t run =
      fortran_order ? m->rows : std::max<std::size_t>(1, kBlockBytes / dtype.size);
  const std::size_t total = m->data.size();
  std::vector<char> scratch(std::min(run, total) * dtype.size);
  for (std::size_t done = 0; done < total;) {
    const std::size_t n = std::min(run, total - done);
    if (!in.read(scratch.data(), static_cast<std::streamsize>(n * dtype.size))) {
      return Fail(path, "read failed in the data");
    }
    float* out = fortran_order ? m->data.data() + done / m->rows : m->data.data() + done;
    const std::size_t stride = fortran_order ? m->cols : 1;
    const std::size_t bad = Convert(scratch.data(), n, dtype, out, stride);
    if (bad != n) {
      const std::size_t flat = done + bad;
      const std::size_t row = fortran_order ? flat % m->rows : flat / m->cols;
      const std::size_t col = fortran_order ? flat / m->rows : flat % m->cols;
      return Fail(path, fmt::format("value at row {}, column {} does not fit float32", row, col));
    }
    done += n;
  }
  return Status::Ok();
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

Result<FloatMatrix> ReadNpy(const std::string& path, NpyLayout* layout) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  NpyLayout local;
  NpyLayout& l = layout != nullptr ? *layout : local;
  auto header = ReadHeader(in, path, &l.version);
  if (!header.ok()) return header.status();
  FloatMatrix m;
  Dtype dtype;
  BOTIFY_RETURN_IF_ERROR(ParseHeader(*header, path, &m, &dtype, &l));
  // The size is checked against the file before anything is allocated, so a header that
  // claims a huge shape is an error, not an allocation failure.
  const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  if (m.cols != 0 && m.rows > max / m.cols / dtype.size) {
    return Fail(path, fmt::format("shape ({}, {}) is too large", m.rows, m.cols));
  }
  const std::uint64_t need = std::uint64_t{m.rows} * m.cols * dtype.size;
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError(fmt::format("{}: cannot stat: {}", path, ec.message()));
  const std::uint64_t data_start = static_cast<std::uint64_t>(in.tellg());
  const std::uint64_t found = file_size - std::min(file_size, data_start);
  if (found < need) {
    return Fail(path, fmt::format("data is truncated: shape ({}, {}) of '{}' needs {} bytes, "
                                  "found {}",
                                  m.rows, m.cols, l.dtype, need, found));
  }
  if (found > need) {
    return Fail(path, fmt::format("{} trailing bytes after the data", found - need));
  }
  BOTIFY_RETURN_IF_ERROR(ReadData(in, path, dtype, l.fortran_order, &m));
  return m;
}

}  // namespace botify
