// The decision section of `botify ab`'s table and markdown reports (engine/ab/decision.h):
// what was done (primary, directions, correction, CUPED, sequential), one verdict line per
// treatment arm, every comparison with raw and adjusted p-values and the relative interval
// beside the seminar's (and CUPED's theta and variance reduction), and CUPED per metric.
#pragma once

#include <string>
#include <vector>

#include "engine/ab/ab_analysis.h"
#include "tools/ab/ab_presentation.h"
#include "tools/ab/text_table.h"

namespace botify::tools {

// Lines stating the primary metric and directions, the p-values and their correction, and
// CUPED (or its absence).
std::vector<std::string> DecisionStatement(const ab::AbReport& report,
                                           const AbPresentation& presentation);

// Per treatment arm: "T1 (indexed:ub): better on mean_time_per_session: +25.62% [+22.10%,
// +29.14%], p 1.2e-40 (holm 1.2e-40); guardrails violated: mean_request_latency +566.00%
// (holm 3e-30)" or "...; no guardrail violated".
std::vector<std::string> VerdictLines(const ab::AbReport& report,
                                      const AbPresentation& presentation);

// The comparisons table (header first); `text_columns` receives how many leading columns are
// text.
std::vector<Cells> DecisionRows(const ab::AbReport& report, const AbPresentation& presentation,
                                std::size_t* text_columns);

// CUPED per metric (header first): users with and without a pre-period value, and per
// treatment arm (a column named after it) the share (%) of its relative effect's variance
// removed; empty without a pre-period.
std::vector<Cells> CupedRows(const ab::AbReport& report);

// The whole section, for the table and the markdown reports.
std::string DecisionText(const ab::AbReport& report, const AbPresentation& presentation);
std::string DecisionMarkdown(const ab::AbReport& report, const AbPresentation& presentation);

// "+25.62%" (2 decimals, signed); "nan" when undefined. `fraction` 0.2562 -> "+25.62%".
std::string SignedPercent(double fraction);
// A p-value in 2 significant digits: "0.042", "1.2e-40", "nan".
std::string PValue(double p);

}  // namespace botify::tools
