#include "compiler/ir/lower.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "runtime/glob.h"

namespace socc::ir {
namespace {

ValueType value_type(ast::Type type) {
  switch (type) {
    case ast::Type::Bool:
      return ValueType::Bool;
    case ast::Type::Int:
      return ValueType::Int;
    case ast::Type::Float:
      return ValueType::Float;
    case ast::Type::Timestamp:
      return ValueType::Timestamp;
    case ast::Type::Duration:
      return ValueType::Duration;
    case ast::Type::Ip:
    case ast::Type::Cidr:
      return ValueType::Ip;
    default:
      return ValueType::String;
  }
}

Derive derive_of(ast::FieldFunction function) {
  switch (function) {
    case ast::FieldFunction::Lower:
      return Derive::Lower;
    case ast::FieldFunction::Upper:
      return Derive::Upper;
    case ast::FieldFunction::Basename:
      return Derive::Basename;
    case ast::FieldFunction::Dirname:
      return Derive::Dirname;
    case ast::FieldFunction::Length:
      return Derive::Length;
    case ast::FieldFunction::Year:
      return Derive::Year;
    case ast::FieldFunction::Month:
      return Derive::Month;
    case ast::FieldFunction::Day:
      return Derive::Day;
    case ast::FieldFunction::Hour:
      return Derive::Hour;
    case ast::FieldFunction::Minute:
      return Derive::Minute;
    case ast::FieldFunction::Week:
      return Derive::Week;
    case ast::FieldFunction::Weekday:
      return Derive::Weekday;
  }
  return Derive::None;
}

// Converts a literal to a constant of the type it is compared with (an int
// literal against a float field becomes a float).
Constant constant(const ast::Literal& literal, ValueType as) {
  Constant c;
  c.type = as;
  switch (literal.kind) {
    case ast::LiteralKind::String:
      c.string_value = literal.string_value;
      break;
    case ast::LiteralKind::Int:
      c.int_value = literal.int_value;
      c.float_value = static_cast<double>(literal.int_value);
      break;
    case ast::LiteralKind::Float:
      c.float_value = literal.float_value;
      break;
    case ast::LiteralKind::Bool:
      c.bool_value = literal.bool_value;
      break;
    case ast::LiteralKind::Timestamp:
    case ast::LiteralKind::Duration:
      c.int_value = literal.int_value;
      break;
    case ast::LiteralKind::Ip:
    case ast::LiteralKind::Cidr:
      c.ip_hi = literal.ip_hi;
      c.ip_lo = literal.ip_lo;
      c.prefix = literal.prefix;
      break;
  }
  return c;
}

ValueType literal_value_type(const ast::Literal& literal) {
  switch (literal.kind) {
    case ast::LiteralKind::String:
      return ValueType::String;
    case ast::LiteralKind::Int:
      return ValueType::Int;
    case ast::LiteralKind::Float:
      return ValueType::Float;
    case ast::LiteralKind::Bool:
      return ValueType::Bool;
    case ast::LiteralKind::Timestamp:
      return ValueType::Timestamp;
    case ast::LiteralKind::Duration:
      return ValueType::Duration;
    case ast::LiteralKind::Ip:
    case ast::LiteralKind::Cidr:
      return ValueType::Ip;
  }
  return ValueType::String;
}

PredicateOp predicate_op(ast::CompareOp op) {
  switch (op) {
    case ast::CompareOp::Eq:
      return PredicateOp::Eq;
    case ast::CompareOp::Ne:
      return PredicateOp::Ne;
    case ast::CompareOp::Lt:
      return PredicateOp::Lt;
    case ast::CompareOp::Le:
      return PredicateOp::Le;
    case ast::CompareOp::Gt:
      return PredicateOp::Gt;
    case ast::CompareOp::Ge:
      return PredicateOp::Ge;
    case ast::CompareOp::Contains:
      return PredicateOp::Contains;
    case ast::CompareOp::StartsWith:
      return PredicateOp::StartsWith;
    case ast::CompareOp::EndsWith:
      return PredicateOp::EndsWith;
    case ast::CompareOp::Like:
      return PredicateOp::Like;
    case ast::CompareOp::Matches:
      return PredicateOp::Matches;
  }
  return PredicateOp::Eq;
}

// Whether `text` is valid UTF-8. A glob's literal covers whole characters;
// a valid literal cannot start or end inside a character of the text, so
// comparing its bytes gives the same answer.
bool valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    size_t length = lead < 0x80             ? 1
                    : (lead & 0xE0) == 0xC0 ? 2
                    : (lead & 0xF0) == 0xE0 ? 3
                    : (lead & 0xF8) == 0xF0 ? 4
                                            : 0;
    if (length == 0 || i + length > text.size()) return false;
    uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

// A glob that only anchors a literal becomes the cheaper string test it
// means (when the literal is valid UTF-8, see above): `*\cmd.exe` is endswith, `*foo*` contains,
// `a*` startswith, a glob without wildcards is equality. `*` alone holds for any value.
void simplify_glob(Node& node) {
  auto pieces = runtime::parse_glob(node.constant.string_value);
  using Kind = runtime::GlobPiece::Kind;
  auto is = [&](size_t i, Kind kind) { return i < pieces.size() && pieces[i].kind == kind; };
  for (const auto& piece : pieces) {
    if (!valid_utf8(piece.text)) return;
  }
  std::string literal;
  if (pieces.empty()) {
    node.op = PredicateOp::Eq;
  } else if (pieces.size() == 1 && is(0, Kind::Literal)) {
    node.op = PredicateOp::Eq;
    literal = pieces[0].text;
  } else if (pieces.size() == 1 && is(0, Kind::Star)) {
    node.op = PredicateOp::Exists;
  } else if (pieces.size() == 2 && is(0, Kind::Star) && is(1, Kind::Literal)) {
    node.op = PredicateOp::EndsWith;
    literal = pieces[1].text;
  } else if (pieces.size() == 2 && is(0, Kind::Literal) && is(1, Kind::Star)) {
    node.op = PredicateOp::StartsWith;
    literal = pieces[0].text;
  } else if (pieces.size() == 3 && is(0, Kind::Star) && is(1, Kind::Literal) && is(2, Kind::Star)) {
    node.op = PredicateOp::Contains;
    literal = pieces[1].text;
  } else {
    return;
  }
  node.constant.string_value = literal;
}

class Lowering {
 public:
  Lowering(const sema::Program& program, const sema::AttackCatalog& catalog,
           const diagnostics::SourceManager& sources)
      : program_(program), catalog_(catalog), sources_(sources) {}

  Pack run() {
    for (const sema::CheckedPlaybook& playbook : program_.playbooks) {
      playbook_index_[playbook.decl] = static_cast<int>(playbook_index_.size());
    }
    for (const sema::CheckedDetection& detection : program_.detections) {
      lower_detection(detection);
    }
    for (const sema::CheckedPlaybook& playbook : program_.playbooks) {
      pack_.playbooks.push_back(lower_playbook(playbook));
    }
    for (const sema::CheckedTest& test : program_.tests) lower_test(test);
    return std::move(pack_);
  }

 private:
  std::string location(ast::Span span) const {
    auto at = sources_.position(span.file_id, span.begin);
    return fmt::format("{}:{}", sources_.path(span.file_id), at.line);
  }

  // One slot per distinct (raw path, type), however many rules read it. A
  // derived slot's path names its function and source:
  // `basename(Event.EventData.Image)`.
  int intern_slot(const std::string& path, ValueType type, Derive derive = Derive::None,
                  int source = -1) {
    auto [it, inserted] =
        slot_index_.emplace(std::make_pair(path, type), static_cast<int>(pack_.slots.size()));
    if (inserted) pack_.slots.push_back({path, type, derive, source});
    return it->second;
  }

  // The slot of a field expression: a field, or a field function of one.
  int value_slot(const ast::Expr& expr, const ast::SchemaDecl& schema,
                 std::vector<int>& fields_read) {
    if (expr.referent == ast::Referent::FieldFunction) {
      int source = value_slot(*expr.args.front(), schema, fields_read);
      Derive derive = derive_of(expr.function);
      std::string path = fmt::format("{}({})", derive_name(derive), pack_.slots[source].path);
      return intern_slot(path, value_type(expr.type), derive, source);
    }
    fields_read.push_back(expr.field_index);
    return field_slot(schema, expr.field_index);
  }

  int intern_regex(const std::string& pattern, bool case_sensitive) {
    for (size_t i = 0; i < pack_.regexes.size(); ++i) {
      if (pack_.regexes[i].pattern == pattern &&
          pack_.regexes[i].case_sensitive == case_sensitive) {
        return static_cast<int>(i);
      }
    }
    pack_.regexes.push_back({pattern, case_sensitive});
    return static_cast<int>(pack_.regexes.size() - 1);
  }

  // `lhs op constant`, for one constant of the right operand.
  Node compare_constant(const ast::Expr& expr, int slot, const ast::Literal& value) {
    Node node;
    node.kind = NodeKind::Predicate;
    node.slot = slot;
    node.op = predicate_op(expr.op);
    node.case_sensitive = expr.case_sensitive;
    node.constant = constant(value, pack_.slots[slot].type);
    if (node.op == PredicateOp::Like) simplify_glob(node);
    if (node.op == PredicateOp::Matches) {
      node.regex = intern_regex(value.string_value, expr.case_sensitive);
    }
    return node;
  }

  int field_slot(const ast::SchemaDecl& schema, int field_index) {
    const ast::FieldDecl& field = schema.fields[field_index];
    return intern_slot(field.path, value_type(field.type));
  }

  int schema_index(const ast::SchemaDecl* schema) {
    auto it = schema_index_.find(schema);
    if (it != schema_index_.end()) return it->second;
    SchemaSelection selection;
    selection.name = schema->name.text;
    selection.select.kind = NodeKind::And;
    for (const ast::RawCondition& raw : schema->select) {
      Node pred;
      pred.kind = NodeKind::Predicate;
      ValueType type = literal_value_type(raw.values.front());
      pred.slot = intern_slot(raw.path, type);
      if (raw.values.size() == 1) {
        pred.op = PredicateOp::Eq;
        pred.constant = constant(raw.values.front(), type);
      } else {
        pred.op = PredicateOp::InSet;
        pred.set = add_set(raw.values, type, false);
      }
      selection.select.children.push_back(std::move(pred));
    }
    int index = static_cast<int>(pack_.schemas.size());
    pack_.schemas.push_back(std::move(selection));
    schema_index_[schema] = index;
    return index;
  }

  int add_set(const std::vector<ast::Literal>& items, ValueType type, bool case_sensitive) {
    ConstantSet set;
    set.type = type;
    set.case_sensitive = case_sensitive;
    for (const ast::Literal& item : items) set.values.push_back(constant(item, type));
    pack_.sets.push_back(std::move(set));
    return static_cast<int>(pack_.sets.size() - 1);
  }

  Node lower_expr(const ast::Expr& expr, const ast::SchemaDecl& schema,
                  std::vector<int>& fields_read) {
    Node node;
    switch (expr.kind) {
      case ast::ExprKind::Literal:
        node.kind = expr.literal.bool_value ? NodeKind::True : NodeKind::False;
        return node;
      case ast::ExprKind::Name:
        // A bool field used as a condition on its own.
        node.kind = NodeKind::Predicate;
        node.slot = value_slot(expr, schema, fields_read);
        node.op = PredicateOp::Eq;
        node.constant.type = ValueType::Bool;
        node.constant.bool_value = true;
        return node;
      case ast::ExprKind::Call:
        if (expr.referent == ast::Referent::Macro) {
          return lower_expr(*expr.expansion, schema, fields_read);
        }
        if (expr.referent == ast::Referent::FieldFunction) {
          // A function giving bool; none does yet, but the slot would do.
          node.kind = NodeKind::Predicate;
          node.slot = value_slot(expr, schema, fields_read);
          node.constant.type = ValueType::Bool;
          node.constant.bool_value = true;
          return node;
        }
        node.kind = NodeKind::Predicate;
        node.slot = value_slot(*expr.args.front(), schema, fields_read);
        node.op = PredicateOp::Exists;
        return node;
      case ast::ExprKind::Compare: {
        int slot = value_slot(*expr.lhs, schema, fields_read);
        if (sema::is_field_expr(*expr.rhs)) {
          node.kind = NodeKind::Predicate;
          node.slot = slot;
          node.op = predicate_op(expr.op);
          node.case_sensitive = expr.case_sensitive;
          node.rhs_slot = value_slot(*expr.rhs, schema, fields_read);
          return node;
        }
        if (expr.rhs->type != ast::Type::List) {
          return compare_constant(expr, slot, expr.rhs->folded.front());
        }
        // A list on the right: any of its values, or, with `all`, one value
        // of each group (a group is one value of the source list with the
        // variants a function such as windash made of it).
        node.kind = NodeKind::Or;
        if (!expr.match_all) {
          for (const ast::Literal& value : expr.rhs->folded) {
            node.children.push_back(compare_constant(expr, slot, value));
          }
        } else {
          node.kind = NodeKind::And;
          std::map<int, Node> groups;
          for (const ast::Literal& value : expr.rhs->folded) {
            Node& group = groups[value.group];
            group.kind = NodeKind::Or;
            group.children.push_back(compare_constant(expr, slot, value));
          }
          for (auto& [index, group] : groups) {
            node.children.push_back(group.children.size() == 1 ? std::move(group.children[0])
                                                               : std::move(group));
          }
        }
        if (node.children.empty()) node.kind = NodeKind::False;
        return node;
      }
      case ast::ExprKind::In: {
        int slot = value_slot(*expr.lhs, schema, fields_read);
        node.kind = NodeKind::Predicate;
        node.slot = slot;
        node.op = expr.negated ? PredicateOp::NotInSet : PredicateOp::InSet;
        node.case_sensitive = expr.case_sensitive;
        node.set = add_set(expr.rhs->folded, pack_.slots[slot].type, expr.case_sensitive);
        return node;
      }
      case ast::ExprKind::Not:
        node.kind = NodeKind::Not;
        node.children.push_back(lower_expr(*expr.lhs, schema, fields_read));
        return node;
      case ast::ExprKind::And:
      case ast::ExprKind::Or:
        node.kind = expr.kind == ast::ExprKind::And ? NodeKind::And : NodeKind::Or;
        for (const auto& arg : expr.args) {
          node.children.push_back(lower_expr(*arg, schema, fields_read));
        }
        return node;
      default:
        node.kind = NodeKind::False;
        return node;
    }
  }

  void lower_detection(const sema::CheckedDetection& detection) {
    Rule rule;
    const ast::SchemaDecl& schema = *detection.schema;
    rule.name = detection.decl->name.text;
    rule.rule_id = detection.rule_id;
    rule.title = detection.title;
    rule.description = detection.description;
    rule.severity = std::string(sema::severity_name(detection.severity));
    rule.severity_rank = static_cast<int>(detection.severity);
    rule.status = detection.status;
    rule.source = location(detection.decl->name.span);
    for (const sema::Technique* technique : detection.techniques) {
      TechniqueRef ref{technique->id, technique->name, {}};
      for (const std::string& shortname : technique->tactics) {
        if (const sema::Tactic* tactic = catalog_.tactic_by_shortname(shortname)) {
          ref.tactics.push_back({tactic->id, tactic->name});
        }
      }
      rule.techniques.push_back(std::move(ref));
    }
    rule.schema = schema_index(&schema);
    std::vector<int> fields_read;
    rule.condition = lower_expr(*detection.where, schema, fields_read);
    std::sort(fields_read.begin(), fields_read.end());
    fields_read.erase(std::unique(fields_read.begin(), fields_read.end()), fields_read.end());
    for (int index : fields_read) {
      rule.fields.push_back({schema.fields[index].name.text, field_slot(schema, index), true});
    }
    // The alert's context: event time and host when the schema has them.
    if (int index = schema.field_index("time"); index >= 0) {
      rule.time_slot = field_slot(schema, index);
    }
    if (int index = schema.field_index("host"); index >= 0) {
      rule.host_slot = field_slot(schema, index);
    }
    if (detection.playbook != nullptr) {
      rule.playbook = playbook_index_.at(detection.playbook);
      rule.playbook_name = detection.playbook->name.text;
      add_playbook_fields(*program_.playbook(detection.playbook), schema, rule);
    }
    int rule_index = static_cast<int>(pack_.rules.size());
    pack_.schemas[rule.schema].rules.push_back(rule_index);
    pack_.rules.push_back(std::move(rule));
  }

  // Gives the rule a slot for every `event.<field>` its playbook reads, so
  // that the alert carries the value when the playbook runs.
  void add_playbook_fields(const sema::CheckedPlaybook& playbook, const ast::SchemaDecl& schema,
                           Rule& rule) {
    std::vector<const ast::Expr*> pending;
    for (const ast::Step& step : playbook.decl->steps) {
      for (const ast::Arg& arg : step.args) pending.push_back(arg.value.get());
      if (step.when) pending.push_back(step.when.get());
    }
    while (!pending.empty()) {
      const ast::Expr* expr = pending.back();
      pending.pop_back();
      if (expr->referent == ast::Referent::EventField) {
        int index = schema.field_index(expr->member);
        bool known = std::any_of(rule.fields.begin(), rule.fields.end(),
                                 [&](const RuleField& f) { return f.name == expr->member; });
        if (index >= 0 && !known) {
          rule.fields.push_back({expr->member, field_slot(schema, index), false});
        }
      }
      for (const auto& arg : expr->args) pending.push_back(arg.get());
      if (expr->lhs) pending.push_back(expr->lhs.get());
      if (expr->rhs) pending.push_back(expr->rhs.get());
    }
  }

  PlaybookValue playbook_value(const ast::Expr& expr) {
    PlaybookValue value;
    switch (expr.referent) {
      case ast::Referent::AlertMember:
        value.kind = PlaybookValue::Kind::AlertMember;
        value.member = expr.member;
        return value;
      case ast::Referent::EventField:
        value.kind = PlaybookValue::Kind::EventField;
        value.member = expr.member;
        return value;
      case ast::Referent::Severity:
        value.kind = PlaybookValue::Kind::Severity;
        value.severity_rank = expr.severity_value;
        return value;
      default:
        value.kind = PlaybookValue::Kind::Constant;
        value.constant = constant(expr.literal, literal_value_type(expr.literal));
        return value;
    }
  }

  PlaybookCondition playbook_condition(const ast::Expr& expr) {
    PlaybookCondition condition;
    switch (expr.kind) {
      case ast::ExprKind::Compare:
        condition.kind = PlaybookCondition::Kind::Compare;
        condition.op = predicate_op(expr.op);
        condition.case_sensitive = expr.case_sensitive;
        condition.lhs = playbook_value(*expr.lhs);
        condition.rhs = playbook_value(*expr.rhs);
        return condition;
      case ast::ExprKind::In: {
        condition.kind = PlaybookCondition::Kind::In;
        condition.case_sensitive = expr.case_sensitive;
        condition.negated = expr.negated;
        condition.lhs = playbook_value(*expr.lhs);
        for (const auto& item : expr.rhs->folded) {
          condition.list.push_back(constant(item, literal_value_type(item)));
        }
        return condition;
      }
      case ast::ExprKind::Not:
        condition.kind = PlaybookCondition::Kind::Not;
        condition.children.push_back(playbook_condition(*expr.lhs));
        return condition;
      case ast::ExprKind::And:
      case ast::ExprKind::Or:
        condition.kind = expr.kind == ast::ExprKind::And ? PlaybookCondition::Kind::And
                                                         : PlaybookCondition::Kind::Or;
        for (const auto& arg : expr.args) {
          condition.children.push_back(playbook_condition(*arg));
        }
        return condition;
      default:
        condition.kind = PlaybookCondition::Kind::True;
        if (expr.kind == ast::ExprKind::Literal && !expr.literal.bool_value) {
          condition.kind = PlaybookCondition::Kind::Not;
          condition.children.emplace_back();
        }
        return condition;
    }
  }

  Playbook lower_playbook(const sema::CheckedPlaybook& checked) {
    Playbook playbook;
    playbook.name = checked.decl->name.text;
    for (size_t i = 0; i < checked.decl->steps.size(); ++i) {
      const ast::Step& step = checked.decl->steps[i];
      const sema::CheckedAction* action = checked.step_actions[i];
      Step out;
      out.name = step.name.text;
      out.action = step.action.text;
      out.risk = action ? action->risk : "";
      out.undo = action ? action->undo : "";
      for (const ast::Arg& arg : step.args) {
        out.args.push_back({arg.name.text, playbook_value(*arg.value)});
      }
      if (step.when) out.when = playbook_condition(*step.when);
      playbook.steps.push_back(std::move(out));
    }
    return playbook;
  }

  void lower_test(const sema::CheckedTest& test) {
    const sema::CheckedDetection& detection = program_.detections[test.detection];
    const ast::SchemaDecl& schema = *detection.schema;
    for (const ast::TestCase& test_case : test.decl->cases) {
      TestCase out;
      out.test_name = test.decl->name.text;
      out.source = location(test_case.span);
      out.rule = static_cast<int>(test.detection);
      out.expect_fire = test_case.expect_fire;
      for (const ast::FieldInit& init : test_case.fields) {
        int index = schema.field_index(init.name.text);
        const ast::FieldDecl& field = schema.fields[index];
        // Only fields some rule reads have slots; others cannot matter.
        ValueType type = value_type(field.type);
        auto slot = slot_index_.find({field.path, type});
        if (slot == slot_index_.end()) continue;
        out.slot_values.push_back({slot->second, constant(init.literal, type)});
      }
      pack_.tests.push_back(std::move(out));
    }
  }

  const sema::Program& program_;
  const sema::AttackCatalog& catalog_;
  const diagnostics::SourceManager& sources_;
  Pack pack_;
  std::map<std::pair<std::string, ValueType>, int> slot_index_;
  std::map<const ast::SchemaDecl*, int> schema_index_;
  std::map<const ast::PlaybookDecl*, int> playbook_index_;
};

}  // namespace

Pack lower(const sema::Program& program, const sema::AttackCatalog& catalog,
           const diagnostics::SourceManager& sources) {
  return Lowering(program, catalog, sources).run();
}

}  // namespace socc::ir
