#pragma once

// A Sigma processing pipeline: how the logsources and field names of Sigma
// rules become socc schemas. Read from YAML (stdlib/sigma/pipeline.yml by
// default); docs/sigma.md describes the format.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace socc::sigma {

// A constant of a schema's `select`: an integer or a string.
struct SelectValue {
  bool is_int = false;
  int64_t int_value = 0;
  std::string text;
};

struct SelectCondition {
  std::string path;
  std::vector<SelectValue> values;  // one of them
};

// How Sigma field names map to raw paths in one event layout.
struct Layout {
  std::string name;
  std::string time_path;
  std::string host_path;
  // The path of a field not in `fields`; `{field}` stands for its name.
  std::string default_path;
  std::map<std::string, std::string> fields;
};

// One schema: the events of a logsource in one layout.
struct LogsourceEntry {
  std::string schema;
  const Layout* layout = nullptr;
  // product / category / service -> value, lower case.
  std::map<std::string, std::string> match;
  std::vector<SelectCondition> select;
  std::map<std::string, std::string> fields;

  // The raw path of Sigma field `field` in this entry's events.
  std::string path_of(const std::string& field) const;
};

struct Pipeline {
  std::string path;
  std::string module;
  std::vector<std::unique_ptr<Layout>> layouts;
  std::vector<LogsourceEntry> logsources;
  // Placeholder name (without %) -> the values it stands for.
  std::map<std::string, std::vector<std::string>> placeholders;

  // The entries a rule with this logsource runs on: of those whose `match`
  // keys all equal the rule's, the most specific ones. Empty when none
  // matches.
  std::vector<const LogsourceEntry*> entries_for(
      const std::map<std::string, std::string>& logsource) const;
};

// Parses a pipeline. Problems are reported as E0508 at their position in
// `file_id` (registered in `sources`); returns nullopt when the file cannot
// be used.
std::optional<Pipeline> parse_pipeline(diagnostics::SourceManager& sources,
                                       diagnostics::FileId file_id,
                                       diagnostics::DiagnosticSink& sink);

}  // namespace socc::sigma
