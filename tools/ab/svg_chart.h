// Minimal inline-SVG charts for self-contained HTML reports: no scripts, no external
// fonts or styles, so the page renders offline in any browser.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace botify::tools {

struct SvgSeries {
  std::string name;                               // legend label (escaped when written)
  std::string colour;                             // CSS colour, e.g. "#1f77b4"
  std::vector<std::pair<double, double>> points;  // (x, y), x ascending
};

struct SvgChartOptions {
  std::string title;
  std::string x_label;
  std::string y_label;
  int width = 560;   // px
  int height = 320;  // px
};

// A line chart with markers, axes from 0 (y) and from the smallest x, "nice" ticks and a
// legend. Series without points are listed in the legend only.
std::string SvgLineChart(const std::vector<SvgSeries>& series, const SvgChartOptions& options);

// One horizontal interval per row (lower, estimate, upper) around a vertical zero line:
// a forest plot. `labels[i]` names row i; `colours[i]` colours it.
struct SvgInterval {
  std::string label;
  std::string colour;
  double lower = 0;
  double estimate = 0;
  double upper = 0;
};
std::string SvgForestPlot(const std::vector<SvgInterval>& rows, const SvgChartOptions& options);

// Escapes &, <, >, " for HTML and SVG text.
std::string HtmlEscape(const std::string& text);

// Tick positions covering [lo, hi] at a 1-2-5 step, about `count` of them.
std::vector<double> NiceTicks(double lo, double hi, int count);

}  // namespace botify::tools
