// Renderings of an A/B report (docs/contracts.md §11) for `botify ab`: a terminal table, markdown,
// CSV and JSON. Each starts from the same effects table: one row per (metric, treatment arm),
// sorted by metric, then arm, with the seminar's columns
//   treatment, metric, effect_pct, lower_pct, upper_pct, control_mean, treatment_mean,
//   significant
// followed by control_n, treatment_n (users with a value of that metric). With
// presentation.decision, table, markdown and JSON end with the decision section
// (tools/ab/ab_decision_text.h); with recommender names, the arms table names them. Without
// either, the output is the seminar's report, byte for byte.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "engine/ab/ab_analysis.h"
#include "tools/ab/ab_presentation.h"

namespace botify::tools {

enum class AbFormat { kTable, kJson, kCsv, kMarkdown };

// "table", "json", "csv" or "markdown".
Result<AbFormat> ParseAbFormat(std::string_view name);

// The whole report in `format`. table and markdown lead with the sample-ratio check and
// the per-arm counts; csv is the seminar's effects table alone (also with the decision); json
// holds everything.
std::string FormatAbReport(const ab::AbReport& report, AbFormat format,
                           const AbPresentation& presentation = {});

// One line on the sample-ratio check, prominent when it fails:
// "SAMPLE RATIO MISMATCH: users per arm C 600, T1 400 ... p = 1.5e-10 < 0.001" or
// "sample ratio OK: ... p = 0.42".
std::string SampleRatioLine(const ab::AbReport& report);

// A metric mean for people: 4 decimals, or 4 significant digits below 0.01 (sub-ms
// latencies); "nan" when undefined.
std::string FormatMean(double v);

// "no experiment 3, unknown arm 0, after final last 12, malformed 1".
std::string DropLine(const ab::DropCounts& dropped);

}  // namespace botify::tools
