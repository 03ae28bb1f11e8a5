#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sema/checker.h"

namespace socc::sema {
namespace {

using diagnostics::Kind;

constexpr std::string_view kDetectionKeys[] = {
    "id",     "title",    "description", "author",          "references",
    "status", "severity", "attack",      "false_positives",
};
constexpr std::string_view kStatuses[] = {"experimental", "test", "stable", "deprecated"};

bool is_technique_id(const std::string& text) {
  static const std::regex pattern("T[0-9]{4}(\\.[0-9]{3})?");
  return std::regex_match(text, pattern);
}

}  // namespace

void Checker::check_schema(ast::SchemaDecl& schema) {
  std::vector<std::string> seen;
  for (ast::FieldDecl& field : schema.fields) {
    if (!parse_type(field.type_name.text, &field.type)) {
      auto& d = sink_->emit(Kind::UnknownType, field.type_name.span,
                            fmt::format("unknown type '{}'", field.type_name.text));
      diagnostics::suggest(d, field.type_name.text, type_names());
    }
    if (std::find(seen.begin(), seen.end(), field.name.text) != seen.end()) {
      sink_->emit(Kind::DuplicateDeclaration, field.name.span,
                  fmt::format("field '{}' is declared twice", field.name.text));
    }
    seen.push_back(field.name.text);
  }
  // `select` compares raw values with plain literals.
  for (ast::RawCondition& raw : schema.select) {
    for (const auto& element : raw.elements) {
      if (element->kind != ast::ExprKind::Literal) {
        sink_->emit(Kind::TypeMismatch, element->span, "a select list holds literals");
        continue;
      }
      raw.values.push_back(element->literal);
    }
    if (raw.values.empty()) {
      sink_->emit(Kind::EmptyList, raw.span, "an empty list matches nothing");
    }
  }
}

void Checker::check_techniques(const ast::MetaItem& item, CheckedDetection& out) {
  for (const ast::MetaValue& value : item.values) {
    if (!is_technique_id(value.text)) {
      sink_->emit(Kind::InvalidMetadataValue, value.span,
                  fmt::format("'{}' is not an ATT&CK technique id (T1234 or "
                              "T1234.001)",
                              value.text));
      continue;
    }
    const Technique* technique = catalog_.technique(value.text);
    if (technique == nullptr) {
      auto& d = sink_->emit(Kind::UnknownTechnique, value.span,
                            fmt::format("unknown ATT&CK technique '{}'", value.text));
      if (auto match = diagnostics::closest_match(value.text, catalog_.technique_ids())) {
        const Technique* suggested = catalog_.technique(*match);
        d.notes.push_back(
            {{}, false, fmt::format("did you mean '{}' ({})?", *match, suggested->name)});
      }
      continue;
    }
    if (technique->revoked) {
      auto& d = sink_->emit(
          Kind::RevokedTechnique, value.span,
          fmt::format("ATT&CK technique '{}' ({}) was revoked", value.text, technique->name));
      if (!technique->revoked_by.empty()) {
        d.notes.push_back(
            {{}, false, fmt::format("it was replaced by '{}'", technique->revoked_by)});
        d.fixits.push_back({value.span, technique->revoked_by});
      }
      continue;
    }
    if (technique->deprecated) {
      sink_->emit(
          Kind::DeprecatedTechnique, value.span,
          fmt::format("ATT&CK technique '{}' ({}) is deprecated", value.text, technique->name));
    }
    out.techniques.push_back(technique);
  }
}

std::vector<CheckedDetection> Checker::check_detection(const ast::Module& module,
                                                       ast::DetectionDecl& detection) {
  CheckedDetection out;
  out.decl = &detection;
  out.module = &module;
  bool has_id = false, has_title = false, has_severity = false;
  std::vector<std::string> seen_keys;

  for (const ast::MetaItem& item : detection.meta) {
    const std::string& key = item.key.text;
    bool known = std::find(std::begin(kDetectionKeys), std::end(kDetectionKeys), key) !=
                 std::end(kDetectionKeys);
    if (!known) {
      auto& d = sink_->emit(Kind::UnknownMetadataKey, item.key.span,
                            fmt::format("unknown detection item '{}'", key));
      std::vector<std::string> keys(std::begin(kDetectionKeys), std::end(kDetectionKeys));
      keys.insert(keys.end(), {"on", "where", "respond"});
      diagnostics::suggest(d, key, keys);
      continue;
    }
    if (std::find(seen_keys.begin(), seen_keys.end(), key) != seen_keys.end()) {
      sink_->emit(Kind::DuplicateItem, item.key.span,
                  fmt::format("'{}' is given twice; list several values after "
                              "one key, separated by commas",
                              key));
      continue;
    }
    seen_keys.push_back(key);
    // A required item given with a malformed value is reported as such
    // (E0403), not as missing.
    has_id |= key == "id";
    has_title |= key == "title";
    has_severity |= key == "severity";

    bool single = key == "id" || key == "title" || key == "description" || key == "status" ||
                  key == "severity";
    if (single && item.values.size() != 1) {
      sink_->emit(Kind::InvalidMetadataValue, item.span,
                  fmt::format("'{}' takes exactly one value", key));
      continue;
    }
    bool wants_string = key != "status" && key != "severity" && key != "attack";
    bool kinds_ok = true;
    for (const ast::MetaValue& value : item.values) {
      bool is_string = value.kind == ast::MetaValue::Kind::String;
      if (is_string != wants_string && key != "attack") {
        sink_->emit(Kind::InvalidMetadataValue, value.span,
                    wants_string ? fmt::format("'{}' takes a quoted string", key)
                                 : fmt::format("'{}' takes a bare name", key));
        kinds_ok = false;
      }
    }
    if (!kinds_ok) continue;

    const std::string& first = item.values.front().text;
    if (key == "id") {
      out.rule_id = first;
    } else if (key == "title") {
      out.title = first;
    } else if (key == "description") {
      out.description = first;
    } else if (key == "author") {
      for (const auto& v : item.values) out.authors.push_back(v.text);
    } else if (key == "references") {
      for (const auto& v : item.values) out.references.push_back(v.text);
    } else if (key == "false_positives") {
      for (const auto& v : item.values) out.false_positives.push_back(v.text);
    } else if (key == "status") {
      if (std::find(std::begin(kStatuses), std::end(kStatuses), first) == std::end(kStatuses)) {
        sink_->emit(Kind::InvalidMetadataValue, item.values.front().span,
                    fmt::format("unknown status '{}' (experimental, test, "
                                "stable or deprecated)",
                                first));
      }
      out.status = first;
    } else if (key == "severity") {
      if (!parse_severity(first, &out.severity)) {
        auto& d = sink_->emit(Kind::InvalidMetadataValue, item.values.front().span,
                              fmt::format("unknown severity '{}' (informational, "
                                          "low, medium, high or critical)",
                                          first));
        diagnostics::suggest(d, first, {"informational", "low", "medium", "high", "critical"});
      }
    } else if (key == "attack") {
      check_techniques(item, out);
    }
  }

  auto missing = [&](bool present, std::string_view what) {
    if (present) return;
    sink_->emit(Kind::MissingMetadata, detection.name.span,
                fmt::format("detection '{}' has no '{}'", detection.name.text, what));
  };
  missing(has_id, "id");
  missing(has_title, "title");
  missing(has_severity, "severity");
  missing(!detection.on.empty(), "on");
  missing(detection.where != nullptr, "where");

  if (detection.respond) {
    out.playbook = scopes_.lookup(module, *detection.respond, &ModuleSymbols::playbooks,
                                  Kind::UnknownPlaybook, "playbook");
  }
  std::vector<CheckedDetection> variants;
  // Copies are taken before the condition is checked in place, so each
  // schema's check starts from the condition as written.
  detection.variant_where.clear();
  for (size_t i = 1; i < detection.on.size() && detection.where; ++i) {
    detection.variant_where.push_back(ast::clone(*detection.where));
  }
  for (size_t i = 0; i < detection.on.size(); ++i) {
    const ast::SchemaDecl* schema = scopes_.lookup(module, detection.on[i], &ModuleSymbols::schemas,
                                                   Kind::UnknownSchema, "schema");
    if (schema == nullptr) continue;
    CheckedDetection variant = out;
    variant.schema = schema;
    if (detection.where) {
      ast::Expr& where = i == 0 ? *detection.where : *detection.variant_where[i - 1];
      ExprEnv env;
      env.module = &module;
      env.schema = schema;
      expansions_ = 0;
      check_condition(where, env);
      variant.where = &where;
    }
    variants.push_back(std::move(variant));
  }
  if (variants.empty()) variants.push_back(std::move(out));
  return variants;
}

void Checker::check_test(const ast::Module& module, ast::TestDecl& test, Program& program) {
  const ast::DetectionDecl* target = scopes_.lookup(module, test.name, &ModuleSymbols::detections,
                                                    Kind::UnknownDetection, "detection");
  if (target == nullptr) return;
  size_t index = 0;
  while (index < program.detections.size() && program.detections[index].decl != target) {
    ++index;
  }
  if (index == program.detections.size()) return;
  const ast::SchemaDecl* schema = program.detections[index].schema;
  if (schema == nullptr) return;
  ExprEnv env;
  env.module = &module;
  for (ast::TestCase& test_case : test.cases) {
    std::vector<const ast::FieldInit*> seen;
    for (ast::FieldInit& init : test_case.fields) {
      auto earlier = std::find_if(seen.begin(), seen.end(), [&](const ast::FieldInit* other) {
        return other->name.text == init.name.text;
      });
      if (earlier != seen.end()) {
        auto& d =
            sink_->emit(Kind::DuplicateItem, init.name.span,
                        fmt::format("field '{}' is given twice in this case", init.name.text));
        d.notes.push_back({(*earlier)->name.span, true, "the first value is here"});
        continue;
      }
      seen.push_back(&init);
      const ast::FieldDecl* field = schema->field(init.name.text);
      if (field == nullptr) {
        auto& d = sink_->emit(
            Kind::UnknownField, init.name.span,
            fmt::format("schema '{}' has no field '{}'", schema->name.text, init.name.text));
        std::vector<std::string> names;
        for (const auto& f : schema->fields) names.push_back(f.name.text);
        diagnostics::suggest(d, init.name.text, names);
        continue;
      }
      check_test_value(init, *field, env);
    }
  }
  program.tests.push_back({&test, &module, index});
}

// A test value is one constant of the field's type. Times and addresses
// may also be written as strings (`"2024-05-01T12:00:00Z"`, `"::1"`),
// as they appear in events.
void Checker::check_test_value(ast::FieldInit& init, const ast::FieldDecl& field,
                               const ExprEnv& env) {
  ast::Type given = fold(*init.value, env);
  if (given == ast::Type::Error) return;
  if (init.value->type == ast::Type::List || is_field_expr(*init.value)) {
    sink_->emit(Kind::TypeMismatch, init.value->span,
                fmt::format("field '{}' is {}; a test gives it one constant", init.name.text,
                            ast::type_name(field.type)));
    return;
  }
  init.literal = init.value->folded.front();
  init.literal.span = init.value->span;
  bool text_form = given == ast::Type::String &&
                   (field.type == ast::Type::Timestamp || field.type == ast::Type::Ip);
  if (text_form) {
    std::string error;
    if (!convert_text(init.literal.string_value, field.type, &init.literal, &error)) {
      sink_->emit(Kind::InvalidLiteral, init.value->span, error);
      return;
    }
    if (field.type == ast::Type::Ip && init.literal.kind != ast::LiteralKind::Ip) {
      sink_->emit(Kind::TypeMismatch, init.value->span,
                  fmt::format("field '{}' is an ip, but the value is a network", init.name.text));
    }
    return;
  }
  bool ok = given == field.type || (field.type == ast::Type::Float && given == ast::Type::Int);
  if (!ok) {
    sink_->emit(Kind::TypeMismatch, init.value->span,
                fmt::format("field '{}' is {}, but the value is {}", init.name.text,
                            ast::type_name(field.type), ast::type_name(given)));
  }
}

}  // namespace socc::sema
