#include "compiler/sigma/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "compiler/sigma/socc_text.h"
#include "compiler/sigma/yaml_source.h"

namespace socc::sigma {
namespace {

using diagnostics::Kind;

bool is_identifier(const std::string& text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

class PipelineReader {
 public:
  PipelineReader(const YamlSource& source, diagnostics::DiagnosticSink& sink)
      : source_(source), sink_(sink) {}

  std::optional<Pipeline> read(const YAML::Node& root) {
    Pipeline pipeline;
    if (!root.IsMap())
      return fail(root,
                  "a pipeline is a map with 'module', 'layouts' and "
                  "'logsources'");
    auto module = scalar_text(get(root, "module"));
    if (!module || !is_identifier(*module)) {
      return fail(get(root, "module").IsDefined() ? get(root, "module") : root,
                  "'module' must name the generated module (an identifier)");
    }
    pipeline.module = *module;
    if (!get(root, "layouts").IsMap())
      return fail(root, "'layouts' must map layout names to layouts");
    for (const auto& entry : get(root, "layouts")) {
      auto layout = read_layout(entry.first, entry.second);
      if (!layout) return std::nullopt;
      pipeline.layouts.push_back(std::make_unique<Layout>(std::move(*layout)));
    }
    if (!get(root, "logsources").IsSequence()) return fail(root, "'logsources' must be a list");
    for (const YAML::Node& node : get(root, "logsources")) {
      auto entry = read_entry(node, pipeline);
      if (!entry) return std::nullopt;
      pipeline.logsources.push_back(std::move(*entry));
    }
    if (const YAML::Node& placeholders = get(root, "placeholders"); placeholders.IsDefined()) {
      if (!placeholders.IsMap()) return fail(placeholders, "'placeholders' must be a map");
      for (const auto& item : placeholders) {
        auto name = scalar_text(item.first);
        std::vector<std::string> values;
        if (!name || !read_strings(item.second, values)) {
          return fail(item.second, "a placeholder maps its name to a list of strings");
        }
        pipeline.placeholders[*name] = std::move(values);
      }
    }
    return pipeline;
  }

 private:
  std::nullopt_t fail(const YAML::Node& at, std::string message) {
    sink_.emit(Kind::SigmaPipeline, source_.span(at), std::move(message));
    return std::nullopt;
  }

  bool read_strings(const YAML::Node& node, std::vector<std::string>& out) {
    if (auto text = scalar_text(node)) {
      out.push_back(*text);
      return true;
    }
    if (!node.IsSequence()) return false;
    for (const YAML::Node& item : node) {
      auto text = scalar_text(item);
      if (!text) return false;
      out.push_back(*text);
    }
    return true;
  }

  bool read_field_map(const YAML::Node& node, std::map<std::string, std::string>& out) {
    if (!node.IsDefined() || node.IsNull()) return true;
    if (!node.IsMap()) {
      fail(node, "'fields' must map Sigma field names to raw paths");
      return false;
    }
    for (const auto& item : node) {
      auto name = scalar_text(item.first);
      auto path = scalar_text(item.second);
      if (!name || !path || path->empty()) {
        fail(item.second, "a field maps to a raw path (a string)");
        return false;
      }
      out[*name] = *path;
    }
    return true;
  }

  std::optional<Layout> read_layout(const YAML::Node& key, const YAML::Node& node) {
    Layout layout;
    auto name = scalar_text(key);
    if (!name || !node.IsMap()) return fail(key, "a layout is a map with 'default' and 'fields'");
    layout.name = *name;
    auto text = [&](const char* item) { return scalar_text(get(node, item)).value_or(""); };
    layout.time_path = text("time");
    layout.host_path = text("host");
    layout.default_path = text("default");
    if (layout.default_path.find("{field}") == std::string::npos) {
      return fail(node, fmt::format("layout '{}' needs a 'default' path containing {{field}}",
                                    layout.name));
    }
    if (!read_field_map(get(node, "fields"), layout.fields)) return std::nullopt;
    return layout;
  }

  std::optional<LogsourceEntry> read_entry(const YAML::Node& node, const Pipeline& pipeline) {
    LogsourceEntry entry;
    if (!node.IsMap()) return fail(node, "a logsource entry is a map");
    auto schema = scalar_text(get(node, "schema"));
    if (!schema || !is_identifier(*schema)) {
      return fail(node, "a logsource entry needs 'schema', an identifier");
    }
    for (const LogsourceEntry& other : pipeline.logsources) {
      if (other.schema == *schema) {
        return fail(get(node, "schema"), fmt::format("schema '{}' is named twice", *schema));
      }
    }
    entry.schema = *schema;
    auto layout_name = scalar_text(get(node, "layout"));
    for (const auto& layout : pipeline.layouts) {
      if (layout_name && layout->name == *layout_name) entry.layout = layout.get();
    }
    if (entry.layout == nullptr) {
      return fail(get(node, "layout").IsDefined() ? get(node, "layout") : node,
                  fmt::format("logsource entry '{}' names no layout of this pipeline", *schema));
    }
    const YAML::Node& match = get(node, "match");
    if (match.IsDefined() && !match.IsNull()) {
      if (!match.IsMap()) return fail(match, "'match' maps product, category or service to values");
      for (const auto& item : match) {
        auto key = scalar_text(item.first);
        auto value = scalar_text(item.second);
        if (!key || !value || (*key != "product" && *key != "category" && *key != "service")) {
          return fail(item.first, "'match' takes product, category and service");
        }
        entry.match[*key] = ascii_lower(*value);
      }
    }
    const YAML::Node& select = get(node, "select");
    if (select.IsDefined() && !select.IsNull()) {
      if (!select.IsMap()) return fail(select, "'select' maps raw paths to values");
      for (const auto& item : select) {
        SelectCondition condition;
        condition.path = scalar_text(item.first).value_or("");
        std::vector<std::string> texts;
        if (condition.path.empty() || !read_strings(item.second, texts) || texts.empty()) {
          return fail(item.second, "a selection maps a raw path to a value or a list of them");
        }
        for (const std::string& text : texts) condition.values.push_back(select_value(text));
        entry.select.push_back(std::move(condition));
      }
    }
    if (!read_field_map(get(node, "fields"), entry.fields)) return std::nullopt;
    return entry;
  }

  static SelectValue select_value(const std::string& text) {
    SelectValue value;
    value.text = text;
    bool digits = !text.empty() && text.size() < 19 &&
                  std::all_of(
                      text.begin(), text.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (digits) {
      value.is_int = true;
      value.int_value = std::stoll(text);
    }
    return value;
  }

  const YamlSource& source_;
  diagnostics::DiagnosticSink& sink_;
};

}  // namespace

std::string LogsourceEntry::path_of(const std::string& field) const {
  if (auto it = fields.find(field); it != fields.end()) return it->second;
  if (auto it = layout->fields.find(field); it != layout->fields.end()) return it->second;
  std::string path = layout->default_path;
  path.replace(path.find("{field}"), 7, field);
  return path;
}

std::vector<const LogsourceEntry*> Pipeline::entries_for(
    const std::map<std::string, std::string>& logsource) const {
  std::vector<const LogsourceEntry*> best;
  size_t best_keys = 0;
  for (const LogsourceEntry& entry : logsources) {
    bool matches = std::all_of(entry.match.begin(), entry.match.end(), [&](const auto& item) {
      auto it = logsource.find(item.first);
      return it != logsource.end() && ascii_lower(it->second) == item.second;
    });
    if (!matches) continue;
    if (best.empty() || entry.match.size() > best_keys) {
      best.clear();
      best_keys = entry.match.size();
    }
    if (entry.match.size() == best_keys) best.push_back(&entry);
  }
  return best;
}

std::optional<Pipeline> parse_pipeline(diagnostics::SourceManager& sources,
                                       diagnostics::FileId file_id,
                                       diagnostics::DiagnosticSink& sink) {
  YamlSource source(sources, file_id);
  auto documents = load_documents(source, sink, Kind::SigmaPipeline);
  if (!documents) return std::nullopt;
  if (documents->size() != 1) {
    sink.emit(Kind::SigmaPipeline, source.whole_file(), "a pipeline file holds one YAML document");
    return std::nullopt;
  }
  PipelineReader reader(source, sink);
  auto pipeline = reader.read(documents->front());
  if (pipeline) pipeline->path = sources.path(file_id);
  return pipeline;
}

}  // namespace socc::sigma
