#include "tools/ab/ab_report_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tools/ab/ab_decision_text.h"
#include "tools/ab/ab_json_report.h"
#include "tools/ab/text_table.h"

namespace botify::tools {

namespace {

const Cells kEffectHeader = {"treatment", "metric",       "effect_pct",     "lower_pct",
                             "upper_pct", "control_mean", "treatment_mean", "significant",
                             "control_n", "treatment_n"};

// `digits` after the point; NaN as "nan" (what pandas prints).
std::string Number(double v, int digits) {
  if (std::isnan(v)) return "nan";
  return fmt::format("{:.{}f}", v, digits);
}

// Full precision for machine readers (CSV): shortest round-trip form, NaN as empty.
std::string Exact(double v) { return std::isnan(v) ? std::string() : fmt::format("{}", v); }

Cells EffectCells(const ab::ArmEffect& e, bool exact) {
  auto num = [exact](double v, int digits) { return exact ? Exact(v) : Number(v, digits); };
  return {std::string(eventlog::ArmName(e.treatment_arm)),
          std::string(ab::UserMetricName(e.metric)),
          num(e.effect_pct, 2),
          num(e.lower_pct, 2),
          num(e.upper_pct, 2),
          exact ? Exact(e.control.mean) : FormatMean(e.control.mean),
          exact ? Exact(e.treatment.mean) : FormatMean(e.treatment.mean),
          e.interval.significant() ? "True" : "False",
          std::to_string(e.control.n),
          std::to_string(e.treatment.n)};
}

std::vector<Cells> EffectRows(const ab::AbReport& report, bool exact) {
  std::vector<Cells> rows = {kEffectHeader};
  for (const auto& e : report.effects) rows.push_back(EffectCells(e, exact));
  return rows;
}

// With --config, a recommender column follows the arm.
std::vector<Cells> ArmRows(const ab::AbReport& report, const AbPresentation& presentation) {
  const bool names = presentation.has_recommenders();
  Cells header = {"arm", "users", "sessions", "rows", "expected_users"};
  if (names) header.insert(header.begin() + 1, "recommender");
  std::vector<Cells> rows = {header};
  const auto& srm = report.sample_ratio;
  for (int arm = 0; arm < report.split; ++arm) {
    const ab::ArmCounts& c = report.log.arms[arm];
    Cells row = {std::string(eventlog::ArmName(arm)), std::to_string(c.users),
                 std::to_string(c.sessions), std::to_string(c.rows),
                 arm < static_cast<int>(srm.expected.size()) ? Number(srm.expected[arm], 1) : "-"};
    if (names) row.insert(row.begin() + 1, presentation.recommenders[arm]);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Header(const ab::AbReport& report) {
  const auto& log = report.log;
  return fmt::format("experiment {}: {} rows read, {} dropped ({}); alpha {}, split {}\n",
                     report.options.experiment, log.rows_read, log.dropped.total(),
                     DropLine(log.dropped), report.options.alpha, report.split);
}

std::string TableReport(const ab::AbReport& report, const AbPresentation& presentation) {
  std::string banner = SampleRatioLine(report);
  if (report.sample_ratio.mismatch) {
    std::string rule(banner.size(), '!');
    banner = rule + "\n" + banner + "\n" + rule;
  }
  const std::size_t arm_text = presentation.has_recommenders() ? 2 : 1;
  return Header(report) + "\n" + AlignedTable(ArmRows(report, presentation), arm_text) + "\n" +
         banner + "\n\n" + AlignedTable(EffectRows(report, false), 2) +
         (presentation.decision ? DecisionText(report, presentation) : "");
}

std::string MarkdownReport(const ab::AbReport& report, const AbPresentation& presentation) {
  std::string srm = SampleRatioLine(report);
  if (report.sample_ratio.mismatch) srm = "**" + srm + "**";
  return fmt::format("# A/B experiment {}\n\n{}\n{}\n\n## Arms\n\n{}\n## Effects\n\n{}{}",
                     report.options.experiment, Header(report), srm,
                     MarkdownTable(ArmRows(report, presentation)),
                     MarkdownTable(EffectRows(report, false)),
                     presentation.decision ? DecisionMarkdown(report, presentation) : "");
}

}  // namespace

Result<AbFormat> ParseAbFormat(std::string_view name) {
  if (name == "table") return AbFormat::kTable;
  if (name == "json") return AbFormat::kJson;
  if (name == "csv") return AbFormat::kCsv;
  if (name == "markdown") return AbFormat::kMarkdown;
  return Status::InvalidArgument(
      fmt::format("--format '{}' is not one of table, json, csv, markdown", name));
}

std::string FormatAbReport(const ab::AbReport& report, AbFormat format,
                           const AbPresentation& presentation) {
  switch (format) {
    case AbFormat::kTable:
      return TableReport(report, presentation);
    case AbFormat::kJson:
      return AbReportJson(report, presentation);
    case AbFormat::kCsv:
      return CsvTable(EffectRows(report, true));
    case AbFormat::kMarkdown:
      return MarkdownReport(report, presentation);
  }
  return {};
}

std::string SampleRatioLine(const ab::AbReport& report) {
  const auto& s = report.sample_ratio;
  std::vector<std::string> users;
  for (std::size_t arm = 0; arm < s.observed.size(); ++arm) {
    users.push_back(
        fmt::format("{} {}", eventlog::ArmName(static_cast<int>(arm)), s.observed[arm]));
  }
  std::string counts = fmt::format(
      "users per arm {} against an even {}-way split: chi2 = {:.3f}, dof {}, p = {:.3g}",
      fmt::join(users, ", "), s.observed.size(), s.chi_square, s.dof, s.p_value);
  if (s.mismatch) {
    return fmt::format("SAMPLE RATIO MISMATCH: {} < {}; the effects below are not trustworthy",
                       counts, report.options.srm_threshold);
  }
  return fmt::format("sample ratio OK: {}", counts);
}

std::string FormatMean(double v) {
  if (std::isnan(v)) return "nan";
  if (v != 0 && std::abs(v) < 0.01) return fmt::format("{:.4g}", v);
  return fmt::format("{:.4f}", v);
}

std::string DropLine(const ab::DropCounts& d) {
  return fmt::format("no experiment {}, unknown arm {}, after final last {}, malformed {}",
                     d.no_experiment, d.unknown_arm, d.after_final_last, d.malformed);
}

}  // namespace botify::tools
