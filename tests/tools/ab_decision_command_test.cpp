// `botify ab`'s decision end to end: generated logs with a pre-period, the real CLI, and the
// independent reference tests/tools/ab_decision_reference.py (numpy/pandas); --config names,
// errors, and the HTML report's order and colours.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <string>

#include "tests/test_support.h"
#include "tests/tools/ab_cli_support.h"

using namespace botify::testing;

namespace {

// Three arms (T2 +10% session length), users with their own session-length factor, and a
// pre-period of 80% of them in dir/pre.
void GenerateWithPrePeriod(const TempDir& dir) {
  GenerateAbLog(dir / "logs",
                "--rows 40000 --users 1500 --weights 50,50,50 --effect 0.05 --user-spread 0.6 "
                "--seed 21 --pre-out " +
                    dir / "pre");
}

boost::json::object Ab(const TempDir& dir, const std::string& flags) {
  return RunJson(std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" +
                     " --experiment AB --format json " + flags,
                 dir / "ab.err");
}

boost::json::object Reference(const TempDir& dir, const std::string& flags) {
  return RunJson(kPython + " " + kSource + "/tests/tools/ab_decision_reference.py --logs " +
                     dir / "logs" + " --experiment AB " + flags,
                 dir / "ref.err");
}

// Every comparison of botify's decision against the reference's, in the same order.
void CompareDecision(const boost::json::object& ours, const boost::json::object& ref) {
  const auto& a = ours.at("decision").at("comparisons").as_array();
  const auto& b = ref.at("comparisons").as_array();
  REQUIRE(a.size() == 10);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto& x = a[i].as_object();
    const auto& y = b[i].as_object();
    INFO(x.at("treatment").as_string() << " " << x.at("metric").as_string());
    CHECK(x.at("treatment") == y.at("treatment"));
    CHECK(x.at("metric") == y.at("metric"));
    CHECK(x.at("role") == y.at("role"));
    CHECK(x.at("outcome") == y.at("outcome"));
    const double width =
        std::abs(JsonNum(y.at("upper_pct"))) + std::abs(JsonNum(y.at("lower_pct")));
    CheckClose("effect_pct", JsonNum(x.at("effect_pct")), JsonNum(y.at("effect_pct")), width);
    for (const char* k : {"lower_pct", "upper_pct", "delta_lower_pct", "delta_upper_pct"}) {
      CheckClose(k, JsonNum(x.at(k)), JsonNum(y.at(k)), width);
    }
    // p-values to 1e-9 relative (the reference's t tail is plain-Python continued fractions).
    for (const char* k : {"welch_p_value", "p_value", "p_adjusted"}) {
      CheckClose(k, JsonNum(x.at(k)), JsonNum(y.at(k)), JsonNum(y.at(k)));
    }
  }
}

}  // namespace

TEST_CASE("botify ab --pre-logs equals the reference: CUPED, delta method, Holm",
          "[tools][ab][decision]") {
  TempDir dir;
  GenerateWithPrePeriod(dir);
  auto ours = Ab(dir, "--pre-logs " + dir / "pre");
  auto ref = Reference(dir, "--pre-logs " + dir / "pre");
  CompareDecision(ours, ref);
  const auto& cuped = ours.at("decision").at("cuped").as_object();
  const auto& a = ours.at("decision").at("comparisons").as_array();
  const auto& b = ref.at("comparisons").as_array();
  for (std::size_t i = 0; i < a.size(); ++i) {
    INFO(a[i].at("treatment").as_string() << " " << a[i].at("metric").as_string());
    for (const char* k : {"theta_control", "theta_treatment", "pre_period_mean"}) {
      const double theirs = JsonNum(b[i].at("cuped").at(k));
      CheckClose(k, JsonNum(a[i].at("cuped").at(k)), theirs, theirs);
    }
  }
  // 80% of the 1,500 users are in the pre-period; the absent ones are counted per arm.
  std::int64_t absent = 0;
  for (const auto& n : cuped.at("users_without_pre_period").as_array()) absent += n.as_int64();
  CHECK(absent == 1500 - cuped.at("pre_period_users").as_int64());
  CHECK(absent > 200);
  CHECK(JsonNum(a[0].at("cuped").at("variance_reduction")) > 0.05);
  // The seminar's effects are unchanged by CUPED: the same as without --pre-logs.
  CHECK(ours.at("effects") == Ab(dir, "").at("effects"));
}

TEST_CASE("botify ab --cuped-theta per-arm equals the reference's per-arm slopes",
          "[tools][ab][decision]") {
  TempDir dir;
  GenerateWithPrePeriod(dir);
  const std::string flags = "--pre-logs " + dir / "pre" + " --cuped-theta per-arm";
  auto ours = Ab(dir, flags);
  CompareDecision(ours, Reference(dir, flags));
  const auto& c = ours.at("decision").at("comparisons").at(0).at("cuped");
  CHECK(JsonNum(c.at("theta_control")) != JsonNum(c.at("theta_treatment")));
  CHECK(ours.at("decision").at("cuped_theta") == "per-arm");
}

TEST_CASE("botify ab --sequential --correction bh equals the reference's mSPRT",
          "[tools][ab][decision]") {
  TempDir dir;
  GenerateWithPrePeriod(dir);
  const std::string flags = "--sequential --mixing-sd 0.08 --correction bh --primary time";
  auto ours = Ab(dir, flags);
  CompareDecision(ours, Reference(dir, flags));
  const auto& d = ours.at("decision").as_object();
  CHECK(d.at("sequential").as_bool());
  CHECK(JsonNum(d.at("mixing_sd")) == 0.08);
  CHECK(d.at("correction") == "bh");
  CHECK(d.at("comparisons").at(0).at("metric") == "time");
  CHECK(d.at("comparisons").at(0).at("sequential").is_object());
  CHECK(d.at("cuped").is_null());
}

TEST_CASE("botify ab prints the seminar's report, then the decision only when asked",
          "[tools][ab][decision]") {
  TempDir dir;
  GenerateAbLog(dir / "logs", "--rows 8000 --users 600 --weights 50,50 --effect 0.3 --seed 9");
  int code = 0;
  const std::string ab =
      std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" + " --experiment AB";
  const std::string seminar = Stdout(ab, dir / "err", &code);
  REQUIRE(code == 0);
  CHECK_THAT(seminar, !Catch::Contains("verdicts"));
  const std::string verdict = Stdout(ab + " --verdict", dir / "err", &code);
  REQUIRE(code == 0);
  // The seminar's report first, unchanged, then the section.
  CHECK(verdict.rfind(seminar, 0) == 0);
  CHECK_THAT(verdict, Catch::Contains("\nverdicts\nT1: better on mean_time_per_session: +"));
  CHECK_THAT(verdict, Catch::Contains("Holm over the 1 treatment arm on the primary"));
  // Any decision flag asks for it, in markdown too.
  const std::string md = Stdout(ab + " --format markdown --correction none", dir / "err", &code);
  CHECK_THAT(md, Catch::Contains("## Decision") && Catch::Contains("- T1: better on"));
  // The CSV stays the seminar's effects table.
  CHECK(Stdout(ab + " --format csv --verdict", dir / "err", &code) ==
        Stdout(ab + " --format csv", dir / "err", &code));
}

TEST_CASE("botify ab --config names each arm's recommender and gives the split",
          "[tools][ab][decision]") {
  TempDir dir;
  GenerateAbLog(dir / "logs", "--rows 8000 --users 600 --weights 50,50 --effect 0.3 --seed 9");
  WriteFile(dir / "routing.json",
            R"({"experiments": [{"name": "AB", "split": 3, "arms": {"C": "random", )"
            R"("T1": "indexed:ub"}}, {"name": "OTHER", "split": 2}], "routing": "AB"})");
  auto ours = Ab(dir, "--config " + dir / "routing.json");
  const auto& arms = ours.at("arms").as_array();
  REQUIRE(arms.size() == 3);  // the config's split, not the 2 arms seen
  CHECK(arms[0].at("recommender") == "random");
  CHECK(arms[1].at("recommender") == "indexed:ub");
  CHECK(arms[2].at("recommender") == "random (default)");
  CHECK(ours.at("decision").at("verdicts").at(0).at("recommender") == "indexed:ub");
  int code = 0;
  const std::string table = Stdout(std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" +
                                       " --experiment AB --config " + dir / "routing.json",
                                   dir / "err", &code);
  CHECK_THAT(table, Catch::Contains("T1 (indexed:ub): better on mean_time_per_session"));

  std::string out;
  code = RunCommand({BOTIFY_CLI_BINARY, "ab", "--logs", dir / "logs", "--experiment", "AB",
                     "--config", dir / "missing.json"},
                    &out);
  CHECK(code != 0);
  CHECK_THAT(out, Catch::Contains("--config") && Catch::Contains("missing.json"));
  WriteFile(dir / "other.json", R"({"experiments": [{"name": "X", "split": 2}]})");
  code = RunCommand({BOTIFY_CLI_BINARY, "ab", "--logs", dir / "logs", "--experiment", "AB",
                     "--config", dir / "other.json"},
                    &out);
  CHECK(code != 0);
  CHECK_THAT(out, Catch::Contains("no experiment 'AB'") && Catch::Contains("it has: X"));
}

TEST_CASE("botify ab rejects a bad --primary, --correction, --mixing-sd or --pre-logs",
          "[tools][ab][decision]") {
  TempDir dir;
  GenerateAbLog(dir / "logs", "--rows 2000 --users 100 --seed 5");
  auto fails = [&](std::vector<std::string> extra, const std::string& says) {
    std::vector<std::string> argv = {BOTIFY_CLI_BINARY, "ab",           "--logs",
                                     dir / "logs",      "--experiment", "AB"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::string out;
    CHECK(RunCommand(argv, &out) != 0);
    CHECK_THAT(out, Catch::Contains(says));
  };
  fails({"--primary", "listening"}, "--primary: metric 'listening' is not one of time");
  fails({"--correction", "bonferroni"}, "--correction: correction 'bonferroni'");
  fails({"--sequential", "--mixing-sd", "0"}, "mixing standard deviation 0");
  fails({"--pre-logs", dir / "nothing"}, "nothing");
  std::filesystem::create_directories(dir / "empty");
  fails({"--pre-logs", dir / "empty"}, "no event-log files");
}

TEST_CASE("the HTML report leads with the verdict and colours by the metric's direction",
          "[tools][ab][decision]") {
  TempDir dir;
  GenerateWithPrePeriod(dir);
  WriteFile(dir / "routing.json",
            R"({"experiments": [{"name": "AB", "split": 3, "arms": {"C": "random", )"
            R"("T1": "sticky_artist", "T2": "indexed:lfm"}}]})");
  int code = 0;
  Stdout(std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" +
             " --experiment AB --pre-logs " + dir / "pre" + " --config " + dir / "routing.json" +
             " --html " + dir / "r.html",
         dir / "err", &code);
  REQUIRE(code == 0);
  const std::string html = ReadFile(dir / "r.html");
  const auto verdict = html.find("<h2>Verdict</h2>");
  const auto plots = html.find("<h2>Effects per metric</h2>");
  const auto seminar = html.find("<h2>The seminar's effects table</h2>");
  REQUIRE(verdict != std::string::npos);
  CHECK(verdict < plots);
  CHECK(plots < seminar);
  CHECK_THAT(html, Catch::Contains("indexed:lfm") && Catch::Contains("sticky_artist"));
  CHECK_THAT(html, Catch::Contains("Holm over the 2 treatment arms"));
  CHECK_THAT(html, Catch::Contains("CUPED with the pre-period in"));
  // One forest plot per metric, each titled with its direction.
  CHECK_THAT(html, Catch::Contains("mean_time_per_session, primary (higher is better)"));
  CHECK_THAT(html, Catch::Contains("mean_request_latency (lower is better)"));
  CHECK(std::count(html.begin(), html.end(), '\n') > 5);
  CHECK_THAT(html,
             !Catch::Contains("<script") && !Catch::Contains("src=") && !Catch::Contains("href="));
}
