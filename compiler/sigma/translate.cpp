#include "compiler/sigma/translate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sigma/rule_translator.h"
#include "compiler/sigma/socc_text.h"

namespace socc::sigma {
namespace {

using diagnostics::Kind;

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// A string item, or a list of strings, as socc metadata values.
std::vector<std::string> strings_of(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node.IsDefined()) return out;
  if (auto text = scalar_text(node)) {
    if (!text->empty()) out.push_back(*text);
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (auto text = scalar_text(item); text && !text->empty()) out.push_back(*text);
    }
  }
  return out;
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out += ", ";
    out += quote(value);
  }
  return out;
}

// A technique id in a tag: `attack.t1059.001` -> T1059.001.
bool technique_tag(const std::string& tag, std::string* id) {
  if (tag.size() < 12 || tag.compare(0, 8, "attack.t") != 0) return false;
  std::string rest = tag.substr(8);
  size_t digits = 0;
  while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
  if (digits != 4) return false;
  if (digits < rest.size()) {
    if (rest.size() != 8 || rest[4] != '.' ||
        !std::all_of(rest.begin() + 5, rest.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return false;
    }
  }
  *id = "T" + upper(rest);
  return true;
}

// Sigma 1 collections: a first document with `action: global` holds the
// parts every later document shares. Later documents win on conflicts;
// maps merge key by key.
// The merge goes at most this deep: anchors can make a map contain itself.
constexpr int kMaxMergeDepth = 64;

void merge_into(YAML::Node target, const YAML::Node& shared, int depth = 0) {
  if (depth > kMaxMergeDepth) return;
  for (const auto& item : shared) {
    std::string key = scalar_text(item.first).value_or("");
    if (key == "action") continue;
    YAML::Node mine = get(target, key.c_str());
    if (!mine.IsDefined()) {
      // Shared, not copied: the translation only reads it, and a deep copy
      // of a long alias chain would exhaust the stack.
      target[key] = item.second;
    } else if (mine.IsMap() && item.second.IsMap()) {
      merge_into(mine, item.second, depth + 1);
    }
  }
}

}  // namespace

Text join(const std::vector<Text>& parts, bool conjunction, const std::string& indent) {
  if (parts.size() == 1) return parts.front();
  int strength = conjunction ? Text::And : Text::Or;
  std::string separator = indent.empty() ? (conjunction ? " and " : " or ")
                                         : "\n" + indent + (conjunction ? "and " : "or ");
  Text out{"", strength};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.text += separator;
    bool wrap = parts[i].strength < strength;
    out.text += wrap ? "(" + parts[i].text + ")" : parts[i].text;
  }
  return out;
}

Text negate(const Text& operand) {
  bool wrap = operand.strength < Text::Not;
  return {"not " + (wrap ? "(" + operand.text + ")" : operand.text), Text::Not};
}

FrontEnd::FrontEnd(const Pipeline& pipeline, const sema::AttackCatalog& catalog,
                   diagnostics::DiagnosticSink& sink)
    : pipeline_(pipeline), catalog_(catalog), sink_(&sink) {
  taken_names_ = {"time", "host", kEventTextField};
}

FrontEnd::~FrontEnd() = default;

std::string FrontEnd::use_field(const std::string& sigma_name, const std::string& type,
                                const std::vector<const LogsourceEntry*>& entries) {
  auto key = std::make_pair(sigma_name, type);
  auto it = field_names_.find(key);
  if (it == field_names_.end()) {
    static const std::map<std::string, std::string> kSuffix = {
        {"string", ""},       {"ip", "__ip"},          {"int", "__int"},
        {"float", "__float"}, {"timestamp", "__time"}, {"key", "__key"}};
    std::string base = identifier(sigma_name) + kSuffix.at(type);
    std::string name = base;
    for (int n = 2; taken_names_.count(name); ++n) name = fmt::format("{}_{}", base, n);
    taken_names_.insert(name);
    it = field_names_.emplace(key, name).first;
  }
  for (const LogsourceEntry* entry : entries) {
    schema_fields_[entry][it->second] = {sigma_name, type};
  }
  return it->second;
}

Translation FrontEnd::translate(const diagnostics::SourceManager& sources,
                                diagnostics::FileId file_id) {
  Translation result;
  YamlSource source(sources, file_id);
  auto documents = load_documents(source, *sink_, Kind::SigmaYaml);
  if (!documents) {
    result.failed = 1;
    return result;
  }
  std::string stem = identifier(std::filesystem::path(sources.path(file_id)).stem().string());
  std::vector<std::string> detections;
  file_ids_.clear();
  size_t first = 0;
  if (!documents->empty() && scalar_text(get(documents->front(), "action")) == "global") {
    for (size_t i = 1; i < documents->size(); ++i) {
      if ((*documents)[i].IsMap()) merge_into((*documents)[i], documents->front());
    }
    first = 1;
  }
  for (size_t i = first; i < documents->size(); ++i) {
    const YAML::Node& document = (*documents)[i];
    if (document.IsNull()) continue;
    ++result.rules;
    std::string name = i == 0 ? stem : fmt::format("{}_{}", stem, i + 1);
    for (int n = 2; detection_names_.count(name); ++n) name = fmt::format("{}_{}", stem, n);
    RuleTranslator rule(*this, source, document, name);
    bool correlation = false;
    std::optional<std::string> text;
    try {
      text = rule.translate(&correlation);
    } catch (const YAML::Exception& problem) {
      // A node of an unexpected shape that a check above missed: the rule
      // is reported, never the compiler stopped.
      sink_->emit(Kind::SigmaStructure, source.span(problem.mark),
                  fmt::format("the rule has a part of an unexpected shape: {}", problem.msg));
      text.reset();
      correlation = false;
    }
    if (text) {
      detection_names_.insert(name);
      detections.push_back(std::move(*text));
      ++result.translated;
    } else if (correlation) {
      ++result.correlations;
    } else {
      ++result.failed;
    }
  }
  if (detections.empty()) return result;
  result.text = fmt::format("// Translated by socc from the Sigma rules of {}.\nimport {}\n",
                            sources.path(file_id), pipeline_.module);
  for (const std::string& detection : detections) result.text += "\n" + detection;
  return result;
}

void FrontEnd::finish() {
  for (const CorrelationRef& ref : correlation_refs_) {
    if (rule_refs_.count(ref.name)) continue;
    sink_->emit(Kind::SigmaCorrelationError, ref.span,
                fmt::format("the correlation names rule '{}', which no loaded Sigma rule has as "
                            "its id or name",
                            ref.name));
  }
}

std::string FrontEnd::schema_module() const {
  std::string out = fmt::format(
      "// Schemas of the Sigma rules, written by socc from the pipeline {}:\n"
      "// one per logsource entry that some rule uses, with the fields the\n"
      "// rules read.\nmodule {}\n",
      pipeline_.path, pipeline_.module);
  for (const LogsourceEntry& entry : pipeline_.logsources) {
    auto used = schema_fields_.find(&entry);
    if (used == schema_fields_.end()) continue;
    out += fmt::format("\nschema {} {{\n", entry.schema);
    for (size_t i = 0; i < entry.select.size(); ++i) {
      const SelectCondition& condition = entry.select[i];
      auto value = [](const SelectValue& v) {
        return v.is_int ? std::to_string(v.int_value) : quote(v.text);
      };
      std::string test;
      if (condition.values.size() == 1) {
        test = fmt::format("{} == {}", quote(condition.path), value(condition.values.front()));
      } else {
        std::string items;
        for (const SelectValue& v : condition.values) {
          items += (items.empty() ? "" : ", ") + value(v);
        }
        test = fmt::format("{} in [{}]", quote(condition.path), items);
      }
      out += fmt::format("  {} {}\n", i == 0 ? "select" : "   and", test);
    }
    if (!entry.layout->time_path.empty()) {
      out += fmt::format("  time: timestamp = {}\n", quote(entry.layout->time_path));
    }
    if (!entry.layout->host_path.empty()) {
      out += fmt::format("  host: string = {}\n", quote(entry.layout->host_path));
    }
    for (const auto& [name, use] : used->second) {
      // `*` is the whole event as text; a `?` after a path asks only
      // whether the key is there (runtime/decoder.h).
      std::string path = name == kEventTextField ? "*" : entry.path_of(use.sigma_name);
      bool key = use.type == "key";
      if (key) path += '?';
      out += fmt::format("  {}: {} = {}\n", name, key ? "string" : use.type, quote(path));
    }
    out += "}\n";
  }
  return out;
}

RuleTranslator::RuleTranslator(FrontEnd& front, const YamlSource& source, const YAML::Node& rule,
                               std::string detection_name)
    : front_(front), source_(source), rule_(rule), name_(std::move(detection_name)) {}

void RuleTranslator::error(Kind kind, const YAML::Node& at, std::string message) {
  error_at(kind, at.IsDefined() ? source_.span(at) : source_.span(rule_), std::move(message));
}

void RuleTranslator::error_at(Kind kind, diagnostics::Span span, std::string message) {
  auto& d = front_.sink_->emit(kind, span, std::move(message));
  if (!title_.empty()) d.notes.push_back({{}, false, fmt::format("in Sigma rule '{}'", title_)});
  if (d.severity == diagnostics::Severity::Error) failed_ = true;
}

std::optional<std::string> RuleTranslator::translate(bool* is_correlation) {
  *is_correlation = false;
  if (!rule_.IsMap()) {
    error(Kind::SigmaStructure, rule_, "a Sigma rule is a YAML map");
    return std::nullopt;
  }
  title_ = scalar_text(get(rule_, "title")).value_or("");
  if (title_.empty()) error(Kind::SigmaStructure, rule_, "the rule has no 'title'");
  for (const char* key : {"id", "name"}) {
    if (auto ref = scalar_text(rule_[key])) front_.rule_refs_.insert(*ref);
  }
  if (get(rule_, "correlation").IsDefined()) {
    *is_correlation = true;
    correlation();
    return std::nullopt;
  }
  std::string meta = metadata();
  bool mapped = logsource();
  const YAML::Node& detection = get(rule_, "detection");
  if (!detection.IsMap()) {
    error(Kind::SigmaStructure, detection.IsDefined() ? detection : rule_,
          "the rule has no 'detection' map");
    return std::nullopt;
  }
  for (const auto& item : detection) {
    auto name = scalar_text(item.first);
    if (!name || *name == "condition" || *name == "timeframe") continue;
    selections_.emplace_back(*name, item.second);
  }
  auto where = condition();
  if (failed_ || !where || !mapped) return std::nullopt;
  if (where->text.empty()) {
    *is_correlation = true;
    return std::nullopt;
  }
  std::string on;
  for (const LogsourceEntry* entry : entries_) on += (on.empty() ? "" : ", ") + entry->schema;
  std::string text =
      fmt::format("detection {} {{\n{}  on {}\n  where {}\n}}\n", name_, meta, on, where->text);
  if (auto cond = scalar_text(get(detection, "condition"))) {
    std::string comment = *cond;
    std::replace(comment.begin(), comment.end(), '\n', ' ');
    text = fmt::format("// Sigma condition: {}\n{}", comment, text);
  }
  return text;
}

std::string RuleTranslator::metadata() {
  std::string out;
  auto item = [&](const char* key, const std::string& value) {
    out += fmt::format("  {:<15} {}\n", key, value);
  };
  auto id = scalar_text(get(rule_, "id"));
  if (!id || id->empty()) {
    error(Kind::SigmaStructure, rule_, "the rule has no 'id'; socc needs a stable id per rule");
  } else {
    // The documents of a Sigma 1 collection share the global id; socc
    // needs one per detection, so later ones get `:2`, `:3`, ...
    std::string unique = *id;
    for (int n = 2; !front_.file_ids_.insert(unique).second; ++n) {
      unique = fmt::format("{}:{}", *id, n);
    }
    item("id", quote(unique));
  }
  if (!title_.empty()) item("title", quote(title_));
  if (auto description = scalar_text(get(rule_, "description"));
      description && !description->empty()) {
    item("description", quote(*description));
  }
  if (auto authors = strings_of(get(rule_, "author")); !authors.empty()) {
    item("author", quoted_list(authors));
  }
  if (auto references = strings_of(get(rule_, "references")); !references.empty()) {
    item("references", quoted_list(references));
  }
  if (auto status = scalar_text(get(rule_, "status"))) {
    std::string value = ascii_lower(*status);
    static const char* const kKnown[] = {"stable", "test", "experimental", "deprecated",
                                         "unsupported"};
    if (std::find(std::begin(kKnown), std::end(kKnown), value) == std::end(kKnown)) {
      error(Kind::SigmaStructure, get(rule_, "status"),
            fmt::format("unknown status '{}' (stable, test, experimental, deprecated or "
                        "unsupported)",
                        *status));
    } else {
      // socc has no `unsupported` status: such a rule is experimental.
      item("status", value == "unsupported" ? "experimental" : value);
    }
  }
  std::string severity = "medium";
  if (const YAML::Node& level = get(rule_, "level"); level.IsDefined()) {
    std::string value = ascii_lower(scalar_text(level).value_or(""));
    static const char* const kLevels[] = {"informational", "low", "medium", "high", "critical"};
    if (std::find(std::begin(kLevels), std::end(kLevels), value) == std::end(kLevels)) {
      error(Kind::SigmaStructure, level,
            "'level' is one of informational, low, medium, high and critical");
    } else {
      severity = value;
    }
  }
  item("severity", severity);
  tags(out);
  if (auto fps = strings_of(get(rule_, "falsepositives")); !fps.empty()) {
    item("false_positives", quoted_list(fps));
  }
  return out;
}

// ATT&CK technique tags become the detection's techniques; tactic tags are
// checked (socc derives an alert's tactics from its techniques).
void RuleTranslator::tags(std::string& out) {
  const YAML::Node& tags = get(rule_, "tags");
  if (!tags.IsDefined() || tags.IsNull()) return;
  if (!tags.IsSequence()) {
    error(Kind::SigmaStructure, tags, "'tags' is a list");
    return;
  }
  std::vector<std::string> techniques;
  for (const YAML::Node& tag : tags) {
    std::string text = ascii_lower(scalar_text(tag).value_or(""));
    if (text.compare(0, 7, "attack.") != 0) continue;
    std::string id;
    if (technique_tag(text, &id)) {
      const sema::Technique* technique = front_.catalog_.technique(id);
      if (technique == nullptr) {
        error(Kind::SigmaTag, tag,
              fmt::format("ATT&CK technique {} is not in the shipped catalog; the rule keeps "
                          "its other techniques",
                          id));
        continue;
      }
      if (technique->revoked && !technique->revoked_by.empty() &&
          front_.catalog_.technique(technique->revoked_by)) {
        error(Kind::SigmaTag, tag,
              fmt::format("ATT&CK technique {} was revoked; the rule gets its replacement {}", id,
                          technique->revoked_by));
        id = technique->revoked_by;
      } else if (technique->revoked) {
        error(Kind::SigmaTag, tag,
              fmt::format("ATT&CK technique {} was revoked and has no replacement", id));
        continue;
      }
      if (std::find(techniques.begin(), techniques.end(), id) == techniques.end()) {
        techniques.push_back(id);
      }
      continue;
    }
    std::string rest = text.substr(7);
    bool group_or_software = rest.size() == 5 && (rest[0] == 'g' || rest[0] == 's') &&
                             std::all_of(rest.begin() + 1, rest.end(), [](char c) {
                               return std::isdigit(static_cast<unsigned char>(c));
                             });
    if (group_or_software) continue;
    std::string shortname = rest;
    std::replace(shortname.begin(), shortname.end(), '_', '-');
    if (front_.catalog_.tactic_by_shortname(shortname) == nullptr) {
      error(Kind::SigmaTag, tag,
            fmt::format("'{}' names no ATT&CK tactic or technique of the shipped catalog", text));
    }
  }
  if (techniques.empty()) return;
  std::string list;
  for (const std::string& id : techniques) list += (list.empty() ? "" : ", ") + id;
  out += fmt::format("  {:<15} {}\n", "attack", list);
}

bool RuleTranslator::logsource() {
  const YAML::Node& node = get(rule_, "logsource");
  if (!node.IsMap()) {
    error(Kind::SigmaStructure, node.IsDefined() ? node : rule_, "the rule has no 'logsource' map");
    return false;
  }
  std::map<std::string, std::string> keys;
  for (const char* key : {"product", "category", "service"}) {
    if (auto value = scalar_text(node[key])) keys[key] = *value;
  }
  entries_ = front_.pipeline_.entries_for(keys);
  if (entries_.empty()) {
    std::string shown;
    for (const auto& [key, value] : keys) shown += fmt::format(" {}: {}", key, value);
    error(Kind::SigmaLogsource, node,
          fmt::format("no entry of the pipeline {} maps the logsource{}", front_.pipeline_.path,
                      shown.empty() ? " (empty)" : shown));
    return false;
  }
  return true;
}

std::optional<Text> RuleTranslator::condition() {
  const YAML::Node& detection = get(rule_, "detection");
  const YAML::Node& node = get(detection, "condition");
  std::vector<YAML::Node> conditions;
  if (node.IsScalar()) {
    conditions.push_back(node);
  } else if (node.IsSequence() && node.size() > 0) {
    for (const YAML::Node& item : node) conditions.push_back(item);
  } else {
    error(Kind::SigmaStructure, node.IsDefined() ? node : detection,
          "the detection has no 'condition'");
    return std::nullopt;
  }
  std::vector<Text> parts;
  bool aggregated = false;
  for (const YAML::Node& item : conditions) {
    auto text = scalar_text(item);
    if (!text) {
      error(Kind::SigmaCondition, item, "a condition is a string");
      return std::nullopt;
    }
    ConditionError problem;
    auto parsed = parse_condition(*text, &problem);
    if (!parsed) {
      // A quoted or folded scalar starts after its mark; the offset is
      // then approximate, but stays on the condition's line.
      diagnostics::Span span = source_.span(item.Mark(), 1);
      span.begin += problem.offset;
      span.end = span.begin + 1;
      diagnostics::Span line = source_.span(item.Mark(), text->size() + 2);
      if (span.begin >= line.end) span = line;
      error_at(Kind::SigmaCondition, span, problem.message);
      return std::nullopt;
    }
    auto lowered = lower_condition(parsed->condition, item, *text, 0);
    if (!lowered) return std::nullopt;
    if (parsed->aggregation) {
      check_aggregation(*parsed->aggregation, item);
      aggregated = true;
      continue;
    }
    parts.push_back(std::move(*lowered));
  }
  if (aggregated) {
    if (!failed_) {
      error(Kind::SigmaCorrelation, node,
            "the condition aggregates events ('|'): a correlation, which is checked but not "
            "run; the rule yields no detection");
    }
    return Text{"", Text::Atom};
  }
  return join(parts, false, "    ");
}

std::optional<Text> RuleTranslator::lower_condition(const Condition& node, const YAML::Node& at,
                                                    const std::string& text, int depth) {
  auto report = [&](std::string message) -> std::optional<Text> {
    diagnostics::Span span = source_.span(at.Mark(), 1);
    diagnostics::Span line = source_.span(at.Mark(), text.size() + 2);
    span.begin = std::min(line.end, span.begin + node.offset);
    span.end = std::min(line.end, span.begin + static_cast<uint32_t>(node.name.size()));
    error_at(Kind::SigmaCondition, span, std::move(message));
    return std::nullopt;
  };
  switch (node.kind) {
    case Condition::Kind::Name: {
      for (const auto& [name, value] : selections_) {
        if (name == node.name) return selection(name, value);
      }
      std::vector<std::string> names;
      for (const auto& selection : selections_) names.push_back(selection.first);
      std::string hint;
      if (auto best = diagnostics::closest_match(node.name, names)) {
        hint = fmt::format("; did you mean '{}'?", *best);
      }
      return report(
          fmt::format("the condition names '{}', which is no selection of the "
                      "detection{}",
                      node.name, hint));
    }
    case Condition::Kind::OneOf:
    case Condition::Kind::AllOf: {
      std::vector<Text> parts;
      for (const auto& [name, value] : selections_) {
        if (node.them && !name.empty() && name[0] == '_') continue;
        if (!name_matches(node.name, name)) continue;
        auto part = selection(name, value);
        if (!part) return std::nullopt;
        parts.push_back(std::move(*part));
      }
      if (parts.empty()) {
        return report(fmt::format("'{}' matches no selection of the detection",
                                  node.them ? std::string("them") : node.name));
      }
      return join(parts, node.kind == Condition::Kind::AllOf);
    }
    case Condition::Kind::Not: {
      auto operand = lower_condition(node.kids.front(), at, text, depth + 1);
      if (!operand) return std::nullopt;
      return negate(*operand);
    }
    case Condition::Kind::And:
    case Condition::Kind::Or: {
      std::vector<Text> parts;
      for (const Condition& kid : node.kids) {
        auto part = lower_condition(kid, at, text, depth + 1);
        if (!part) return std::nullopt;
        parts.push_back(std::move(*part));
      }
      bool conjunction = node.kind == Condition::Kind::And;
      return join(parts, conjunction, depth == 0 ? "    " : "");
    }
  }
  return std::nullopt;
}

}  // namespace socc::sigma
