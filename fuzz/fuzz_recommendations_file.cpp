// One line of a recommendations file (engine/catalog/recommendations_file.h), as
// `botify index build` reads it. Besides the sanitizers' checks: a line that parses is
// written back by AppendRecommendationsLine into a line that parses to the same list.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/catalog/recommendations_file.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using botify::fuzz::Check;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const auto parsed = botify::catalog::ParseRecommendationsLine(line);
  if (!parsed.ok()) {
    Check(!parsed.status().message().empty(), "a rejected line has no error message");
    return 0;
  }
  std::string written;
  botify::catalog::AppendRecommendationsLine(&written, parsed->key, parsed->id, parsed->tracks);
  const auto again = botify::catalog::ParseRecommendationsLine(written);
  Check(again.ok(), "a written line does not parse");
  Check(again->key == parsed->key && again->id == parsed->id && again->tracks == parsed->tracks,
        "a written line parses to a different list");
  return 0;
}
