#include "tools/ab/ab_html_decision.h"

#include <fmt/format.h>

#include <vector>

#include "tools/ab/ab_decision_text.h"
#include "tools/ab/svg_chart.h"

namespace botify::tools {

namespace {

constexpr const char* kGood = "#2e7d32";
constexpr const char* kBad = "#c62828";
constexpr const char* kNeutral = "#9e9e9e";

std::string Td(const std::string& text, const char* cls = "") {
  return fmt::format("<td class=\"{}\">{}</td>", cls, HtmlEscape(text));
}

std::string Th(const std::vector<std::string>& names) {
  std::string out = "<tr>";
  for (const auto& n : names) out += "<th>" + HtmlEscape(n) + "</th>";
  return out + "</tr>";
}

std::string Recommender(const AbPresentation& p, int arm) {
  return p.has_recommenders() ? p.recommenders[arm] : std::string("(no --config)");
}

std::string EffectCell(const ab::Comparison& c) {
  return fmt::format("{} [{}, {}]", SignedPercent(c.relative.estimate), SignedPercent(c.lower()),
                     SignedPercent(c.upper()));
}

std::string Badge(ab::Outcome outcome) {
  return fmt::format("<span class=\"badge {}\">{}</span>", OutcomeClass(outcome),
                     HtmlEscape(std::string(ab::OutcomeName(outcome))));
}

}  // namespace

const char* const kDecisionStyle = R"(
.verdict { border: 2px solid #444; border-radius: 8px; padding: 8px 16px; margin: 12px 0; }
.verdict ul { margin: 4px 0 8px; padding-left: 20px; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 10px; font-weight: bold;
         background: #e0e0e0; color: #333; }
.badge.good { background: #2e7d32; color: #fff; }
.badge.bad { background: #c62828; color: #fff; }
td.violated { color: #c62828; font-weight: bold; text-align: left; }
tr.good td { background: #d9f2d9; }
tr.bad td { background: #f9d6d5; }
table.decision { font-size: 0.85em; }
table.decision th { text-align: left; }
table.decision td { white-space: nowrap; }
.plots { display: flex; flex-wrap: wrap; gap: 8px; }
.key span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; }
)";

const char* OutcomeClass(ab::Outcome outcome) {
  switch (outcome) {
    case ab::Outcome::kBetter:
      return "good";
    case ab::Outcome::kWorse:
      return "bad";
    case ab::Outcome::kNoEvidence:
      return "";
  }
  return "";
}

std::string VerdictHtml(const ab::AbReport& report, const AbPresentation& presentation) {
  const ab::Decision& d = report.decision;
  std::string statement;
  for (const std::string& line : DecisionStatement(report, presentation)) {
    statement += "<li>" + HtmlEscape(line) + "</li>";
  }
  std::string rows;
  for (const ab::ArmVerdict& v : d.verdicts) {
    const ab::Comparison& p = d.comparisons[v.primary];
    std::vector<std::string> violated;
    for (std::size_t i : v.guardrails_violated) {
      const ab::Comparison& g = d.comparisons[i];
      violated.push_back(
          fmt::format("{} {}", ab::UserMetricName(g.metric), SignedPercent(g.relative.estimate)));
    }
    rows += "<tr>" + Td(std::string(eventlog::ArmName(v.arm)), "text") +
            Td(Recommender(presentation, v.arm), "text") + "<td class=\"text\">" +
            Badge(v.verdict) + "</td>" + Td(EffectCell(p)) + Td(PValue(p.p_value)) +
            Td(PValue(p.p_adjusted)) +
            (violated.empty() ? Td("none", "text")
                              : Td(fmt::format("{}", fmt::join(violated, ", ")), "violated")) +
            "</tr>";
  }
  return fmt::format(
      "<div class=\"verdict\"><h2>Verdict</h2><ul>{}</ul><table class=\"decision\">{}{}</table>"
      "</div>",
      statement,
      Th({"arm", "recommender",
          fmt::format("verdict on {}", ab::UserMetricName(report.options.primary)),
          "effect vs C [interval]", "p",
          fmt::format("p ({})", ab::CorrectionName(report.options.correction)),
          "guardrails violated"}),
      rows);
}

std::string MetricPlotsHtml(const ab::AbReport& report, const AbPresentation& presentation) {
  const ab::Decision& d = report.decision;
  std::vector<ab::UserMetric> order = {report.options.primary};
  for (ab::UserMetric m : ab::kUserMetrics) {
    if (m != report.options.primary) order.push_back(m);
  }
  std::string plots;
  for (ab::UserMetric metric : order) {
    std::vector<SvgInterval> rows;
    for (const ab::Comparison& c : d.comparisons) {
      if (c.metric != metric) continue;
      const char* colour = c.outcome == ab::Outcome::kBetter  ? kGood
                           : c.outcome == ab::Outcome::kWorse ? kBad
                                                              : kNeutral;
      rows.push_back({presentation.ArmLabel(c.treatment_arm), colour, 100 * c.lower(),
                      100 * c.relative.estimate, 100 * c.upper()});
    }
    const bool primary = metric == report.options.primary;
    plots += SvgForestPlot(
        rows,
        {.title = fmt::format(
             "{}{} ({} is better)", ab::UserMetricName(metric), primary ? ", primary" : "",
             ab::MetricDirection(metric) == ab::Direction::kHigherIsBetter ? "higher" : "lower"),
         .x_label = "effect vs C, % of the control mean",
         .y_label = "",
         .width = 1080});
  }
  return fmt::format(
      "<h2>Effects per metric</h2><p class=\"key\">Relative effect of each arm against C with "
      "its {} interval, one axis per metric.<span style=\"background:{}\"></span>better "
      "<span style=\"background:{}\"></span>worse <span style=\"background:{}\"></span>no "
      "evidence (after the correction)</p><div class=\"plots\">{}</div>",
      report.options.sequential ? "always-valid" : "delta-method", kGood, kBad, kNeutral, plots);
}

std::string ComparisonsHtml(const ab::AbReport& report, const AbPresentation& presentation) {
  const ab::AbOptions& o = report.options;
  std::string body;
  for (const ab::Comparison& c : report.decision.comparisons) {
    const ab::ArmEffect* seminar = ab::FindEffect(report, c.treatment_arm, c.metric);
    body +=
        fmt::format("<tr class=\"{}\">", OutcomeClass(c.outcome)) +
        Td(std::string(eventlog::ArmName(c.treatment_arm)), "text") +
        Td(Recommender(presentation, c.treatment_arm), "text") +
        Td(std::string(ab::UserMetricName(c.metric)), "text") +
        Td(c.primary ? "primary" : "guardrail", "text") + Td(EffectCell(c)) +
        Td(seminar == nullptr ? ""
                              : fmt::format("{} [{}, {}]", SignedPercent(seminar->effect_pct / 100),
                                            SignedPercent(seminar->lower_pct / 100),
                                            SignedPercent(seminar->upper_pct / 100))) +
        Td(PValue(c.p_value)) + Td(PValue(c.p_adjusted)) +
        Td(std::string(ab::OutcomeName(c.outcome)), "text") + "</tr>";
  }
  std::string out = "<h2>Comparisons</h2>" +
                    fmt::format(
                        "<p class=\"note\">Each treatment against C; effect and interval {}; the "
                        "seminar's Welch interval as % of the control mean beside it{}.</p>",
                        o.sequential ? "always-valid (mSPRT)" : "with the delta method",
                        report.decision.cuped ? " (without CUPED)" : "") +
                    "<table class=\"decision\">" +
                    Th({"arm", "recommender", "metric", "role", "effect vs C [interval]",
                        "seminar's effect [interval]", "p",
                        fmt::format("p ({})", ab::CorrectionName(o.correction)), "outcome"}) +
                    body + "</table>";
  if (!report.decision.cuped) return out;
  std::vector<Cells> cuped = CupedRows(report);
  std::string cuped_body;
  for (std::size_t r = 1; r < cuped.size(); ++r) {
    cuped_body += "<tr>";
    for (std::size_t i = 0; i < cuped[r].size(); ++i) {
      cuped_body += Td(cuped[r][i], i == 0 ? "text" : "");
    }
    cuped_body += "</tr>";
  }
  return out +
         "<h2>CUPED</h2><p class=\"note\">Users with a pre-period value, and per treatment arm "
         "the share (%) of its relative effect's variance removed.</p><table "
         "class=\"decision\">" +
         Th(cuped[0]) + cuped_body + "</table>";
}

}  // namespace botify::tools
