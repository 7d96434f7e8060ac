#include "tools/ab/ab_html_report.h"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <vector>

#include "tools/ab/ab_report_format.h"
#include "tools/ab/svg_chart.h"

namespace botify::tools {

namespace {

constexpr std::array<const char*, serving::kMaxArms> kArmColours = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#17becf"};

constexpr const char* kStyle = R"(
body { font-family: sans-serif; margin: 24px; color: #222; max-width: 1150px; }
table { border-collapse: collapse; margin: 8px 0 20px; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th { background: #f2f2f2; }
td.text, th.text { text-align: left; }
tr.up td { background: #d9f2d9; }
tr.down td { background: #f9d6d5; }
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

std::string ArmTable(const ab::AbReport& r) {
  std::string rows;
  for (int arm = 0; arm < r.split; ++arm) {
    const auto& c = r.log.arms[arm];
    rows += "<tr>" + Cell(std::string(serving::ArmName(arm)), true) +
            Cell(std::to_string(c.users)) + Cell(std::to_string(c.sessions)) +
            Cell(std::to_string(c.rows)) + "</tr>";
  }
  return "<table><tr><th class=\"text\">arm</th><th>users</th><th>sessions</th>"
         "<th>rows</th></tr>" +
         rows + "</table>";
}

std::string EffectsTable(const ab::AbReport& r) {
  std::string rows;
  for (const auto& e : r.effects) {
    const char* cls = !e.interval.significant() ? "" : e.interval.effect > 0 ? "up" : "down";
    rows += fmt::format("<tr class=\"{}\">", cls) +
            Cell(std::string(serving::ArmName(e.treatment_arm)), true) +
            Cell(std::string(ab::UserMetricName(e.metric)), true) + Cell(Fixed(e.effect_pct, 2)) +
            Cell(Fixed(e.lower_pct, 2)) + Cell(Fixed(e.upper_pct, 2)) +
            Cell(FormatMean(e.control.mean)) + Cell(FormatMean(e.treatment.mean)) +
            Cell(e.interval.significant() ? "True" : "False") + Cell(std::to_string(e.control.n)) +
            Cell(std::to_string(e.treatment.n)) + "</tr>";
  }
  return "<table><tr><th class=\"text\">treatment</th><th class=\"text\">metric</th>"
         "<th>effect %</th><th>lower %</th><th>upper %</th><th>control mean</th>"
         "<th>treatment mean</th><th>significant</th><th>control n</th><th>treatment n</th></tr>" +
         rows + "</table>";
}

std::string ForestPlot(const ab::AbReport& r) {
  std::vector<SvgInterval> rows;
  for (const auto& e : r.effects) {
    rows.push_back(
        {fmt::format("{} {}", serving::ArmName(e.treatment_arm), ab::UserMetricName(e.metric)),
         kArmColours[e.treatment_arm], e.lower_pct, e.effect_pct, e.upper_pct});
  }
  return SvgForestPlot(rows, {.title = fmt::format("Effects vs C, % of the control mean ({:g}% "
                                                   "intervals)",
                                                   100 * (1 - r.options.alpha)),
                              .x_label = "effect, % of control mean",
                              .y_label = "",
                              .width = 900});
}

// Session index k (1-based) of `arm` is plotted while at least 1% of the arm's users have
// a k-th session, so the tail of a few heavy users does not dominate the picture.
std::vector<SvgSeries> SessionSeries(const ab::AbReport& r, bool tracks) {
  std::vector<SvgSeries> out;
  for (int arm = 0; arm < r.split; ++arm) {
    const ab::SessionSeries& s = r.log.series[arm];
    SvgSeries series{std::string(serving::ArmName(arm)), kArmColours[arm], {}};
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

std::string AbReportHtml(const ab::AbReport& r) {
  const std::string title = "A/B experiment " + r.options.experiment;
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>"
      "<style>{1}</style></head><body>\n<h1>{0}</h1>\n"
      "<p>{2} rows read; {3} dropped ({4}); alpha {5}, split {6}.</p>\n"
      "<div class=\"banner {7}\">{8}</div>\n<h2>Arms</h2>{9}\n<h2>Effects</h2>{10}\n{11}\n"
      "<h2>Sessions by session order</h2>{12}\n</body></html>\n",
      HtmlEscape(title), kStyle, r.log.rows_read, r.log.dropped.total(),
      HtmlEscape(DropLine(r.log.dropped)), r.options.alpha, r.split,
      r.sample_ratio.mismatch ? "bad" : "good", HtmlEscape(SampleRatioLine(r)), ArmTable(r),
      EffectsTable(r), ForestPlot(r), SessionCharts(r));
}

}  // namespace botify::tools
