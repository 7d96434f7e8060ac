// The decision's parts of the HTML report (engine/ab/decision.h): the verdict per arm with
// what was done stated, one forest plot per metric (each on its own axis, coloured by
// whether the change is good or bad for that metric), the comparisons and CUPED's fit.
#pragma once

#include <string>

#include "engine/ab/ab_analysis.h"
#include "tools/ab/ab_presentation.h"

namespace botify::tools {

// CSS classes used by these parts (the page's style sheet holds them).
extern const char* const kDecisionStyle;

// "<h2>Verdict</h2>" with the statement and a table of arms.
std::string VerdictHtml(const ab::AbReport& report, const AbPresentation& presentation);

// "<h2>Effects per metric</h2>", one SVG forest plot per metric, the primary first.
std::string MetricPlotsHtml(const ab::AbReport& report, const AbPresentation& presentation);

// The comparisons table and, with a pre-period, CUPED's per-metric table.
std::string ComparisonsHtml(const ab::AbReport& report, const AbPresentation& presentation);

// Row class for an outcome: "good", "bad" or "" (no evidence).
const char* OutcomeClass(ab::Outcome outcome);

}  // namespace botify::tools
