#pragma once

// Reading YAML with positions: yaml-cpp nodes carry 0-based line and column
// marks, which diagnostics need as byte spans of the registered file.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "compiler/diagnostics/diagnostic.h"

namespace socc::sigma {

class YamlSource {
 public:
  YamlSource(const diagnostics::SourceManager& sources, diagnostics::FileId file_id)
      : sources_(&sources), file_id_(file_id) {}

  diagnostics::FileId file_id() const { return file_id_; }
  const std::string& text() const { return sources_->text(file_id_); }

  // The span of a node: from its mark to the end of its scalar text (or a
  // single byte for collections).
  diagnostics::Span span(const YAML::Node& node) const;
  diagnostics::Span span(const YAML::Mark& mark, size_t length = 1) const;
  diagnostics::Span whole_file() const { return {file_id_, 0, 0}; }

 private:
  const diagnostics::SourceManager* sources_;
  diagnostics::FileId file_id_;
};

// The member `key` of a map, or an undefined node when `map` is no map or
// lacks the key. (yaml-cpp's own operator[] yields a node that throws on
// most uses when the key is missing.)
YAML::Node get(const YAML::Node& map, const char* key);

// The text of a scalar node, or nullopt for a null, a sequence or a map.
std::optional<std::string> scalar_text(const YAML::Node& node);

// Whether a plain (unquoted) scalar was written, as opposed to a quoted one:
// only plain scalars are numbers, booleans or null in YAML.
bool is_plain(const YAML::Node& node);

// Parses every document of a YAML text. On a syntax error reports E0501
// (or `kind`) at its position and returns nullopt.
std::optional<std::vector<YAML::Node>> load_documents(const YamlSource& source,
                                                      diagnostics::DiagnosticSink& sink,
                                                      diagnostics::Kind kind);

}  // namespace socc::sigma
