// Plain-text tables for `botify ab`'s reports: rows of cells, the first row the header.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace botify::tools {

using Cells = std::vector<std::string>;

// Columns padded to their widest cell; the first `text_columns` left-aligned, the rest
// right-aligned; two spaces between columns.
std::string AlignedTable(const std::vector<Cells>& rows, std::size_t text_columns);

// A GitHub markdown table; the first `text_columns` columns left-aligned, the rest right.
std::string MarkdownTable(const std::vector<Cells>& rows, std::size_t text_columns = 2);

// Comma-separated, one row a line, cells as they are.
std::string CsvTable(const std::vector<Cells>& rows);

}  // namespace botify::tools
