// What `botify ab` shows beyond the seminar's report, when asked (the default output is the
// seminar's alone, byte for byte: docs/contracts.md §11).
#pragma once

#include <array>
#include <string>

#include "engine/eventlog/event.h"

namespace botify::tools {

struct AbPresentation {
  // Print the decision section (verdicts, corrected p-values, relative intervals, CUPED)
  // in the table, markdown and JSON outputs. The HTML report always has it.
  bool decision = false;
  // The recommender of each arm, from --config; empty strings when not given.
  std::array<std::string, eventlog::kMaxArms> recommenders;
  // The --pre-logs folder ("" without CUPED), named in the reports.
  std::string pre_period;

  bool has_recommenders() const { return !recommenders[0].empty(); }
  // "T1 (indexed:ub)", or "T1" without --config.
  std::string ArmLabel(int arm) const {
    std::string label(eventlog::ArmName(arm));
    if (!recommenders[arm].empty()) label += " (" + recommenders[arm] + ")";
    return label;
  }
};

}  // namespace botify::tools
