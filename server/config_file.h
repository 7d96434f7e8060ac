// botify-server's --config-file: CLI11's INI/TOML reader ("name = value" lines, '#' or ';'
// comments, quoted or bare values), made strict, and the settings printed back as such a
// file. Only main uses it: flags and the config file are parsed there alone.
//
// The reader checks every line before CLI11 applies any, so a mistake names its line:
//   line 3: unknown setting 'prot' (`botify-server --print-config` lists every setting)
//   line 5: port = "http": Could not convert: --port = http
// A line is tried on a fresh parser (its own flags, its own storage), the same conversions
// and checks the command line gets, so a value the file accepts is a value the flag
// accepts. A setting given twice, a "[section]" (botify-server has none) and a flag that
// only the command line may give (help, config-file, print-config) are errors too. Values
// from the file apply only to flags not given on the command line: the command line wins.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace botify::server {

// Thread-compatible; used by one CLI::App's parse.
class StrictConfigFormat : public CLI::ConfigTOML {
 public:
  // `fresh_parser` returns a parser with every flag of the real one, on storage of its own.
  explicit StrictConfigFormat(std::function<std::unique_ptr<CLI::App>()> fresh_parser);

  // The file's settings, one item per line; throws CLI::ConfigError("line N: ...") at the
  // first line that is not a valid setting.
  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override;

 private:
  std::function<std::unique_ptr<CLI::App>()> fresh_parser_;
};

// Every setting `app` can read from a config file (its configurable options, not help),
// as a config file: `header` as comment lines, then per setting its description as a
// comment and either "name = value" when it was given (on the command line or in a config
// file) or "# name = default" when it was not. Reading the result back gives the same
// settings, so it documents a configuration and can be one.
std::string EffectiveConfig(const CLI::App& app, std::string_view header);

}  // namespace botify::server
