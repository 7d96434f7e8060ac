#include "tests/tools/ship_test_support.h"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <stdexcept>

#include "base/random.h"
#include "engine/eventlog/event.h"
#include "tests/test_support.h"

namespace botify::testing {

namespace fs = std::filesystem;

std::vector<std::string> WriteSealedSegments(const fs::path& dir, int segments,
                                             int lines_per_segment, const std::string& host,
                                             unsigned seed) {
  Rng rng(seed);
  std::vector<std::string> all;
  const eventlog::LoggedArm arms[] = {{"USER_BASED", "T1"}};
  for (int s = 0; s < segments; ++s) {
    std::string text;
    for (int i = 0; i < lines_per_segment; ++i) {
      const std::size_t before = text.size();
      const bool last = rng.Uniform(5) == 0;
      eventlog::AppendEventJson(
          &text, last ? eventlog::EventKind::kLast : eventlog::EventKind::kNext,
          1708329390469 + s * 1000 + i, static_cast<UserId>(rng.Uniform(10000)),
          static_cast<TrackId>(rng.Uniform(50000)), rng.UniformDouble(), rng.UniformDouble() / 100,
          last ? std::nullopt : std::optional<TrackId>(rng.Uniform(50000)), arms);
      all.push_back(text.substr(before));
    }
    // Half of the segments opened on 2024-02-19, half on 2024-02-20 (UTC).
    const std::string open_time =
        fmt::format("202402{:02d}T{:02d}{:02d}00Z", s < segments / 2 ? 19 : 20, s / 60, s % 60);
    WriteFile(
        (dir / fmt::format("events-{}-{}-0badf00d-{:06d}.jsonl", host, open_time, s)).string(),
        text);
  }
  return all;
}

namespace {

std::string Gunzip(const std::string& data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) throw std::runtime_error("inflateInit2");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[1 << 14];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof(chunk);
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof(chunk) - z.avail_out);
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("not a complete gzip stream");
  return out;
}

}  // namespace

std::vector<std::string> SplitShippedLines(const std::string& content) {
  const bool gz = content.size() >= 2 && static_cast<unsigned char>(content[0]) == 0x1f &&
                  static_cast<unsigned char>(content[1]) == 0x8b;
  const std::string text = gz ? Gunzip(content) : content;
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size() - 1;  // keeps a torn tail visible
    lines.push_back(text.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string> Sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> ShippedLines(const std::map<std::string, std::string>& files) {
  std::vector<std::string> lines;
  for (const auto& [path, content] : files) {
    const std::string name = fs::path(path).filename().string();
    if (name.starts_with(".") || !(name.ends_with(".jsonl") || name.ends_with(".jsonl.gz"))) {
      continue;
    }
    for (std::string& line : SplitShippedLines(content)) lines.push_back(std::move(line));
  }
  return Sorted(std::move(lines));
}

std::map<std::string, std::string> ReadTree(const fs::path& root) {
  std::map<std::string, std::string> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), root).string()] = ReadFile(entry.path().string());
    }
  }
  return files;
}

}  // namespace botify::testing
