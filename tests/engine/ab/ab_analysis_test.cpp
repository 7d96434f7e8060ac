#include "engine/ab/ab_analysis.h"

#include <boost/math/distributions/students_t.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <vector>

#include "base/random.h"
#include "engine/serving/experiment.h"
#include "tests/ab_support.h"

using namespace botify;
using namespace botify::ab;

namespace {

// A small random log: 3 arms, timestamps drawn from a tiny range so ties are common,
// some users whose rows never close a session, rows after the final last.
std::vector<eventlog::Event> RandomLog(std::uint64_t seed) {
  Rng rng(seed);
  std::vector<eventlog::Event> rows;
  for (int i = 0; i < 3000; ++i) {
    auto user = static_cast<UserId>(rng.Uniform(90));
    std::string arm(serving::ArmName(static_cast<int>(user % 3)));
    bool last = rng.Uniform(5) == 0 && user % 17 != 0;  // users 0, 17, 34, ... never close
    auto ts = static_cast<std::int64_t>(rng.Uniform(400));
    double time = std::round(rng.UniformDouble() * 100) / 100;
    double latency = rng.UniformDouble() * 0.01;
    rows.push_back(last ? testing::AbLast(ts, user, time, arm, latency)
                        : testing::AbNext(ts, user, time, arm, latency));
  }
  return rows;
}

struct Plain {
  double sessions = 0, tracks = 0, time = 0, latency_ms = 0;
};

// The seminar's computation with plain loops: per (user, arm), rows in input order,
// insertion-sorted by timestamp (stable), summed until each last.
std::map<std::pair<UserId, int>, Plain> PlainTotals(const std::vector<eventlog::Event>& rows) {
  std::map<std::pair<UserId, int>, std::vector<const eventlog::Event*>> groups;
  for (const eventlog::Event& e : rows) {
    groups[{e.user, serving::ArmIndex(*e.ArmOf("EXP"))}].push_back(&e);
  }
  std::map<std::pair<UserId, int>, Plain> out;
  for (auto& [key, g] : groups) {
    for (std::size_t i = 1; i < g.size(); ++i) {
      for (std::size_t j = i; j > 0 && g[j - 1]->timestamp_ms > g[j]->timestamp_ms; --j) {
        std::swap(g[j - 1], g[j]);
      }
    }
    Plain p, open;
    for (const eventlog::Event* e : g) {
      open.tracks += 1;
      open.time += e->time;
      open.latency_ms += e->latency * 1000;
      if (e->kind != eventlog::EventKind::kLast) continue;
      p.sessions += 1;
      p.tracks += open.tracks;
      p.time += open.time;
      p.latency_ms += open.latency_ms;
      open = Plain{};
    }
    out[key] = p;
  }
  return out;
}

// (mean, sample variance, n) of one metric of one arm, with plain loops.
std::vector<double> PlainValues(const std::map<std::pair<UserId, int>, Plain>& totals, int arm,
                                const std::string& metric) {
  std::vector<double> v;
  for (const auto& [key, p] : totals) {
    if (key.second != arm) continue;
    if (metric == "time") v.push_back(p.time);
    if (metric == "sessions") v.push_back(p.sessions);
    if (p.sessions == 0) continue;
    if (metric == "mean_request_latency") v.push_back(p.latency_ms / p.tracks);
    if (metric == "mean_tracks_per_session") v.push_back(p.tracks / p.sessions);
    if (metric == "mean_time_per_session") v.push_back(p.time / p.sessions);
  }
  return v;
}

void CheckClose(double actual, double expected) {
  INFO("actual " << actual << " expected " << expected);
  CHECK(std::abs(actual - expected) <= 1e-9 * std::max(1.0, std::abs(expected)));
}

}  // namespace

TEST_CASE("the analysis matches a plain-loop computation to 1e-9", "[engine][ab]") {
  std::vector<eventlog::Event> rows = RandomLog(20240219);
  Sessionizer s("EXP");
  for (const eventlog::Event& e : rows) s.Add(e);
  AbOptions options{.experiment = "EXP"};
  auto report = AnalyzeExperiment(s.Finish().value(), options);
  REQUIRE(report.ok());
  auto totals = PlainTotals(rows);
  REQUIRE(report->effects.size() == 10);  // 5 metrics x arms T1, T2
  for (const ArmEffect& e : report->effects) {
    std::string metric(UserMetricName(e.metric));
    INFO(metric << " T" << e.treatment_arm);
    std::vector<double> sample[2] = {PlainValues(totals, 0, metric),
                                     PlainValues(totals, e.treatment_arm, metric)};
    double mean[2], var[2], n[2];
    for (int k = 0; k < 2; ++k) {
      n[k] = static_cast<double>(sample[k].size());
      double sum = 0, sq = 0;
      for (double x : sample[k]) sum += x;
      mean[k] = sum / n[k];
      for (double x : sample[k]) sq += (x - mean[k]) * (x - mean[k]);
      var[k] = sq / (n[k] - 1);
    }
    CHECK(e.control.n == static_cast<std::int64_t>(n[0]));
    CHECK(e.treatment.n == static_cast<std::int64_t>(n[1]));
    double a0 = var[0] / n[0], a1 = var[1] / n[1];
    double dof = (a0 + a1) * (a0 + a1) /
                 (var[0] * var[0] / (n[0] * n[0] * (n[0] - 1)) +
                  var[1] * var[1] / (n[1] * n[1] * (n[1] - 1)));
    double ci = boost::math::quantile(boost::math::students_t_distribution<>(dof), 0.975) *
                std::sqrt(a0 + a1);
    double effect = mean[1] - mean[0];
    CheckClose(e.control.mean, mean[0]);
    CheckClose(e.treatment.mean, mean[1]);
    CheckClose(e.interval.dof, dof);
    CheckClose(e.effect_pct, effect / mean[0] * 100);
    CheckClose(e.lower_pct, (effect - ci) / mean[0] * 100);
    CheckClose(e.upper_pct, (effect + ci) / mean[0] * 100);
    CHECK(e.interval.significant() == (effect - ci > 0 || effect + ci < 0));
  }
}

TEST_CASE("users without a closed session count in time and sessions only", "[engine][ab]") {
  Sessionizer s("EXP");
  // C: user 1 closes one session of time 1.0; user 2 never closes one.
  s.Add(testing::AbLast(1, 1, 1.0, "C"));
  s.Add(testing::AbNext(1, 2, 0.5, "C"));
  s.Add(testing::AbLast(1, 3, 0.5, "T1"));
  s.Add(testing::AbLast(1, 5, 0.7, "T1"));
  auto report = AnalyzeExperiment(s.Finish().value(), AbOptions{.experiment = "EXP"});
  REQUIRE(report.ok());
  for (const ArmEffect& e : report->effects) {
    bool ratio = e.metric != UserMetric::kTime && e.metric != UserMetric::kSessions;
    INFO(UserMetricName(e.metric));
    CHECK(e.control.n == (ratio ? 1 : 2));
    if (e.metric == UserMetric::kTime) CHECK(e.control.mean == 0.5);
    if (e.metric == UserMetric::kSessions) CHECK(e.control.mean == 0.5);
  }
}

TEST_CASE("effects are sorted by metric name, then arm", "[engine][ab]") {
  Sessionizer s("EXP");
  for (UserId u = 0; u < 12; ++u) {
    s.Add(testing::AbLast(u, u, 0.1 * u, std::string(serving::ArmName(static_cast<int>(u % 3)))));
  }
  auto report = AnalyzeExperiment(s.Finish().value(), AbOptions{.experiment = "EXP"});
  REQUIRE(report.ok());
  std::vector<std::string> order;
  for (const auto& e : report->effects) {
    order.push_back(std::string(UserMetricName(e.metric)) + "/" +
                    std::string(serving::ArmName(e.treatment_arm)));
  }
  CHECK(order == std::vector<std::string>{"mean_request_latency/T1", "mean_request_latency/T2",
                                          "mean_time_per_session/T1", "mean_time_per_session/T2",
                                          "mean_tracks_per_session/T1",
                                          "mean_tracks_per_session/T2", "sessions/T1",
                                          "sessions/T2", "time/T1", "time/T2"});
  CHECK(report->split == 3);
}

TEST_CASE("analysis errors name the experiment and what is missing", "[engine][ab]") {
  Sessionizer absent("NOPE");
  absent.Add(testing::AbLast(1, 1, 0.5, "C"));
  auto r = AnalyzeExperiment(absent.Finish().value(), AbOptions{.experiment = "NOPE"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kNotFound);
  CHECK_THAT(r.status().message(), Catch::Contains("NOPE") && Catch::Contains("EXP"));

  Sessionizer only_c("EXP");
  only_c.Add(testing::AbLast(1, 1, 0.5, "C"));
  CHECK_FALSE(AnalyzeExperiment(only_c.Finish().value(), AbOptions{.experiment = "EXP"}).ok());

  Sessionizer beyond("EXP");
  beyond.Add(testing::AbLast(1, 1, 0.5, "C"));
  beyond.Add(testing::AbLast(1, 2, 0.5, "T2"));
  auto b = AnalyzeExperiment(beyond.Finish().value(), AbOptions{.experiment = "EXP", .split = 2});
  REQUIRE_FALSE(b.ok());
  CHECK_THAT(b.status().message(), Catch::Contains("T2") && Catch::Contains("--split"));
}

TEST_CASE("an explicit split sees a missing arm as a sample ratio mismatch", "[engine][ab]") {
  Sessionizer s("EXP");
  for (UserId u = 0; u < 400; ++u) {
    s.Add(testing::AbLast(u, u, 0.5, u % 2 == 0 ? "C" : "T1"));
  }
  auto inferred = AnalyzeExperiment(s.Finish().value(), AbOptions{.experiment = "EXP"});
  REQUIRE(inferred.ok());
  CHECK_FALSE(inferred->sample_ratio.mismatch);
  CHECK(inferred->sample_ratio.observed == std::vector<std::int64_t>{200, 200});

  Sessionizer s3("EXP");
  for (UserId u = 0; u < 400; ++u) {
    s3.Add(testing::AbLast(u, u, 0.5, u % 2 == 0 ? "C" : "T1"));
  }
  auto three = AnalyzeExperiment(s3.Finish().value(), AbOptions{.experiment = "EXP", .split = 3});
  REQUIRE(three.ok());
  CHECK(three->sample_ratio.mismatch);
  CHECK(three->sample_ratio.observed == std::vector<std::int64_t>{200, 200, 0});
}
