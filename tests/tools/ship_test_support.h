// Fixtures for the shipping tests: sealed segments made of real docs/contracts.md §7 event lines,
// and readers that turn shipped files (plain or .gz, local or in the WebHDFS double) back into
// lines so tests can check that every line arrived exactly once.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace botify::testing {

// Writes `segments` sealed segments of `lines_per_segment` event lines each into `dir`,
// named events-<host>-<time>-<boot>-<seq>.jsonl with open times spread over two UTC days.
// Returns every line written (with its '\n'), in order. Deterministic in `seed`.
std::vector<std::string> WriteSealedSegments(const std::filesystem::path& dir, int segments,
                                             int lines_per_segment, const std::string& host,
                                             unsigned seed);

// The lines (with '\n') of `content`, gunzipped first if it starts with the gzip magic.
std::vector<std::string> SplitShippedLines(const std::string& content);

// Every line of every file in `files` (path -> content) whose name ends in .jsonl or
// .jsonl.gz, sorted; and the same for a local folder, recursively.
// `lines`, sorted (to compare line multisets).
std::vector<std::string> Sorted(std::vector<std::string> lines);

std::vector<std::string> ShippedLines(const std::map<std::string, std::string>& files);
std::map<std::string, std::string> ReadTree(const std::filesystem::path& root);

}  // namespace botify::testing
