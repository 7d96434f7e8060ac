// The README's main job (scripts/pipeline.sh) on a small world: every step runs against
// the real server and the run ends with both effects tables and a stopped server.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_support.h"

using namespace botify::testing;
namespace fs = std::filesystem;

TEST_CASE("the whole loop runs end to end on a small world", "[e2e][pipeline]") {
  TempDir dir;
  const std::string build_dir = fs::path(BOTIFY_CLI_BINARY).parent_path().string();
  std::string output;
  const int code = RunCommand(
      {"/bin/bash", std::string(BOTIFY_SOURCE_DIR) + "/scripts/pipeline.sh", "--preset", "small",
       "--episodes", "1500", "--trials", "2", "--out", dir.path().string(), "--build", build_dir},
      &output, 600000);
  INFO(output.substr(output.size() > 6000 ? output.size() - 6000 : 0));
  REQUIRE(code == 0);
  CHECK_THAT(output, Catch::Contains("== USER_BASED") && Catch::Contains("== PERSONALIZED"));
  CHECK_THAT(output, Catch::Contains("| T1 | mean_time_per_session |"));
  // The seven-arm ALL experiment, every treatment in its table and beside the course's.
  CHECK_THAT(output, Catch::Contains("== ALL against the original course"));
  for (const char* arm : {"T1", "T2", "T3", "T4", "T5", "T6"}) {
    INFO(arm);
    CHECK_THAT(output, Catch::Contains(std::string("| ") + arm + " | mean_time_per_session |"));
  }
  CHECK_THAT(output, Catch::Contains("| T4 | session:contextual:ctx |"));
  CHECK_THAT(output, Catch::Contains("| T8 | session_model:sm |") &&
                         Catch::Contains("| T8 | mean_time_per_session |"));
  for (const char* file :
       {"reports/USER_BASED.html", "reports/PERSONALIZED.html", "reports/ALL.html",
        "run/recs/ub.jsonl", "run/recs/lfm.jsonl", "run/recs/top.jsonl", "run/recs/ctx.jsonl",
        "run/recs/ctxd.jsonl", "run/recs/sm.jsonl", "run/recs/sm.model", "run/recs/personal.jsonl",
        "tensorboard/projector_config.pbtxt"}) {
    INFO(file);
    CHECK(fs::exists(dir.path() / file));
  }
  // The server is stopped (no process serves this run's database any more).
  // (pgrep exits 1 for "no match"; anything else, a missing pgrep included, fails.)
  CHECK(RunCommand({"/usr/bin/pgrep", "-f", (dir.path() / "run/db").string()}) == 1);
  // Everything the server logged was sealed and shipped; no segment is left behind.
  for (const char* folder : {"run/logs/sealed", "run/logs/active"}) {
    for (const auto& e : fs::directory_iterator(dir.path() / folder)) {
      CHECK(e.path().extension() != ".jsonl");
    }
  }
}
