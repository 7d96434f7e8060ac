#include "tools/ab/text_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace botify::tools {

std::string AlignedTable(const std::vector<Cells>& rows, std::size_t text_columns) {
  std::vector<std::size_t> width(rows[0].size(), 0);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      bool left = i < text_columns;
      out += left ? fmt::format("{:<{}}", r[i], width[i]) : fmt::format("{:>{}}", r[i], width[i]);
      out += i + 1 < r.size() ? "  " : "\n";
    }
  }
  return out;
}

std::string MarkdownTable(const std::vector<Cells>& rows, std::size_t text_columns) {
  std::string out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    out += "| " + fmt::format("{}", fmt::join(rows[k], " | ")) + " |\n";
    if (k == 0) {
      std::vector<std::string> rule(rows[0].size(), "---:");
      for (std::size_t i = 0; i < text_columns && i < rule.size(); ++i) rule[i] = "---";
      out += "|" + fmt::format("{}", fmt::join(rule, "|")) + "|\n";
    }
  }
  return out;
}

std::string CsvTable(const std::vector<Cells>& rows) {
  std::string out;
  for (const auto& r : rows) out += fmt::format("{}\n", fmt::join(r, ","));
  return out;
}

}  // namespace botify::tools
