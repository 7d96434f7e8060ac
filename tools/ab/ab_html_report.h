// A self-contained HTML page for an A/B report, for the people who decide: first the verdict
// per arm (with the primary metric, the correction and CUPED stated, and recommender names
// from --config), the sample-ratio banner, one forest plot per metric coloured by whether the
// change is good or bad for it, the comparisons, then the per-arm counts, the seminar's
// effects table (significant rows coloured good/bad by the metric's direction) and charts of
// the session metrics per arm over session order. Inline CSS and SVG only: no scripts, no
// network.
#pragma once

#include <string>

#include "engine/ab/ab_analysis.h"
#include "tools/ab/ab_presentation.h"

namespace botify::tools {

std::string AbReportHtml(const ab::AbReport& report, const AbPresentation& presentation = {});

}  // namespace botify::tools
