// A/A calibration of `botify ab`'s tests on logs the loop itself produced (docs/ab.md
// "Calibration"). Every user of a Random day is re-randomised into arms with N salted hashes
// (the experiments' own hashing, docs/contracts.md §4, with experiment names "AA-<salt>"), so
// every split is an A/A: whatever the tests call significant is a false positive. Each split is
// analysed by the analyzer's own code (ab::AnalyzeExperiment: the seminar's Welch table and the
// decision). Reported:
//   - per-comparison false-positive rate of the seminar's Welch test (9 arms: 8 comparisons);
//   - family-wise error over the 8 treatment arms on the primary metric: none / Holm / BH;
//   - 2 arms looked at after each of the days (cumulative): the plain Welch test rejecting at
//     any look against --sequential (mSPRT) rejecting at any look;
//   - on day 2 with day 1 as pre-period: the primary's interval half-width without and with
//     CUPED, and the power to detect a planted effect (the treatment's listening times
//     multiplied by 1 + effect) without and with CUPED.
//
//   build/bench/ab_calibration --day D1 --day D2 ... [--splits 2000] [--arms 9]
//
// Each --day is a folder of one day's event logs (every row counts); looks are cumulative.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/ab/ab_analysis.h"
#include "engine/ab/p_value_adjustment.h"
#include "engine/eventlog/event_log_reader.h"
#include "engine/serving/experiment.h"
#include "tools/log_input.h"

namespace botify {
namespace {

struct Flags {
  std::vector<std::string> days;
  int splits = 2000;
  int arms = 9;
  double alpha = 0.05;
  double mixing_sd = 0.05;
  std::vector<double> effects = {0.02, 0.05};
};

// A rate over `n` trials with its Wilson 95% interval.
struct Rate {
  std::int64_t hits = 0;
  std::int64_t n = 0;
  void Add(bool hit) {
    hits += hit;
    ++n;
  }
  std::string ToString() const {
    const double z = 1.96, nn = static_cast<double>(n);
    const double p = static_cast<double>(hits) / nn;
    const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
    const double half = z * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / (1 + z * z / nn);
    return fmt::format("{:.2f}% [{:.2f}, {:.2f}] ({}/{})", 100 * p, 100 * (centre - half),
                       100 * (centre + half), hits, n);
  }
};

// Every row of `days` (their files, in order), sessionized per user as arm C.
ab::SessionizedLog ReadDays(const std::vector<std::string>& days) {
  ab::Sessionizer sessionizer = ab::Sessionizer::ForAllRows();
  eventlog::EventLogReader reader(tools::LogReaderOptions(false));
  for (const std::string& day : days) {
    Status s = reader.Read(day, [&](const eventlog::Event& e) { sessionizer.Add(e); });
    if (!s.ok()) {
      fmt::print(stderr, "ab_calibration: {}\n", s.ToString());
      std::exit(1);
    }
  }
  auto log = sessionizer.Finish();
  if (!log.ok() || log->totals.empty()) {
    fmt::print(stderr, "ab_calibration: no sessions in {}\n", fmt::join(days, ", "));
    std::exit(1);
  }
  return std::move(*log);
}

// `base`'s users assigned to the arms of `experiment`; arm T1's listening times multiplied by
// 1 + `planted`.
ab::SessionizedLog Resplit(const ab::SessionizedLog& base, const serving::Experiment& experiment,
                           double planted) {
  ab::SessionizedLog log;
  log.experiment = experiment.name();
  log.totals = base.totals;
  for (ab::UserArmTotals& t : log.totals) {
    t.arm = experiment.Assign(t.user);
    if (t.arm == 1) t.time *= 1 + planted;
    ++log.arms[t.arm].users;
  }
  return log;
}

ab::AbReport Analyze(ab::SessionizedLog log, const ab::AbOptions& options,
                     const ab::SessionizedLog* pre) {
  auto report = ab::AnalyzeExperiment(std::move(log), options, pre);
  if (!report.ok()) {
    fmt::print(stderr, "ab_calibration: {}\n", report.status().ToString());
    std::exit(1);
  }
  return std::move(*report);
}

serving::Experiment Split(const std::string& name, int arms) {
  return *serving::Experiment::Create(name, arms);
}

const ab::Comparison& Primary(const ab::AbReport& r, int arm = 1) {
  return r.decision.comparisons[r.decision.verdicts[arm - 1].primary];
}

struct Counters {
  Rate welch_primary, welch_all;       // per comparison, 8 arms
  Rate fwer_none, fwer_holm, fwer_bh;  // per split, 8 arms on the primary
  Rate plain_any_look, sequential_any_look, plain_last_look, sequential_last_look;
  Rate cuped_aa;  // CUPED's own false-positive rate, 2 arms
  std::vector<double> half_plain, half_cuped, seminar_half;  // A/A, 2 arms, % of mean_C
  std::vector<Rate> power_plain, power_cuped;                // per planted effect
};

ab::AbOptions SplitOptions(int salt, const Flags& flags) {
  ab::AbOptions options;
  options.experiment = fmt::format("AA-{}", salt);
  options.alpha = flags.alpha;
  options.mixing_sd = flags.mixing_sd;
  options.correction = ab::Correction::kNone;
  return options;
}

// Many arms on one day: per-comparison rates and the family-wise error.
void ManyArms(const ab::AbOptions& options, const Flags& flags, const ab::SessionizedLog& day,
              Counters* c) {
  ab::AbReport many =
      Analyze(Resplit(day, Split(options.experiment, flags.arms), 0), options, nullptr);
  for (const ab::ArmEffect& e : many.effects) {
    c->welch_all.Add(e.interval.significant());
    if (e.metric == options.primary) c->welch_primary.Add(e.interval.significant());
  }
  std::vector<double> p;
  for (const ab::ArmVerdict& v : many.decision.verdicts) {
    p.push_back(many.decision.comparisons[v.primary].p_value);
  }
  auto any_below = [&](ab::Correction correction) {
    for (double q : ab::AdjustPValues(p, correction)) {
      if (q < flags.alpha) return true;
    }
    return false;
  };
  c->fwer_none.Add(any_below(ab::Correction::kNone));
  c->fwer_holm.Add(any_below(ab::Correction::kHolm));
  c->fwer_bh.Add(any_below(ab::Correction::kBenjaminiHochberg));
}

// Two arms looked at after every day: plain Welch and mSPRT, each rejecting at any look.
void DailyLooks(const ab::AbOptions& options, const Flags& flags,
                const std::vector<ab::SessionizedLog>& looks, Counters* c) {
  const serving::Experiment two = Split(options.experiment + "-2", 2);
  ab::AbOptions sequential = options;
  sequential.sequential = true;
  bool plain_any = false, sequential_any = false;
  for (std::size_t k = 0; k < looks.size(); ++k) {
    const ab::AbReport r = Analyze(Resplit(looks[k], two, 0), sequential, nullptr);
    const ab::Comparison& primary = Primary(r);
    plain_any = plain_any || primary.welch.p_value < flags.alpha;
    sequential_any = sequential_any || primary.sequential.p_value < flags.alpha;
    if (k + 1 == looks.size()) {
      c->plain_last_look.Add(primary.welch.p_value < flags.alpha);
      c->sequential_last_look.Add(primary.sequential.p_value < flags.alpha);
    }
  }
  c->plain_any_look.Add(plain_any);
  c->sequential_any_look.Add(sequential_any);
}

// Two arms on day 2 with day 1 as pre-period: interval widths (A/A) and power (planted
// effects), without and with CUPED.
void CupedAndPower(const ab::AbOptions& options, const Flags& flags, const ab::SessionizedLog& pre,
                   const ab::SessionizedLog& day, Counters* c) {
  const serving::Experiment two = Split(options.experiment + "-2", 2);
  for (std::size_t e = 0; e <= flags.effects.size(); ++e) {
    const double planted = e == 0 ? 0 : flags.effects[e - 1];
    const ab::SessionizedLog log = Resplit(day, two, planted);
    const ab::AbReport plain = Analyze(log, options, nullptr);
    const ab::AbReport cuped = Analyze(log, options, &pre);
    const ab::Comparison& a = Primary(plain);
    const ab::Comparison& b = Primary(cuped);
    if (e == 0) {
      c->half_plain.push_back(100 * a.relative.half_width);
      c->half_cuped.push_back(100 * b.relative.half_width);
      c->seminar_half.push_back(100 * a.welch.half_width / a.control.mean);
      c->cuped_aa.Add(b.p_value < flags.alpha);
    } else {
      c->power_plain[e - 1].Add(a.outcome == ab::Outcome::kBetter);
      c->power_cuped[e - 1].Add(b.outcome == ab::Outcome::kBetter);
    }
  }
}

double Mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

void Print(const Flags& flags, const std::vector<ab::SessionizedLog>& looks,
           const ab::SessionizedLog& day, const Counters& c) {
  const int treatments = flags.arms - 1;
  fmt::print(
      "A/A calibration: {} salted splits; day 2 has {} users; {} cumulative looks "
      "(last: {} users); alpha {}; primary mean_time_per_session\n\n",
      flags.splits, day.totals.size(), looks.size(), looks.back().totals.size(), flags.alpha);
  fmt::print("| check | false-positive rate [95% interval] | target |\n|---|---|---|\n");
  fmt::print("| Welch per comparison, primary ({} arms vs C) | {} | 4-6% |\n", treatments,
             c.welch_primary.ToString());
  fmt::print("| Welch per comparison, all 5 metrics | {} | 4-6% |\n", c.welch_all.ToString());
  fmt::print(
      "| family-wise, {} arms on the primary, no correction | {} | (~{:.0f}% if independent) |\n",
      treatments, c.fwer_none.ToString(), 100 * (1 - std::pow(1 - flags.alpha, treatments)));
  fmt::print("| family-wise, {} arms, Holm | {} | <= 5% |\n", treatments, c.fwer_holm.ToString());
  fmt::print("| family-wise, {} arms, Benjamini-Hochberg | {} | <= 5% (all nulls true) |\n",
             treatments, c.fwer_bh.ToString());
  fmt::print("| plain Welch, 2 arms, looked at after each of {} days | {} | (inflated) |\n",
             looks.size(), c.plain_any_look.ToString());
  fmt::print("| --sequential (mSPRT, mixing sd {:g}), same {} looks | {} | <= 5% |\n",
             flags.mixing_sd, looks.size(), c.sequential_any_look.ToString());
  fmt::print("| plain Welch, last look only | {} | 4-6% |\n", c.plain_last_look.ToString());
  fmt::print("| --sequential, last look only | {} | <= 5% |\n", c.sequential_last_look.ToString());
  fmt::print("| CUPED (day 1 as pre-period), 2 arms | {} | 4-6% |\n\n", c.cuped_aa.ToString());
  const double plain = Mean(c.half_plain), cuped = Mean(c.half_cuped);
  fmt::print(
      "mean_time_per_session, 2 arms on day 2, mean over the splits: interval half-width "
      "{:.2f}% of the control mean without CUPED (the seminar's: {:.2f}%), {:.2f}% with CUPED "
      "(-{:.1f}%)\n\n",
      plain, Mean(c.seminar_half), cuped, 100 * (1 - cuped / plain));
  fmt::print("| planted effect | power without CUPED | power with CUPED |\n|---|---|---|\n");
  for (std::size_t e = 0; e < flags.effects.size(); ++e) {
    fmt::print("| +{:g}% | {} | {} |\n", 100 * flags.effects[e], c.power_plain[e].ToString(),
               c.power_cuped[e].ToString());
  }
}

int Run(const Flags& flags) {
  if (flags.days.size() < 2) {
    fmt::print(stderr, "ab_calibration: give at least two --day folders (see --help)\n");
    return 2;
  }
  std::vector<ab::SessionizedLog> looks;
  for (std::size_t k = 1; k <= flags.days.size(); ++k) {
    fmt::print(stderr, "ab_calibration: reading days 1..{}\n", k);
    looks.push_back(ReadDays({flags.days.begin(), flags.days.begin() + static_cast<long>(k)}));
  }
  const ab::SessionizedLog pre = ReadDays({flags.days[0]});
  const ab::SessionizedLog day = ReadDays({flags.days[1]});
  Counters c;
  c.power_plain.resize(flags.effects.size());
  c.power_cuped.resize(flags.effects.size());
  for (int salt = 0; salt < flags.splits; ++salt) {
    const ab::AbOptions options = SplitOptions(salt, flags);
    ManyArms(options, flags, day, &c);
    DailyLooks(options, flags, looks, &c);
    CupedAndPower(options, flags, pre, day, &c);
    if ((salt + 1) % 100 == 0) {
      fmt::print(stderr, "ab_calibration: {}/{} splits\n", salt + 1, flags.splits);
    }
  }
  Print(flags, looks, day, c);
  return 0;
}

}  // namespace
}  // namespace botify

int main(int argc, char** argv) {
  botify::Flags flags;
  CLI::App app("A/A calibration of botify ab's tests on the loop's own logs (docs/ab.md)");
  app.add_option("--day", flags.days, "A day's event-log folder, in order (at least 2)")
      ->required();
  app.add_option("--splits", flags.splits, "Salted re-randomisations")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  app.add_option("--arms", flags.arms, "Arms of the many-arm split (C + treatments)")
      ->capture_default_str()
      ->check(CLI::Range(3, 9));
  app.add_option("--alpha", flags.alpha, "Significance level")->capture_default_str();
  app.add_option("--mixing-sd", flags.mixing_sd, "--sequential's mixing sd")->capture_default_str();
  app.add_option("--effects", flags.effects, "Planted relative effects for the power")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return botify::Run(flags);
}
