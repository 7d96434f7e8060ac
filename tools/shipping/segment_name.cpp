#include "tools/shipping/segment_name.h"

#include <cctype>
#include <string>

namespace botify::tools {
namespace {

constexpr std::string_view kPrefix = "events-";
constexpr std::string_view kSuffix = ".jsonl";

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

// Splits off the last "-<part>" of *rest; returns the part, or nullopt-like empty on failure.
std::string_view PopLast(std::string_view* rest) {
  const std::size_t dash = rest->rfind('-');
  if (dash == std::string_view::npos) return {};
  std::string_view part = rest->substr(dash + 1);
  *rest = rest->substr(0, dash);
  return part;
}

}  // namespace

bool IsSegmentCandidate(std::string_view file_name) {
  return file_name.size() > kSuffix.size() && file_name.ends_with(kSuffix) &&
         !file_name.starts_with(".");
}

Result<SegmentName> ParseSegmentName(std::string_view file_name) {
  const std::string quoted = "segment name '" + std::string(file_name) + "'";
  if (!file_name.starts_with(kPrefix) || !file_name.ends_with(kSuffix)) {
    return Status::InvalidArgument(quoted + ": expected events-<host>-<time>-<boot>-<seq>.jsonl");
  }
  std::string_view rest = file_name.substr(kPrefix.size());
  rest.remove_suffix(kSuffix.size());
  const std::string_view seq = PopLast(&rest);
  if (seq.size() < 6 || !AllOf(seq, isdigit)) {  // 6 digits, more once past 999999
    return Status::InvalidArgument(quoted + ": sequence number is not 6 digits");
  }
  const std::string_view boot = PopLast(&rest);
  if (boot.size() != 8 || !AllOf(boot, isxdigit)) {
    return Status::InvalidArgument(quoted + ": boot id is not 8 hex digits");
  }
  const std::string day = DayOfOpenTime(PopLast(&rest));
  if (day.empty()) {
    return Status::InvalidArgument(quoted + ": open time is not YYYYMMDDTHHMMSSZ");
  }
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return Status::InvalidArgument(quoted + ": host is empty or has a '/'");
  }
  return SegmentName{std::string(file_name), std::string(rest), day};
}

}  // namespace botify::tools
