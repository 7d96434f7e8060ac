#include "tools/ab/svg_chart.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace botify::tools {

namespace {

constexpr int kLeft = 60, kRight = 110, kTop = 30, kBottom = 45;  // margins, px

// Maps data coordinates to pixels inside the plot area.
struct Frame {
  double x0, x1, y0, y1;
  int width, height;
  int right = kRight;  // room for the legend or the row labels
  double X(double x) const {
    return kLeft + (x1 > x0 ? (x - x0) / (x1 - x0) : 0.5) * (width - kLeft - right);
  }
  double Y(double y) const {
    return height - kBottom - (y1 > y0 ? (y - y0) / (y1 - y0) : 0.5) * (height - kTop - kBottom);
  }
};

std::string Text(double x, double y, const std::string& s, const char* anchor = "middle",
                 const char* extra = "") {
  return fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="{}" {}>{}</text>)", x, y, anchor,
                     extra, HtmlEscape(s));
}

std::string Tick(double v) { return fmt::format("{:.6g}", v); }

std::string Open(const SvgChartOptions& o) {
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(font-family="sans-serif" font-size="11" role="img">)"
      "<title>{2}</title>{3}",
      o.width, o.height, HtmlEscape(o.title),
      Text(o.width / 2.0, 16, o.title, "middle", R"(font-size="13" font-weight="bold")"));
}

std::string Axes(const Frame& f, const std::vector<double>& xt, const std::vector<double>& yt,
                 const SvgChartOptions& o) {
  std::string s =
      fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#444"/>)",
                  kLeft, kTop, f.width - kLeft - f.right, f.height - kTop - kBottom);
  for (double t : yt) {
    s += fmt::format(R"(<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#ddd"/>)", kLeft,
                     f.width - f.right, f.Y(t), f.Y(t));
    s += Text(kLeft - 5, f.Y(t) + 4, Tick(t), "end");
  }
  for (double t : xt) s += Text(f.X(t), f.height - kBottom + 15, Tick(t));
  s += Text((kLeft + f.width - f.right) / 2.0, f.height - 8, o.x_label);
  s += fmt::format(
      R"svg(<text transform="translate(14,{:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg",
      (kTop + f.height - kBottom) / 2.0, HtmlEscape(o.y_label));
  return s;
}

std::string Legend(const std::vector<SvgSeries>& series, int width) {
  std::string s;
  for (std::size_t i = 0; i < series.size(); ++i) {
    double y = kTop + 10 + 18.0 * static_cast<double>(i);
    s += fmt::format(R"(<rect x="{}" y="{:.1f}" width="12" height="12" fill="{}"/>)",
                     width - kRight + 12, y - 10, series[i].colour);
    s += Text(width - kRight + 30, y, series[i].name, "start");
  }
  return s;
}

std::string Polyline(const Frame& f, const SvgSeries& s) {
  std::string points, markers;
  for (const auto& [x, y] : s.points) {
    points += fmt::format("{:.1f},{:.1f} ", f.X(x), f.Y(y));
    markers += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="2.5" fill="{}"/>)", f.X(x), f.Y(y),
                           s.colour);
  }
  return fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>)",
                     s.colour, points) +
         markers;
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::vector<double> NiceTicks(double lo, double hi, int count) {
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return {lo};
  const double raw = (hi - lo) / std::max(1, count);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

std::string SvgLineChart(const std::vector<SvgSeries>& series, const SvgChartOptions& o) {
  double x0 = INFINITY, x1 = -INFINITY, y1 = 0;
  for (const auto& s : series) {
    for (const auto& [x, y] : s.points) {
      x0 = std::min(x0, x);
      x1 = std::max(x1, x);
      if (std::isfinite(y)) y1 = std::max(y1, y);
    }
  }
  if (!std::isfinite(x0)) x0 = x1 = 0;
  std::vector<double> yt = NiceTicks(0, y1 > 0 ? y1 : 1, 5);
  Frame f{x0, x1, 0, std::max(yt.back(), y1 > 0 ? 1.05 * y1 : 1), o.width, o.height};
  std::string svg = Open(o) + Axes(f, NiceTicks(x0, x1, 8), yt, o);
  for (const auto& s : series) svg += Polyline(f, s);
  return svg + Legend(series, o.width) + "</svg>";
}

std::string SvgForestPlot(const std::vector<SvgInterval>& rows, const SvgChartOptions& o) {
  double lo = 0, hi = 0;
  for (const auto& r : rows) {
    for (double v : {r.lower, r.estimate, r.upper}) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  if (hi <= lo) hi = lo + 1;
  const double pad = 0.05 * (hi - lo);  // keep the extreme bounds off the frame
  lo -= pad;
  hi += pad;
  SvgChartOptions wide = o;
  wide.height = kTop + kBottom + 22 * static_cast<int>(rows.size()) + 10;
  Frame f{lo, hi, 0, static_cast<double>(rows.size()), wide.width, wide.height, 200};
  std::string svg = Open(wide) + Axes(f, NiceTicks(lo, hi, 8), {}, wide);
  svg += fmt::format(R"(<line x1="{0:.1f}" x2="{0:.1f}" y1="{1}" y2="{2}" stroke="#000"/>)", f.X(0),
                     kTop, wide.height - kBottom);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SvgInterval& r = rows[i];
    double y = f.Y(static_cast<double>(rows.size() - i) - 0.5);
    svg += Text(wide.width - f.right + 6, y + 4, r.label, "start");
    if (std::isfinite(r.lower) && std::isfinite(r.upper)) {
      svg += fmt::format(
          R"(<line x1="{:.1f}" x2="{:.1f}" y1="{:.1f}" y2="{:.1f}" stroke="{}" stroke-width="3"/>)",
          f.X(r.lower), f.X(r.upper), y, y, r.colour);
    }
    if (std::isfinite(r.estimate)) {
      svg += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="{}"/>)", f.X(r.estimate), y,
                         r.colour);
    }
  }
  return svg + "</svg>";
}

}  // namespace botify::tools
