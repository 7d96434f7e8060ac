#include "server/config_file.h"

#include <fmt/format.h>

#include <map>
#include <sstream>
#include <utility>

namespace botify::server {

namespace {

constexpr std::size_t kCommentWidth = 90;

// `text` as '#' comment lines of at most kCommentWidth characters (a longer word stays whole).
std::string Comment(std::string_view text) {
  std::string out, line = "#";
  std::istringstream words{std::string(text)};
  for (std::string word; words >> word;) {
    if (line.size() > 1 && line.size() + 1 + word.size() > kCommentWidth) {
      out += line + "\n";
      line = "#";
    }
    line += " " + word;
  }
  return out + line + "\n";
}

// The value a setting has when it is not given, as the config file would spell it; "" for
// none (an unset path, say).
std::string DefaultValue(const CLI::Option& option) {
  if (!option.get_default_str().empty()) {
    return CLI::detail::convert_arg_for_ini(option.get_default_str());
  }
  return option.get_expected_min() == 0 ? "false" : "";  // a flag is off unless given
}

}  // namespace

StrictConfigFormat::StrictConfigFormat(std::function<std::unique_ptr<CLI::App>()> fresh_parser)
    : fresh_parser_(std::move(fresh_parser)) {}

std::vector<CLI::ConfigItem> StrictConfigFormat::from_config(std::istream& input) const {
  std::vector<CLI::ConfigItem> items;
  std::map<std::string, int> first_line;  // setting -> the line that set it
  std::string line;
  for (int number = 1; std::getline(input, line); ++number) {
    const auto fail = [number](const std::string& what) {
      throw CLI::ConfigError(fmt::format("line {}: {}", number, what));
    };
    const std::string text = CLI::detail::trim_copy(line);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    if (text.front() == '[' && text.back() == ']') {
      if (CLI::detail::to_lower(text) == "[default]") continue;
      fail(
          fmt::format("'{}': botify-server's settings have no sections; write them as "
                      "`name = value` lines without one",
                      text));
    }
    std::istringstream one_line(line);
    std::vector<CLI::ConfigItem> parsed = CLI::ConfigBase::from_config(one_line);
    if (parsed.empty()) fail(fmt::format("'{}' is not a setting (`name = value`)", text));
    for (CLI::ConfigItem& item : parsed) {
      const std::string name = item.fullname();
      std::unique_ptr<CLI::App> parser = fresh_parser_();
      const CLI::Option* option =
          item.parents.empty() ? parser->get_option_no_throw("--" + item.name) : nullptr;
      if (option == nullptr) {
        fail(fmt::format("unknown setting '{}' (`botify-server --print-config` lists every one)",
                         name));
      }
      if (!option->get_configurable()) {
        fail(fmt::format("'{}' can only be given on the command line", name));
      }
      if (auto [it, inserted] = first_line.emplace(name, number); !inserted) {
        fail(fmt::format("'{}' is set again (first on line {})", name, it->second));
      }
      // The same conversion and checks the flag gets, on a parser of its own.
      try {
        parser->config_formatter(std::make_shared<CLI::ConfigTOML>());
        parser->allow_config_extras(CLI::config_extras_mode::error);
        std::istringstream again(line);
        parser->parse_from_stream(again);
      } catch (const CLI::ParseError& e) {
        fail(fmt::format("{} = {}: {}", name, CLI::detail::join(item.inputs), e.what()));
      }
      items.push_back(std::move(item));
    }
  }
  return items;
}

std::string EffectiveConfig(const CLI::App& app, std::string_view header) {
  std::string out;
  std::istringstream header_lines{std::string(header)};
  for (std::string line; std::getline(header_lines, line);) {
    out += line.empty() ? "#\n" : "# " + line + "\n";
  }
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_configurable() || option->get_lnames().empty()) continue;
    const std::string name = option->get_single_name();
    const std::string default_value = DefaultValue(*option);
    std::string description = option->get_description();
    if (option->count() > 0) {
      description += default_value.empty() ? " (default: unset)"
                                           : fmt::format(" (default: {})", default_value);
      out += "\n" + Comment(description);
      out += fmt::format("{} = {}\n", name, CLI::detail::ini_join(option->reduced_results()));
    } else {
      if (default_value.empty()) description += " (default: unset)";
      out += "\n" + Comment(description);
      out += default_value.empty() ? fmt::format("# {} =\n", name)
                                   : fmt::format("# {} = {}\n", name, default_value);
    }
  }
  return out;
}

}  // namespace botify::server
