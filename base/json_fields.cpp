#include "base/json_fields.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace botify {

namespace json = boost::json;

std::string Preview(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

Result<std::uint64_t> AsUnsigned(const json::value& v, std::uint64_t max) {
  if (v.is_int64()) {
    const std::int64_t i = v.get_int64();
    if (i < 0 || static_cast<std::uint64_t>(i) > max) {
      return Status::InvalidArgument("id " + std::to_string(i) + " is out of range [0, " +
                                     std::to_string(max) + "]");
    }
    return static_cast<std::uint64_t>(i);
  }
  if (v.is_uint64()) {
    if (v.get_uint64() > max) {
      return Status::InvalidArgument("id " + std::to_string(v.get_uint64()) +
                                     " is out of range [0, " + std::to_string(max) + "]");
    }
    return v.get_uint64();
  }
  return Status::InvalidArgument("expected a non-negative integer, got " + Preview(v));
}

Result<std::uint64_t> GetUnsigned(const json::object& obj, std::string_view field,
                                  std::uint64_t max) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr) return Status::InvalidArgument("field '" + std::string(field) + "' is missing");
  auto r = AsUnsigned(*v, max);
  if (!r.ok()) return r.status().WithContext("field '" + std::string(field) + "'");
  return r;
}

Result<double> GetNumber(const json::object& obj, std::string_view field) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr) return Status::InvalidArgument("field '" + std::string(field) + "' is missing");
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return Status::InvalidArgument("field '" + std::string(field) + "': expected a number, got " +
                                 Preview(*v));
}

Result<std::string> GetString(const json::object& obj, std::string_view field) {
  const json::value* v = obj.if_contains(field);
  if (v == nullptr) return Status::InvalidArgument("field '" + std::string(field) + "' is missing");
  if (!v->is_string()) {
    return Status::InvalidArgument("field '" + std::string(field) + "': expected a string, got " +
                                   Preview(*v));
  }
  return std::string(v->get_string());
}

Result<json::object> ParseObject(std::string_view line) {
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec) return Status::InvalidArgument("malformed JSON: " + ec.message());
  if (!v.is_object()) return Status::InvalidArgument("expected a JSON object, got " + Preview(v));
  return std::move(v.as_object());
}

}  // namespace botify
