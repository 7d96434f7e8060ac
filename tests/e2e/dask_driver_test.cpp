// scripts/botify_dask.py on a real Dask cluster on loopback: a dask-scheduler and three
// dask-worker processes started as an operator starts them. The driver runs the USER_BASED
// A/B analysis and the model-based export by user shard; one worker is killed (SIGKILL)
// while it runs a shard, and the results must still equal the single-machine commands'.
// Skipped with a warning only when python3-distributed is missing (scripts/install-deps.sh
// installs it).
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/train/mf/synthetic_log.h"
#include "tests/test_support.h"

using namespace botify;
using namespace botify::testing;
namespace fs = std::filesystem;

namespace {

const std::string kPython = "/usr/bin/python3";
const std::string kSource = BOTIFY_SOURCE_DIR;

bool HaveDask() {
  std::string output;
  return RunCommand({kPython, "-c", "import distributed"}, &output) == 0 &&
         fs::exists("/usr/bin/dask-scheduler") && fs::exists("/usr/bin/dask-worker");
}

// The first attempt marker the driver's tasks leave (scripts/botify_dask.py run_shard):
// the pid of the worker that runs it; 0 if none yet.
pid_t FirstAttemptPid(const std::string& work) {
  const fs::path attempts = fs::path(work) / "attempts";
  if (!fs::is_directory(attempts)) return 0;
  for (const auto& entry : fs::directory_iterator(attempts)) {
    const std::string text = ReadFile(entry.path().string());
    if (!text.empty() && text.back() == '\n') return static_cast<pid_t>(std::stol(text));
  }
  return 0;
}

}  // namespace

TEST_CASE(
    "the Dask driver runs the USER_BASED analysis and the mf export on 3 workers, one "
    "killed midway, with the single-machine results",
    "[e2e][dask]") {
  if (!HaveDask()) {
    WARN("python3-distributed is not installed (scripts/install-deps.sh installs it): skipped");
    return;
  }
  TempDir dir;
  std::string output;
  // Inputs: a USER_BASED experiment's logs and a small mf model.
  REQUIRE(RunCommand({kPython, kSource + "/bench/ab_generate_log.py", "--out", dir / "logs",
                      "--rows", "20000", "--users", "900", "--experiment", "USER_BASED",
                      "--weights", "50,50", "--effect", "0.08", "--seed", "35"},
                     &output) == 0);
  fs::create_directories(dir / "mf_logs");
  train::mf::SyntheticLogOptions log;
  log.users = 300;
  log.tracks = 150;
  REQUIRE(
      train::mf::WriteEventLog(train::mf::MakeSyntheticEvents(log), dir / "mf_logs/e.jsonl").ok());
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf", "--logs", dir / "mf_logs", "--out",
                      dir / "mf_single.jsonl", "--components", "8", "--epochs", "2", "--min-epochs",
                      "2", "--allow-below-baseline", "--model-out", dir / "model.bin"},
                     &output) == 0);
  REQUIRE(RunCommand({BOTIFY_CLI_BINARY, "train", "mf-export", "--model", dir / "model.bin",
                      "--out", dir / "mf_single.jsonl", "--top-n", "30"},
                     &output) == 0);
  const std::string ab_flags = " --format json --alpha 0.1";
  int code = 0;
  std::string single_ab;
  code = RunCommand({"/bin/sh", "-c",
                     std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" +
                         " --experiment USER_BASED" + ab_flags + " 2>/dev/null"},
                    &single_ab);
  REQUIRE(code == 0);

  // The cluster: a scheduler and three single-threaded workers on loopback, no nanny (a
  // killed worker stays dead, as a lost machine does).
  const std::string sched = dir / "scheduler.json";
  ChildProcess scheduler({"/usr/bin/dask-scheduler", "--host", "127.0.0.1", "--port", "0",
                          "--no-dashboard", "--scheduler-file", sched},
                         dir / "scheduler.out", dir / "scheduler.err");
  REQUIRE(WaitUntil([&] { return fs::exists(sched) && fs::file_size(sched) > 0; }));
  std::vector<std::unique_ptr<ChildProcess>> workers;
  for (int w = 0; w < 3; ++w) {
    const std::string name = "worker" + std::to_string(w);
    workers.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/dask-worker", "--scheduler-file", sched, "--nthreads",
                                 "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
                                 "--local-directory", dir / name, "--name", name},
        dir / (name + ".out"), dir / (name + ".err")));
  }
  const std::vector<std::string> driver = {kPython,          kSource + "/scripts/botify_dask.py",
                                           "--scheduler",    sched,
                                           "--botify",       BOTIFY_CLI_BINARY,
                                           "--hold-seconds", "1"};

  // The A/B analysis in 6 user shards; the worker running the first task is killed then.
  std::vector<std::string> ab = driver;
  ab.insert(ab.end(), {"--work", dir / "work_ab", "ab", "--shards", "6", "--logs", dir / "logs",
                       "--experiment", "USER_BASED", "--format", "json", "--alpha", "0.1"});
  ChildProcess ab_run(ab, dir / "ab.out", dir / "ab.err");
  pid_t victim = 0;
  REQUIRE(WaitUntil([&] { return (victim = FirstAttemptPid(dir / "work_ab")) != 0; },
                    std::chrono::seconds(40)));
  bool killed = false;
  for (auto& worker : workers) {
    if (worker->pid() == victim) {
      worker->Signal(SIGKILL);
      worker->Wait();
      killed = true;
    }
  }
  REQUIRE(killed);  // the task ran in one of our workers (no nanny: in its own process)
  const int ab_code = ab_run.Wait(60000);
  INFO(ReadFile(dir / "ab.err"));
  REQUIRE(ab_code == 0);
  CHECK(ReadFile(dir / "ab.out") == single_ab);
  // The killed worker's task ran again elsewhere: 6 tasks, 7 attempts at least.
  std::size_t attempts = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "work_ab/attempts")) {
    ++attempts;
  }
  CHECK(attempts >= 7);
  CHECK_THAT(ReadFile(dir / "ab.err"), Catch::Contains("2 attempt(s)"));

  // The model-based export in 4 user shards on the two workers left.
  std::vector<std::string> mf = driver;
  mf.insert(mf.end(), {"--work", dir / "work_mf", "mf-export", "--shards", "4", "--model",
                       dir / "model.bin", "--out", dir / "mf_dask.jsonl", "--top-n", "30"});
  ChildProcess mf_run(mf, dir / "mf.out", dir / "mf.err");
  const int mf_code = mf_run.Wait(60000);
  INFO(ReadFile(dir / "mf.err"));
  REQUIRE(mf_code == 0);
  CHECK(ReadFile(dir / "mf_dask.jsonl") == ReadFile(dir / "mf_single.jsonl"));

  // A command that fails is retried, then reported with its error (exit 1).
  std::vector<std::string> bad = driver;
  bad.insert(bad.end(), {"--work", dir / "work_bad", "--retries", "1", "mf-export", "--shards", "2",
                         "--model", dir / "logs", "--out", dir / "bad.jsonl"});
  ChildProcess bad_run(bad, dir / "bad.out", dir / "bad.err");
  CHECK(bad_run.Wait(60000) == 1);
  CHECK_THAT(ReadFile(dir / "bad.err"), Catch::Contains("failed after 2 attempt(s)"));
  CHECK_FALSE(fs::exists(dir / "bad.jsonl"));
}
