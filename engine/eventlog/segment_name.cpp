#include "engine/eventlog/segment_name.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <ctime>
#include <string>

namespace botify::eventlog {
namespace {

constexpr std::string_view kPrefix = "events-";
constexpr std::string_view kSuffix = ".jsonl";
constexpr std::size_t kSeqDigits = 12;

bool AllOf(std::string_view s, int (*pred)(int)) {
  for (char c : s) {
    if (pred(static_cast<unsigned char>(c)) == 0) return false;
  }
  return !s.empty();
}

// "20240219T081630Z" -> "2024-02-19", or empty if malformed.
std::string DayOfOpenTime(std::string_view t) {
  if (t.size() != 16 || t[8] != 'T' || t[15] != 'Z') return "";
  if (!AllOf(t.substr(0, 8), isdigit) || !AllOf(t.substr(9, 6), isdigit)) return "";
  const int month = std::stoi(std::string(t.substr(4, 2)));
  const int day = std::stoi(std::string(t.substr(6, 2)));
  if (month < 1 || month > 12 || day < 1 || day > 31) return "";
  return std::string(t.substr(0, 4)) + "-" + std::string(t.substr(4, 2)) + "-" +
         std::string(t.substr(6, 2));
}

// Splits off the last "-<part>" of *rest and returns the part ("" if there is no '-').
std::string_view PopLast(std::string_view* rest) {
  const std::size_t dash = rest->rfind('-');
  if (dash == std::string_view::npos) return {};
  std::string_view part = rest->substr(dash + 1);
  *rest = rest->substr(0, dash);
  return part;
}

// Decimal digits (at least `min_digits`, at most 19) into *out.
bool ParseSeq(std::string_view digits, std::size_t min_digits, std::uint64_t* out) {
  if (digits.size() < min_digits || digits.size() > 19 || !AllOf(digits, isdigit)) return false;
  std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  return true;
}

Status Malformed(std::string_view file_name, const std::string& problem) {
  return Status::InvalidArgument("segment name '" + std::string(file_name) + "': " + problem);
}

}  // namespace

std::string SegmentHost(std::string_view host) {
  std::string out(host);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  }
  return out.empty() ? "host" : out;
}

std::string FormatSegmentName(std::string_view host, std::uint64_t seq,
                              std::chrono::system_clock::time_point opened,
                              std::string_view boot_id) {
  const std::time_t t = std::chrono::system_clock::to_time_t(opened);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
  return fmt::format("{}{}-s{:0{}}-{}-{}{}", kPrefix, host, seq, kSeqDigits, stamp, boot_id,
                     kSuffix);
}

bool IsSegmentCandidate(std::string_view file_name) {
  return file_name.size() > kSuffix.size() && file_name.ends_with(kSuffix) &&
         !file_name.starts_with(".");
}

Result<SegmentName> ParseSegmentName(std::string_view file_name) {
  if (!file_name.starts_with(kPrefix) || !file_name.ends_with(kSuffix)) {
    return Malformed(file_name, "expected events-<host>-s<seq>-<time>-<boot>.jsonl");
  }
  std::string_view rest = file_name.substr(kPrefix.size());
  rest.remove_suffix(kSuffix.size());
  SegmentName name;
  name.file_name = std::string(file_name);
  const std::string_view last = PopLast(&rest);
  const std::string_view middle = PopLast(&rest);
  const bool current = !DayOfOpenTime(middle).empty();
  std::string_view boot, time;
  if (current) {  // ...-s<seq>-<time>-<boot>
    boot = last;
    time = middle;
    const std::string_view seq = PopLast(&rest);
    if (!seq.starts_with('s') || !ParseSeq(seq.substr(1), kSeqDigits, &name.seq)) {
      return Malformed(file_name, "sequence number is not 's' and 12 digits");
    }
  } else {  // the earlier form: ...-<time>-<boot>-<seq>
    name.per_boot_seq = true;
    if (!ParseSeq(last, 6, &name.seq)) {  // 6 digits, more once past 999999
      return Malformed(file_name, "sequence number is not 6 digits");
    }
    boot = middle;
    time = PopLast(&rest);
  }
  if (boot.size() != 8 || !AllOf(boot, isxdigit)) {
    return Malformed(file_name, "boot id is not 8 hex digits");
  }
  name.day = DayOfOpenTime(time);
  if (name.day.empty()) return Malformed(file_name, "open time is not YYYYMMDDTHHMMSSZ");
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return Malformed(file_name, "host is empty or has a '/'");
  }
  name.host = std::string(rest);
  return name;
}

}  // namespace botify::eventlog
