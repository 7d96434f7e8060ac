#include "engine/eventlog/event_fast_parser.h"

#include <boost/json/basic_parser_impl.hpp>
#include <cstdint>
#include <string>

namespace botify::eventlog {
namespace {

namespace json = boost::json;
using json::error_code;
using json::string_view;

enum Field : unsigned {
  kMessage = 0,
  kTimestamp,
  kUser,
  kTrack,
  kTime,
  kLatency,
  kRecommendation,
  kExperiments,
  kOther,
};
constexpr unsigned kRequired =
    (1u << kMessage) | (1u << kTimestamp) | (1u << kUser) | (1u << kTrack) | (1u << kTime);

Field FieldOf(std::string_view key) {
  static constexpr std::string_view kNames[] = {
      "message", "timestamp", "user", "track", "time", "latency", "recommendation", "experiments"};
  for (unsigned i = 0; i < kOther; ++i) {
    if (key == kNames[i]) return static_cast<Field>(i);
  }
  return kOther;
}

// SAX handler that fills an Event. Every callback returns false ("decline") on anything
// the DOM path would reject or might treat differently; the caller then falls back.
// Depth 1 is the top-level object; depth 2 the `experiments` object (or an ignored
// value of an unknown field, as is everything deeper).
class EventHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  void Start(Event* event) {
    event_ = event;
    event_->latency = 0;
    event_->recommendation.reset();
    event_->experiments.clear();
    depth_ = 0;
    seen_ = 0;
    field_ = kOther;
    in_experiments_ = false;
    complete_ = false;
    key_.clear();  // a declined line may have left a partial key or string behind
    str_.clear();
  }
  bool complete() const { return complete_; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code& ec) {
    ++depth_;
    if (depth_ == 1) return true;
    if (depth_ == 2 && field_ == kExperiments) return in_experiments_ = true;
    return OtherValue(depth_ - 1, ec);
  }
  bool on_object_end(std::size_t, error_code& ec) {
    --depth_;
    if (depth_ == 1) in_experiments_ = false;
    if (depth_ != 0) return true;
    complete_ = (seen_ & kRequired) == kRequired;
    return complete_ || Decline(ec);
  }
  bool on_array_begin(error_code& ec) {
    ++depth_;
    return OtherValue(depth_ - 1, ec);
  }
  bool on_array_end(std::size_t, error_code&) {
    --depth_;
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    if (Reading()) key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    if (!Reading()) return true;
    key_.append(s.data(), s.size());
    const bool ok = depth_ == 1 ? OnTopKey() : OnArmKey();
    if (depth_ == 1) key_.clear();
    return ok || Decline(ec);
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    if (Reading()) str_.append(s.data(), s.size());
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code& ec) {
    if (!Reading()) return depth_ > 0 || Decline(ec);
    str_.append(s.data(), s.size());
    const bool ok = depth_ == 1 ? OnTopString() : OnArm();
    str_.clear();
    return ok || Decline(ec);
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, string_view, error_code& ec) {
    if (depth_ != 1) return OtherValue(depth_, ec);
    if (i < 0) return OnNumber(static_cast<double>(i), false, 0, ec);
    return OnNumber(static_cast<double>(i), true, static_cast<std::uint64_t>(i), ec);
  }
  bool on_uint64(std::uint64_t u, string_view, error_code& ec) {
    if (depth_ != 1) return OtherValue(depth_, ec);
    return OnNumber(static_cast<double>(u), true, u, ec);
  }
  bool on_double(double d, string_view, error_code& ec) {
    if (depth_ != 1) return OtherValue(depth_, ec);
    return OnNumber(d, false, 0, ec);
  }
  bool on_bool(bool, error_code& ec) { return OtherValue(depth_, ec); }
  bool on_null(error_code& ec) {
    if (depth_ != 1) return OtherValue(depth_, ec);
    return field_ == kOther || field_ == kRecommendation || field_ == kExperiments || Decline(ec);
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  static bool Decline(error_code& ec) {
    ec = json::error::syntax;
    return false;
  }
  // Keys and strings are read in the top-level object and the experiments object only.
  bool Reading() const { return depth_ == 1 || in_experiments_; }
  // A value we do not read, held by the container at depth `d`: fine only inside an
  // unknown field's value (or as that value); never at the top level, never as the
  // value of a known field, never as an arm.
  bool OtherValue(int d, error_code& ec) const {
    if (d == 0 || in_experiments_) return Decline(ec);
    if (d == 1) return field_ == kOther || Decline(ec);
    return true;
  }

  bool OnTopKey() {
    field_ = FieldOf(key_);
    if (field_ == kOther) return true;
    if (seen_ & (1u << field_)) return false;  // duplicate key: let the DOM path decide
    seen_ |= 1u << field_;
    return true;
  }
  bool OnArmKey() {
    for (const auto& [name, arm] : event_->experiments) {
      if (name == key_) return false;  // duplicate experiment
    }
    return true;
  }
  bool OnArm() {
    event_->experiments.emplace_back(key_, str_);
    key_.clear();
    return true;
  }
  bool OnTopString() {
    if (field_ == kOther) return true;
    if (field_ != kMessage) return false;
    if (str_ == "next") {
      event_->kind = EventKind::kNext;
    } else if (str_ == "last") {
      event_->kind = EventKind::kLast;
    } else {
      return false;
    }
    return true;
  }
  // `as_double` is what GetNumber yields; `is_id`/`id` what AsUnsigned accepts.
  bool OnNumber(double as_double, bool is_id, std::uint64_t id, error_code& ec) {
    const bool id_ok = is_id && id <= kMaxId;
    switch (field_) {
      case kTimestamp:
        return TimestampFromNumber(as_double, &event_->timestamp_ms) || Decline(ec);
      case kTime:
        event_->time = as_double;
        return true;
      case kLatency:
        event_->latency = as_double;
        return true;
      case kUser:
        if (id_ok) event_->user = static_cast<UserId>(id);
        break;
      case kTrack:
        if (id_ok) event_->track = static_cast<TrackId>(id);
        break;
      case kRecommendation:
        if (id_ok) event_->recommendation = static_cast<TrackId>(id);
        break;
      case kOther:
        return true;
      default:
        return Decline(ec);
    }
    return id_ok || Decline(ec);
  }

  Event* event_ = nullptr;
  int depth_ = 0;
  unsigned seen_ = 0;
  Field field_ = kOther;
  bool in_experiments_ = false;
  bool complete_ = false;
  std::string key_;
  std::string str_;
};

}  // namespace

struct FastEventParser::Impl {
  Impl() : parser(json::parse_options{}) {}
  json::basic_parser<EventHandler> parser;
};

FastEventParser::FastEventParser() : impl_(std::make_unique<Impl>()) {}
FastEventParser::~FastEventParser() = default;

bool FastEventParser::Parse(std::string_view line, Event* event) {
  auto& p = impl_->parser;
  p.reset();
  p.handler().Start(event);
  error_code ec;
  const std::size_t n = p.write_some(false, line.data(), line.size(), ec);
  return !ec && n == line.size() && p.done() && p.handler().complete();
}

}  // namespace botify::eventlog
