// `botify ab` end to end: generated logs, the real CLI binary, and an independent
// pandas implementation of the seminar's computation (tests/tools/ab_reference.py).
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/test_support.h"
#include "tests/tools/ab_cli_support.h"

using botify::testing::ReadFile;
using botify::testing::RunCommand;
using botify::testing::TempDir;
using botify::testing::WriteFile;

namespace {

using botify::testing::CheckClose;
using botify::testing::kPython;
using botify::testing::kSource;
using botify::testing::Stdout;

double Num(const boost::json::value& v) { return botify::testing::JsonNum(v); }

void Generate(const TempDir& dir, const std::string& args) {
  botify::testing::GenerateAbLog(dir / "logs", args);
}

boost::json::object RunAbJson(const TempDir& dir, const std::string& flags) {
  return botify::testing::RunJson(
      std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" + " --format json " + flags,
      dir / "ab.err");
}

boost::json::object RunReference(const TempDir& dir, const std::string& flags) {
  return botify::testing::RunJson(
      kPython + " " + kSource + "/tests/tools/ab_reference.py --logs " + dir / "logs" + " " + flags,
      dir / "ref.err");
}

void CompareEffect(const boost::json::object& ours, const boost::json::object& ref) {
  INFO(ours.at("treatment").as_string() << " " << ours.at("metric").as_string());
  CHECK(ours.at("treatment") == ref.at("treatment"));
  CHECK(ours.at("metric") == ref.at("metric"));
  CHECK(ours.at("control_n").to_number<std::int64_t>() == ref.at("control_n").as_int64());
  CHECK(ours.at("treatment_n").to_number<std::int64_t>() == ref.at("treatment_n").as_int64());
  CHECK(ours.at("significant") == ref.at("significant"));
  for (const char* k : {"control_mean", "treatment_mean", "effect_pct"}) {
    CheckClose(k, Num(ours.at(k)), Num(ref.at(k)), Num(ref.at(k)));
  }
  // The bounds are read against the interval's size (a bound near 0 has no relative scale).
  double scale = std::max(std::abs(Num(ref.at("lower_pct"))), std::abs(Num(ref.at("upper_pct"))));
  for (const char* k : {"lower_pct", "upper_pct"}) {
    CheckClose(k, Num(ours.at(k)), Num(ref.at(k)), scale);
  }
}

}  // namespace

TEST_CASE("botify ab matches the pandas/scipy reference on a generated log", "[tools][ab]") {
  TempDir dir;
  Generate(dir, "--rows 30000 --users 900 --weights 50,50,50 --effect 0.15 --seed 7");
  auto ours = RunAbJson(dir, "--experiment AB");
  auto ref = RunReference(dir, "--experiment AB");
  const auto& a = ours.at("effects").as_array();
  const auto& b = ref.at("effects").as_array();
  REQUIRE(a.size() == 10);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CompareEffect(a[i].as_object(), b[i].as_object());
  const auto& srm = ours.at("sample_ratio").as_object();
  const auto& ref_srm = ref.at("sample_ratio").as_object();
  CHECK(srm.at("observed") == ref_srm.at("observed"));
  CheckClose("chi_square", Num(srm.at("chi_square")), Num(ref_srm.at("chi_square")),
             Num(ref_srm.at("chi_square")));
  CheckClose("p_value", Num(srm.at("p_value")), Num(ref_srm.at("p_value")),
             Num(ref_srm.at("p_value")));
  // The generated treatment lengthens sessions: at this size T2 (+30%) must show it.
  bool t2_tracks_significant = false;
  for (const auto& e : a) {
    const auto& o = e.as_object();
    if (o.at("treatment") == "T2" && o.at("metric") == "mean_tracks_per_session") {
      t2_tracks_significant = o.at("significant").as_bool();
    }
  }
  CHECK(t2_tracks_significant);
}

TEST_CASE("botify ab flags a sample ratio mismatch on a skewed log", "[tools][ab]") {
  TempDir dir;
  Generate(dir, "--rows 8000 --users 2000 --weights 60,40 --seed 3");
  auto ours = RunAbJson(dir, "--experiment AB");
  CHECK(ours.at("sample_ratio").at("mismatch").as_bool());
  CHECK(Num(ours.at("sample_ratio").at("p_value")) < 1e-6);
  auto ref = RunReference(dir, "--experiment AB");
  CheckClose("p_value", Num(ours.at("sample_ratio").at("p_value")),
             Num(ref.at("sample_ratio").at("p_value")), Num(ref.at("sample_ratio").at("p_value")));

  int code = 0;
  std::string table =
      Stdout(std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" + " --experiment AB",
             dir / "err", &code);
  CHECK(code == 0);
  CHECK_THAT(table, Catch::Contains("SAMPLE RATIO MISMATCH"));
  CHECK_THAT(ReadFile(dir / "err"), Catch::Contains("WARNING: SAMPLE RATIO MISMATCH"));
}

TEST_CASE("botify ab on a balanced log reports no mismatch, and --split 3 does", "[tools][ab]") {
  TempDir dir;
  Generate(dir, "--rows 8000 --users 2000 --weights 50,50 --seed 4");
  CHECK_FALSE(RunAbJson(dir, "--experiment AB").at("sample_ratio").at("mismatch").as_bool());
  auto three = RunAbJson(dir, "--experiment AB --split 3");
  CHECK(three.at("split").as_int64() == 3);
  CHECK(three.at("sample_ratio").at("mismatch").as_bool());
}

TEST_CASE("botify ab under a small --memory-limit spills and prints the same report",
          "[tools][ab]") {
  TempDir dir;
  Generate(dir, "--rows 30000 --users 900 --weights 50,50,50 --effect 0.15 --seed 7");
  std::filesystem::create_directories(dir / "spill");
  int code = 0;
  const std::string ab = std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" +
                         " --experiment AB --format json";
  const std::string in_memory = Stdout(ab, dir / "err1", &code);
  REQUIRE(code == 0);
  CHECK_THAT(ReadFile(dir / "err1"), !Catch::Contains("sorted runs"));
  // 30,000 rows of 32 B against 64 KiB: runs of 1,365 rows, so ~22 runs are merged.
  const std::string spilled =
      Stdout(ab + " --memory-limit 64KiB --spill-dir " + dir / "spill", dir / "err2", &code);
  INFO(ReadFile(dir / "err2"));
  REQUIRE(code == 0);
  CHECK(spilled == in_memory);
  CHECK_THAT(ReadFile(dir / "err2"), Catch::Contains("merging") && Catch::Contains("sorted runs"));
  CHECK(std::filesystem::is_empty(dir / "spill"));

  std::string out;
  code = RunCommand({BOTIFY_CLI_BINARY, "ab", "--logs", dir / "logs", "--experiment", "AB",
                     "--spill-dir", dir / "no-such-folder"},
                    &out);
  CHECK(code != 0);
  CHECK_THAT(out, Catch::Contains("--spill-dir") && Catch::Contains("no-such-folder"));
}

TEST_CASE("botify ab names the experiments present when the one asked for is absent",
          "[tools][ab]") {
  TempDir dir;
  Generate(dir, "--rows 2000 --users 100 --seed 5");
  std::string out;
  int code = RunCommand(
      {BOTIFY_CLI_BINARY, "ab", "--logs", dir / "logs", "--experiment", "USER_BASED"}, &out);
  CHECK(code != 0);
  CHECK_THAT(out, Catch::Contains("USER_BASED") && Catch::Contains("AA, AB, OTHER"));
}

TEST_CASE("botify ab skips malformed lines, counts them and says where they are", "[tools][ab]") {
  TempDir dir;
  Generate(dir, "--rows 2000 --users 100 --seed 6 --files 1");
  WriteFile(dir / "logs/zz-bad.jsonl", "{\"message\": \"next\", \"timestamp\": oops}\n");
  auto ours = RunAbJson(dir, "--experiment AB");
  CHECK(ours.at("dropped").at("malformed").as_int64() == 1);
  CHECK_THAT(ReadFile(dir / "ab.err"), Catch::Contains("zz-bad.jsonl:1"));
}

TEST_CASE("botify ab writes csv, markdown and a self-contained HTML report", "[tools][ab]") {
  TempDir dir;
  Generate(dir, "--rows 4000 --users 200 --seed 8");
  int code = 0;
  std::string ab =
      std::string(BOTIFY_CLI_BINARY) + " ab --logs " + dir / "logs" + " --experiment AB ";
  std::string csv = Stdout(ab + "--format csv", dir / "err", &code);
  CHECK(code == 0);
  CHECK(csv.rfind("treatment,metric,effect_pct,lower_pct,upper_pct,control_mean,"
                  "treatment_mean,significant",
                  0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 6);
  std::string md = Stdout(ab + "--format markdown --html " + dir / "r.html", dir / "err", &code);
  CHECK(code == 0);
  CHECK_THAT(md, Catch::Contains("| treatment | metric | effect_pct |"));
  std::string html = ReadFile(dir / "r.html");
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(html, Catch::Contains("Tracks per session") && Catch::Contains("<polyline"));
  CHECK_THAT(html,
             !Catch::Contains("<script") && !Catch::Contains("src=") && !Catch::Contains("href="));
}
