// A self-contained HTML page for an A/B report: sample-ratio banner, per-arm counts, the
// effects table (significant rows coloured), a forest plot of the intervals, and charts of
// the session metrics per arm over session order (mean tracks and mean time of the k-th
// session of each user). Inline CSS and SVG only: no scripts, no network.
#pragma once

#include <string>

#include "engine/ab/ab_analysis.h"

namespace botify::tools {

std::string AbReportHtml(const ab::AbReport& report);

}  // namespace botify::tools
