// The routing config (engine/serving/routing_config.h), as `botify-server --config` and
// POST /admin/config read it. Besides the sanitizers' checks: every recommender spec of
// a config that parses is printed by ToString() as a spec that parses to the same one.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/serving/routing_config.h"
#include "fuzz/fuzz_check.h"

namespace {

void CheckRoundTrip(const botify::serving::RecommenderSpec& spec) {
  using botify::fuzz::Check;
  const std::string text = spec.ToString();
  const auto again = botify::serving::RecommenderSpec::Parse(text);
  Check(again.ok(), "a printed recommender spec does not parse");
  Check(again->ToString() == text, "a printed recommender spec parses to a different one");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto config = botify::serving::RoutingConfig::Parse(text);
  if (!config.ok()) {
    botify::fuzz::Check(!config.status().message().empty(), "a refused config has no message");
    return 0;
  }
  CheckRoundTrip(config->default_recommender);
  for (const auto& experiment : config->experiments) {
    for (const auto& arm : experiment.arms) {
      if (arm) CheckRoundTrip(*arm);
    }
  }
  return 0;
}
