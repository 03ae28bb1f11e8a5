#include "compiler/sigma/yaml_source.h"

#include <fmt/format.h>

namespace socc::sigma {

diagnostics::Span YamlSource::span(const YAML::Mark& mark, size_t length) const {
  if (mark.line < 0 || mark.column < 0) return whole_file();
  uint32_t begin = sources_->offset(
      file_id_, {static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)});
  uint32_t end =
      static_cast<uint32_t>(std::min(text().size(), begin + std::max<size_t>(1, length)));
  // A span never runs past its line, so the caret stays under the value.
  size_t newline = text().find('\n', begin);
  if (newline != std::string::npos && end > newline) end = static_cast<uint32_t>(newline);
  return {file_id_, begin, std::max(begin, end)};
}

diagnostics::Span YamlSource::span(const YAML::Node& node) const {
  if (!node.IsDefined()) return whole_file();
  size_t length = node.IsScalar() ? node.Scalar().size() : 1;
  return span(node.Mark(), length);
}

YAML::Node get(const YAML::Node& map, const char* key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  YAML::Node member = map[key];
  return member.IsDefined() ? member : YAML::Node(YAML::NodeType::Undefined);
}

std::optional<std::string> scalar_text(const YAML::Node& node) {
  if (!node.IsDefined() || !node.IsScalar()) return std::nullopt;
  return node.Scalar();
}

bool is_plain(const YAML::Node& node) {
  return node.Tag() == "?";
}

std::optional<std::vector<YAML::Node>> load_documents(const YamlSource& source,
                                                      diagnostics::DiagnosticSink& sink,
                                                      diagnostics::Kind kind) {
  try {
    return YAML::LoadAll(source.text());
  } catch (const YAML::Exception& error) {
    sink.emit(kind, source.span(error.mark), fmt::format("not valid YAML: {}", error.msg));
    return std::nullopt;
  }
}

}  // namespace socc::sigma
