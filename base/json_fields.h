// Typed access to fields of a parsed JSON object, with errors that name the field and the
// offending value. Used by every loader of JSON lines (catalog, users, recommendation
// files, event logs) and by the HTTP request parser.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace botify {

// An integer in [0, max]; accepts JSON integers only (not 1.0, not "1").
Result<std::uint64_t> GetUnsigned(const boost::json::object& obj, std::string_view field,
                                  std::uint64_t max);
// Any JSON number (integer or floating point) as a double.
Result<double> GetNumber(const boost::json::object& obj, std::string_view field);
Result<std::string> GetString(const boost::json::object& obj, std::string_view field);
// A JSON value converted to an unsigned id in [0, max], for arrays of ids.
Result<std::uint64_t> AsUnsigned(const boost::json::value& v, std::uint64_t max);

// Short rendering of a JSON value for error messages (truncated).
std::string Preview(const boost::json::value& v);

// Parses one line as a JSON object; the error says what the parser disliked.
Result<boost::json::object> ParseObject(std::string_view line);

}  // namespace botify
