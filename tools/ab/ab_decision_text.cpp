#include "tools/ab/ab_decision_text.h"

#include <fmt/format.h>

#include <cmath>
#include <string_view>

#include "tools/ab/ab_report_format.h"

namespace botify::tools {

namespace {

std::string CorrectionLabel(ab::Correction c) {
  switch (c) {
    case ab::Correction::kNone:
      return "no correction";
    case ab::Correction::kHolm:
      return "Holm";
    case ab::Correction::kBenjaminiHochberg:
      return "Benjamini-Hochberg";
  }
  return "?";
}

std::string_view DirectionWord(ab::UserMetric metric) {
  return ab::MetricDirection(metric) == ab::Direction::kHigherIsBetter ? "higher" : "lower";
}

std::string PercentOfControl(double pct) {
  return std::isnan(pct) ? "nan" : fmt::format("{:+.2f}", pct);
}

// A fraction as a percentage with one decimal: 0.653 -> "65.3"; "nan" when undefined.
std::string Fraction(double f) {
  if (std::isnan(f)) return "nan";
  const double pct = std::abs(100 * f) < 0.05 ? 0.0 : 100 * f;  // no "-0.0"
  return fmt::format("{:.1f}", pct);
}

std::string Interval(double lower, double upper) {
  return fmt::format("[{}, {}]", SignedPercent(lower), SignedPercent(upper));
}

}  // namespace

std::string SignedPercent(double fraction) {
  return std::isnan(fraction) ? "nan" : fmt::format("{:+.2f}%", 100 * fraction);
}

std::string PValue(double p) { return std::isnan(p) ? "nan" : fmt::format("{:.2g}", p); }

std::vector<std::string> DecisionStatement(const ab::AbReport& report,
                                           const AbPresentation& presentation) {
  const ab::AbOptions& o = report.options;
  const ab::Decision& d = report.decision;
  std::vector<std::string> guardrails;
  for (ab::UserMetric m : ab::kUserMetrics) {
    if (m != o.primary) {
      guardrails.push_back(fmt::format("{} ({})", ab::UserMetricName(m), DirectionWord(m)));
    }
  }
  std::vector<std::string> lines;
  lines.push_back(fmt::format("primary metric {} ({} is better); guardrails {}",
                              ab::UserMetricName(o.primary), DirectionWord(o.primary),
                              fmt::join(guardrails, ", ")));
  const std::string tests =
      o.sequential ? fmt::format(
                         "always-valid p-values and intervals (mSPRT, normal mixture "
                         "with sd {:g}% of the control mean: valid at every look)",
                         100 * o.mixing_sd)
                   : std::string("Welch's t-test p-values (one look), delta-method intervals");
  lines.push_back(fmt::format(
      "{}; {} over the {} treatment arm{} on the primary and separately over the {} guardrail "
      "tests; decided at alpha {}",
      tests, CorrectionLabel(o.correction), d.primary_tests, d.primary_tests == 1 ? "" : "s",
      d.guardrail_tests, o.alpha));
  if (!d.cuped) {
    lines.push_back("no CUPED (no --pre-logs): effects on the raw user metrics");
  } else {
    std::vector<std::string> absent;
    for (int arm = 0; arm < report.split; ++arm) {
      if (report.log.arms[arm].users == 0) continue;
      absent.push_back(
          fmt::format("{} {}", eventlog::ArmName(arm), d.users_without_pre_period[arm]));
    }
    lines.push_back(fmt::format(
        "CUPED with the pre-period in {} ({} users; theta {} per comparison of C and a "
        "treatment arm, per metric): users absent from it, kept unadjusted, per arm {}",
        presentation.pre_period.empty() ? std::string("--pre-logs") : presentation.pre_period,
        d.pre_period_users, o.cuped_theta == ab::CupedTheta::kPooled ? "pooled" : "fitted per arm",
        fmt::join(absent, ", ")));
  }
  return lines;
}

std::vector<std::string> VerdictLines(const ab::AbReport& report,
                                      const AbPresentation& presentation) {
  const ab::Decision& d = report.decision;
  const std::string correction(ab::CorrectionName(report.options.correction));
  std::vector<std::string> lines;
  for (const ab::ArmVerdict& v : d.verdicts) {
    const ab::Comparison& p = d.comparisons[v.primary];
    std::string line =
        fmt::format("{}: {} on {}: {} {}, p {} ({} {})", presentation.ArmLabel(v.arm),
                    ab::OutcomeName(v.verdict), ab::UserMetricName(p.metric),
                    SignedPercent(p.relative.estimate), Interval(p.lower(), p.upper()),
                    PValue(p.p_value), correction, PValue(p.p_adjusted));
    if (v.guardrails_violated.empty()) {
      line += "; no guardrail violated";
    } else {
      std::vector<std::string> violated;
      for (std::size_t i : v.guardrails_violated) {
        const ab::Comparison& g = d.comparisons[i];
        violated.push_back(fmt::format("{} {} ({} {})", ab::UserMetricName(g.metric),
                                       SignedPercent(g.relative.estimate), correction,
                                       PValue(g.p_adjusted)));
      }
      line += fmt::format("; guardrails violated: {}", fmt::join(violated, ", "));
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<Cells> DecisionRows(const ab::AbReport& report, const AbPresentation& presentation,
                                std::size_t* text_columns) {
  const bool names = presentation.has_recommenders();
  const bool cuped = report.decision.cuped;
  Cells header = {"treatment"};
  if (names) header.push_back("recommender");
  for (const char* h : {"metric", "role", "better"}) header.push_back(h);
  *text_columns = header.size();
  if (cuped) header.push_back("seminar_effect_pct");
  for (const char* h : {"effect_pct", "lower_pct", "upper_pct", "seminar_lower_pct",
                        "seminar_upper_pct", "p_value", "p_adjusted", "outcome"}) {
    header.push_back(h);
  }
  if (cuped) {
    header.push_back("cuped_theta");
    header.push_back("var_reduction_pct");
  }
  std::vector<Cells> rows = {header};
  for (const ab::Comparison& c : report.decision.comparisons) {
    // Every comparison has its seminar's row (AnalyzeExperiment compares every pair).
    const ab::ArmEffect& seminar = *ab::FindEffect(report, c.treatment_arm, c.metric);
    Cells row = {std::string(eventlog::ArmName(c.treatment_arm))};
    if (names) row.push_back(presentation.recommenders[c.treatment_arm]);
    row.push_back(std::string(ab::UserMetricName(c.metric)));
    row.push_back(c.primary ? "primary" : "guardrail");
    row.push_back(std::string(DirectionWord(c.metric)));
    if (cuped) row.push_back(PercentOfControl(seminar.effect_pct));
    for (double v : {c.relative.estimate, c.lower(), c.upper()}) {
      row.push_back(PercentOfControl(100 * v));
    }
    row.push_back(PercentOfControl(seminar.lower_pct));
    row.push_back(PercentOfControl(seminar.upper_pct));
    row.push_back(PValue(c.p_value));
    row.push_back(PValue(c.p_adjusted));
    row.push_back(std::string(ab::OutcomeName(c.outcome)));
    if (cuped) {
      row.push_back(c.cuped.theta[0] == c.cuped.theta[1]
                        ? fmt::format("{:.3g}", c.cuped.theta[0])
                        : fmt::format("{:.3g}/{:.3g}", c.cuped.theta[0], c.cuped.theta[1]));
      row.push_back(Fraction(c.variance_reduction));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Cells> CupedRows(const ab::AbReport& report) {
  const ab::Decision& d = report.decision;
  if (!d.cuped) return {};
  Cells header = {"metric", "users_with_pre_period", "users_without_pre_period"};
  for (const ab::ArmVerdict& v : d.verdicts) {
    header.push_back(std::string(eventlog::ArmName(v.arm)));
  }
  std::vector<Cells> rows = {header};
  for (const ab::CupedCoverage& m : d.cuped_coverage) {
    Cells row = {std::string(ab::UserMetricName(m.metric)), std::to_string(m.users_with),
                 std::to_string(m.users_without)};
    for (const ab::Comparison& c : d.comparisons) {
      if (c.metric == m.metric) row.push_back(Fraction(c.variance_reduction));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

// How one report format spells the section around the shared lines and tables.
struct DecisionSpelling {
  std::string_view decision_heading;
  std::string_view verdicts_heading;
  std::string_view comparisons_heading;
  std::string_view cuped_heading;
  std::string_view bullet;  // before each statement and verdict line
  std::string (*table)(const std::vector<Cells>& rows, std::size_t text_columns);
};

std::string RenderDecision(const ab::AbReport& report, const AbPresentation& presentation,
                           const DecisionSpelling& spelling) {
  std::string out(spelling.decision_heading);
  const auto bulleted = [&](const std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
      out.append(spelling.bullet).append(line).push_back('\n');
    }
  };
  bulleted(DecisionStatement(report, presentation));
  out += spelling.verdicts_heading;
  bulleted(VerdictLines(report, presentation));
  std::size_t text_columns = 0;
  std::vector<Cells> rows = DecisionRows(report, presentation, &text_columns);
  out.append(spelling.comparisons_heading).append(spelling.table(rows, text_columns));
  if (report.decision.cuped) {
    out.append(spelling.cuped_heading).append(spelling.table(CupedRows(report), 1));
  }
  return out;
}

}  // namespace

std::string DecisionText(const ab::AbReport& report, const AbPresentation& presentation) {
  static constexpr DecisionSpelling kText = {
      "\ndecision\n",
      "\nverdicts\n",
      "\n",
      "\nCUPED: users with a pre-period value, and per treatment arm the share (%) of its "
      "relative effect's variance removed\n",
      "",
      &AlignedTable};
  return RenderDecision(report, presentation, kText);
}

std::string DecisionMarkdown(const ab::AbReport& report, const AbPresentation& presentation) {
  static constexpr DecisionSpelling kMarkdown = {
      "\n## Decision\n\n",
      "\n### Verdicts\n\n",
      "\n### Comparisons\n\n",
      "\n### CUPED\n\nUsers with a pre-period value, and per treatment arm the share (%) "
      "of its relative effect's variance removed.\n\n",
      "- ",
      &MarkdownTable};
  return RenderDecision(report, presentation, kMarkdown);
}

}  // namespace botify::tools
