// The README's main job (scripts/pipeline.sh) on a small world: every step runs against
// the real server and the run ends with both effects tables and a stopped server. Then the
// same loop on worlds that are not the embedded one (--world): a world in the 2026 course's
// layout and one built over a catalog by `world gen --catalog`; and the world step's
// refusal to reuse a stale preset world.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/test_support.h"

#include <string>
#include <vector>

using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

const std::string kBuildDir = fs::path(BOTIFY_CLI_BINARY).parent_path().string();

// Runs scripts/<script> with `args`; the output (stdout and stderr) goes to *output.
int RunScript(const std::string& script, std::vector<std::string> args, std::string* output) {
  args.insert(args.begin(), {"/bin/bash", std::string(BOTIFY_SOURCE_DIR) + "/scripts/" + script});
  return RunCommand(args, output, 600000);
}

// The tail of a long output, for failure messages.
std::string Tail(const std::string& output) {
  return output.substr(output.size() > 6000 ? output.size() - 6000 : 0);
}

// The loop on a world folder of its own, briefly (few episodes, two search trials).
void RunLoopOnWorld(const TempDir& dir, const std::string& world) {
  std::string output;
  const int code = RunScript("pipeline.sh",
                             {"--world", world, "--episodes", "800", "--trials", "2",
                              "--allow-below-baseline", "--out", dir / "out", "--build", kBuildDir},
                             &output);
  INFO(Tail(output));
  REQUIRE(code == 0);
  CHECK_THAT(output, Catch::Contains("is a good world"));
  CHECK_THAT(output, Catch::Contains("== ALL against the original course"));
  CHECK_THAT(output, Catch::Contains("| T4 | session:contextual:ctx |"));
  CHECK_THAT(output, Catch::Contains("world                " + world));
  CHECK_FALSE(fs::exists(dir / "out/world-default"));
}

}  // namespace

TEST_CASE("the whole loop runs end to end on a small world", "[e2e][pipeline]") {
  TempDir dir;
  const std::string build_dir = kBuildDir;
  std::string output;
  const int code = RunScript("pipeline.sh",
                             {"--preset", "small", "--episodes", "1500", "--trials", "2", "--out",
                              dir.path().string(), "--build", build_dir},
                             &output);
  INFO(Tail(output));
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

// The 2026 course's layout, written here as its generator writes it: embeddings.npy in
// float64 (NumPy's default for a list of Python floats), users with 1 to 6 interests, no
// interest_neighbours, and an "openness" field neither simulator models; tracks.json with
// fields botify does not read. The geometry is a small botify world's, so that the loop
// has something to learn.
TEST_CASE("the whole loop runs on a world in the 2026 course's layout", "[e2e][pipeline]") {
  TempDir dir;
  std::string output;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--out", dir / "base", "--preset", "small",
                      "--tracks", "600", "--artists", "80", "--users", "150"},
                     &output) == 0);
  WriteFile(dir / "to2026.py", R"(
import json, sys, numpy as np
src, dst = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(7)
emb = np.load(src + "/tracks.npy").astype(np.float64)
np.save(dst + "/embeddings.npy", np.asfortranarray(emb))
with open(src + "/tracks.json") as f, open(dst + "/tracks.json", "w") as out:
    for line in f:
        t = json.loads(line)
        t.update({"genres": ["rock"], "year": 1999, "mood": "Calm"})
        out.write(json.dumps(t) + "\n")
with open(src + "/users.json") as f, open(dst + "/users.json", "w") as out:
    for line in f:
        u = json.loads(line)
        n = 1 + int(rng.binomial(5, 0.5))
        u["interests"] = [int(x) for x in rng.integers(0, len(emb), n)]
        u["openness"] = float(rng.uniform(0.25, 0.75))
        u["session_budget"] = int(rng.integers(3, 10))
        out.write(json.dumps(u) + "\n")
)");
  fs::create_directories(dir / "w2026");
  REQUIRE(RunCommand({"/usr/bin/python3", dir / "to2026.py", dir / "base", dir / "w2026"},
                     &output) == 0);
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "check", dir / "w2026"}, &output) == 0);
  CHECK_THAT(output, Catch::Contains("dtype '<f8', Fortran order") &&
                         Catch::Contains("openness: set by 150 users, ignored"));
  RunLoopOnWorld(dir, dir / "w2026");
}

TEST_CASE("the whole loop runs on a world made by world gen --catalog", "[e2e][pipeline]") {
  TempDir dir;
  std::string catalog;
  // 600 tracks; artists of 1 to 25 tracks, most of them single-track as in real catalogs.
  int track = 0;
  for (int artist = 0; track < 600; ++artist) {
    const int size = artist % 3 == 0 ? 1 + artist % 25 : 1;
    for (int i = 0; i < size && track < 600; ++i, ++track) {
      catalog += "{\"track\": " + std::to_string(track) + ", \"artist\": \"Artist " +
                 std::to_string(artist) + "\", \"title\": \"t" + std::to_string(track) + "\"}\n";
    }
  }
  WriteFile(dir / "tracks.json", catalog);
  std::string output;
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "world", "gen", "--catalog", dir / "tracks.json",
                      "--users", "150", "--genres", "10", "--out", dir / "w"},
                     &output) == 0);
  RunLoopOnWorld(dir, dir / "w");
}

// A preset world left by an earlier run is reused only when it is exactly what `world gen`
// writes now; a stale one is replaced, saying what differed; a bad --world stops the loop.
TEST_CASE("the pipeline's world step never silently reuses a stale world", "[e2e][pipeline]") {
  TempDir dir;
  std::string output;
  const std::vector<std::string> preset = {"--build",   kBuildDir,  "--out",
                                           dir / "out", "--preset", "small"};
  REQUIRE(RunScript("pipeline_world.sh", preset, &output) == 0);
  CHECK_THAT(output, Catch::EndsWith(dir / "out/world-small\n"));
  const std::string users = ReadFile(dir / "out/world-small/users.json");
  REQUIRE(RunScript("pipeline_world.sh", preset, &output) == 0);
  CHECK_THAT(output, Catch::Contains("identical to a fresh `world gen --preset small`: reused"));
  WriteFile(dir / "out/world-small/users.json", "{\"user\": 0, \"interests\": [1]}\n");
  WriteFile(dir / "out/world-small/embeddings.npy", "stale");
  REQUIRE(RunScript("pipeline_world.sh", preset, &output) == 0);
  CHECK_THAT(output,
             Catch::Contains("is not what `world gen --preset small` writes now; replaced") &&
                 Catch::Contains("users.json") && Catch::Contains("embeddings.npy"));
  CHECK(ReadFile(dir / "out/world-small/users.json") == users);
  CHECK_FALSE(fs::exists(dir / "out/world-small/embeddings.npy"));
  // --world is used as it is, and only when it checks out.
  fs::create_directories(dir / "bad");
  WriteFile(dir / "bad/tracks.json", "{\"track\": 0, \"artist\": \"A\"}\n");
  CHECK(RunScript("pipeline_world.sh",
                  {"--build", kBuildDir, "--out", dir / "out", "--world", dir / "bad"},
                  &output) == 2);
  CHECK_THAT(output, Catch::Contains("has no embeddings") &&
                         Catch::Contains("not a world botify can run on"));
  CHECK(RunScript("pipeline.sh",
                  {"--world", dir / "bad", "--out", dir / "out", "--build", kBuildDir},
                  &output) != 0);
  CHECK_THAT(output, Catch::Contains("pipeline: FAILED"));
}
