#include "tools/ab/ab_html_report.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <vector>

#include "tools/ab/ab_html_decision.h"
#include "tools/ab/ab_report_format.h"
#include "tools/ab/svg_chart.h"

namespace botify::tools {

namespace {

constexpr std::array<const char*, eventlog::kMaxArms> kArmColours = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1150px; }
table { border-collapse: collapse; margin: 8px 0 20px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th { background: #f2f2f2; }
td.text, th.text { text-align: left; }
.banner { padding: 12px 16px; border-radius: 6px; font-weight: bold; margin: 12px 0; }
.banner.bad { background: #c62828; color: #fff; font-size: 1.2em; }
.banner.good { background: #e3f2e3; color: #1b5e20; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.note { color: #666; font-size: 0.9em; }
)";

std::string Cell(const std::string& s, bool text = false) {
  return fmt::format("<td{}>{}</td>", text ? R"( class="text")" : "", HtmlEscape(s));
}

std::string Fixed(double v, int digits) {
  return std::isnan(v) ? "nan" : fmt::format("{:.{}f}", v, digits);
}

std::string RecommenderCell(const AbPresentation& p, int arm) {
  return p.has_recommenders() ? Cell(p.recommenders[arm], true) : "";
}

std::string RecommenderHeader(const AbPresentation& p) {
  return p.has_recommenders() ? "<th class=\"text\">recommender</th>" : "";
}

std::string ArmTable(const ab::AbReport& r, const AbPresentation& p) {
  std::string rows;
  for (int arm = 0; arm < r.split; ++arm) {
    const auto& c = r.log.arms[arm];
    rows += "<tr>" + Cell(std::string(eventlog::ArmName(arm)), true) + RecommenderCell(p, arm) +
            Cell(std::to_string(c.users)) + Cell(std::to_string(c.sessions)) +
            Cell(std::to_string(c.rows)) + "</tr>";
  }
  return "<table><tr><th class=\"text\">arm</th>" + RecommenderHeader(p) +
         "<th>users</th><th>sessions</th><th>rows</th></tr>" + rows + "</table>";
}

// Significant rows are coloured by whether the change is good for the metric (a latency
// increase is bad), not by its sign.
std::string EffectsTable(const ab::AbReport& r, const AbPresentation& p) {
  std::string rows;
  for (const auto& e : r.effects) {
    const char* cls = !e.interval.significant()                        ? ""
                      : ab::IsImprovement(e.metric, e.interval.effect) ? "good"
                                                                       : "bad";
    rows += fmt::format("<tr class=\"{}\">", cls) +
            Cell(std::string(eventlog::ArmName(e.treatment_arm)), true) +
            RecommenderCell(p, e.treatment_arm) +
            Cell(std::string(ab::UserMetricName(e.metric)), true) + Cell(Fixed(e.effect_pct, 2)) +
            Cell(Fixed(e.lower_pct, 2)) + Cell(Fixed(e.upper_pct, 2)) +
            Cell(FormatMean(e.control.mean)) + Cell(FormatMean(e.treatment.mean)) +
            Cell(e.interval.significant() ? "True" : "False") + Cell(std::to_string(e.control.n)) +
            Cell(std::to_string(e.treatment.n)) + "</tr>";
  }
  return "<table><tr><th class=\"text\">treatment</th>" + RecommenderHeader(p) +
         "<th class=\"text\">metric</th><th>effect %</th><th>lower %</th><th>upper "
         "%</th><th>control mean</th>"
         "<th>treatment mean</th><th>significant</th><th>control n</th><th>treatment n</th></tr>" +
         rows + "</table>";
}

// Session index k (1-based) of `arm` is plotted while at least 1% of the arm's users have
// a k-th session, so the tail of a few heavy users does not dominate the picture.
std::vector<SvgSeries> SessionSeries(const ab::AbReport& r, bool tracks) {
  std::vector<SvgSeries> out;
  for (int arm = 0; arm < r.split; ++arm) {
    const ab::SessionSeries& s = r.log.series[arm];
    SvgSeries series{std::string(eventlog::ArmName(arm)), kArmColours[arm], {}};
    for (std::size_t k = 0; k < s.sessions.size(); ++k) {
      if (s.sessions[k] * 100 < r.log.arms[arm].users || s.sessions[k] == 0) break;
      const double sum = tracks ? s.tracks[k] : s.time[k];
      series.points.emplace_back(static_cast<double>(k + 1),
                                 sum / static_cast<double>(s.sessions[k]));
    }
    out.push_back(std::move(series));
  }
  return out;
}

std::string SessionCharts(const ab::AbReport& r) {
  return "<div class=\"charts\">" +
         SvgLineChart(SessionSeries(r, true), {.title = "Tracks per session",
                                               .x_label = "session number of the user",
                                               .y_label = "mean tracks"}) +
         SvgLineChart(SessionSeries(r, false), {.title = "Time per session",
                                                .x_label = "session number of the user",
                                                .y_label = "mean listen time"}) +
         "</div><p class=\"note\">Mean over the users of each arm of their k-th session; a "
         "point is shown while at least 1% of the arm's users have a k-th session.</p>";
}

}  // namespace

std::string AbReportHtml(const ab::AbReport& r, const AbPresentation& p) {
  const std::string title = "A/B experiment " + r.options.experiment;
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>"
      "<style>{1}{2}</style></head><body>\n<h1>{0}</h1>\n{3}\n"
      "<div class=\"banner {4}\">{5}</div>\n"
      "<p>{6} rows read; {7} dropped ({8}); alpha {9}, split {10}.</p>\n{11}\n{12}\n"
      "<h2>Arms</h2>{13}\n<h2>The seminar's effects table</h2>"
      "<p class=\"note\">Welch intervals as % of the control mean, no correction for the "
      "number of tests; significant rows green when the change is good for the metric, red "
      "when it is bad.</p>{14}\n"
      "<h2>Sessions by session order</h2>{15}\n</body></html>\n",
      HtmlEscape(title), kStyle, kDecisionStyle, VerdictHtml(r, p),
      r.sample_ratio.mismatch ? "bad" : "good", HtmlEscape(SampleRatioLine(r)), r.log.rows_read,
      r.log.dropped.total(), HtmlEscape(DropLine(r.log.dropped)), r.options.alpha, r.split,
      MetricPlotsHtml(r, p), ComparisonsHtml(r, p), ArmTable(r, p), EffectsTable(r, p),
      SessionCharts(r));
}

}  // namespace botify::tools
