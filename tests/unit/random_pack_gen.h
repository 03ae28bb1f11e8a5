#pragma once

// Internal to differential_test.cpp: the generator of one random rule pack,
// written in the language, and its own model of each condition, evaluated
// straight from the generated syntax tree.

#include <deque>
#include <sstream>

#include "random_pack_syntax.h"

namespace {

using namespace socc;

// The generator of one random pack, and the model of its conditions.
class PackGen {
 public:
  explicit PackGen(Rng& rng) : rng_(rng) {}

  std::vector<SchemaGen> schemas;
  std::vector<NamedList> lists;
  std::vector<RuleGen> rules;
  // Literal strings, ints and floats of the pack: events reuse them so that
  // predicates hold often enough to matter.
  std::vector<std::string> strings;
  std::vector<int64_t> ints;
  std::vector<double> floats;

  void generate_small() {
    size_t schema_count = 1 + rng_.below(3);
    for (size_t k = 0; k < schema_count; ++k) schemas.push_back(random_schema(k));
    generate_lists();
    size_t rule_count = 3 + rng_.below(8);
    for (size_t k = 0; k < rule_count; ++k) {
      int schema = static_cast<int>(rng_.below(schemas.size()));
      add_rule(schema, random_expr(schemas[schema], 1 + static_cast<int>(rng_.below(5))));
    }
  }

  // Long and/or chains: balanced joins, and groups of more than 512 IR
  // nodes outlined into functions of their own (docs/architecture.md).
  void generate_big() {
    schemas.push_back(random_schema(0));
    schemas[0].select.clear();
    generate_lists();
    const SchemaGen& s = schemas[0];
    add_rule(0, nested_chain(s, Expr::Kind::Or, 10, 110));
    add_rule(0, nested_chain(s, Expr::Kind::And, 10, 110));
    add_rule(0, padded_chain(s, Expr::Kind::And, 1300));
    add_rule(0, padded_chain(s, Expr::Kind::Or, 1300));
    Expr flat;
    flat.kind = Expr::Kind::Or;
    for (int k = 0; k < 800; ++k) flat.kids.push_back(random_atom(s));
    add_rule(0, std::move(flat));
    add_rule(0, deep(s, 100));
    Expr sets;
    sets.kind = Expr::Kind::Or;
    for (size_t count : {300, 500, 40}) {
      if (auto in = big_in(s, count)) sets.kids.push_back(std::move(*in));
    }
    if (!sets.kids.empty()) add_rule(0, std::move(sets));
  }

  std::string source() {
    std::ostringstream out;
    for (const SchemaGen& s : schemas) {
      out << "schema " << s.name << " {\n";
      if (!s.select.empty()) {
        out << "  select ";
        for (size_t k = 0; k < s.select.size(); ++k) {
          const SelectClause& clause = s.select[k];
          if (k > 0) out << "\n     and ";
          out << '"' << clause.path << '"';
          if (clause.values.size() == 1 && rng_.chance(70)) {
            out << " == " << clause.values[0].text;
          } else {
            out << " in " << list_text(clause.values);
          }
        }
        out << "\n";
      }
      for (const Field& field : s.fields) {
        out << "  " << field.name << ": " << type_keyword(field.type) << " = \"" << field.path
            << "\"\n";
      }
      out << "}\n";
    }
    for (const NamedList& list : lists) {
      out << "list " << list.name << " = " << list_text(list.items) << "\n";
    }
    for (const RuleGen& rule : rules) {
      out << "detection " << rule.name << " {\n  id \"id-" << rule.name << "\"\n  title \"t\"\n"
          << "  severity low\n  on " << schemas[rule.schema].name << "\n  where " << rule.where_text
          << "\n}\n";
    }
    return out.str();
  }

  // Finds the slot of every field and select clause in the compiled pack.
  void bind_slots(const ir::Pack& pack) {
    auto find = [&](const std::string& path, FType type) {
      for (size_t k = 0; k < pack.slots.size(); ++k) {
        if (pack.slots[k].path == path && pack.slots[k].type == ir_type(type)) {
          return static_cast<int>(k);
        }
      }
      return -1;
    };
    for (SchemaGen& s : schemas) {
      for (Field& field : s.fields) field.slot = find(field.path, field.type);
      for (SelectClause& clause : s.select) clause.slot = find(clause.path, clause.type);
    }
  }

  // The model: the meaning of the generated condition, straight from its
  // syntax tree (docs/language.md §7), with a naive byte-by-byte search.
  bool model(const SchemaGen& s, const Expr& e, const socc_slot* slots) const {
    switch (e.kind) {
      case Expr::Kind::Const:
        return e.value;
      case Expr::Kind::Not:
        return !model(s, e.kids[0], slots);
      case Expr::Kind::And:
        for (const Expr& kid : e.kids) {
          if (!model(s, kid, slots)) return false;
        }
        return true;
      case Expr::Kind::Or:
        for (const Expr& kid : e.kids) {
          if (model(s, kid, slots)) return true;
        }
        return false;
      default:
        break;
    }
    // bind_slots found a slot for every field a condition reads.
    const Field& field = s.fields[e.field];
    const socc_slot& slot = slots[field.slot];
    if (!slot.present) return false;
    if (e.kind == Expr::Kind::Bare) return slot.boolean != 0;
    if (e.kind == Expr::Kind::In) {
      const std::vector<Lit>& items = e.named_list >= 0 ? lists[e.named_list].items : e.list;
      bool member = false;
      for (const Lit& item : items) member = member || equal(field.type, slot, item, e.cs);
      return e.negated ? !member : member;
    }
    switch (field.type) {
      case FType::String: {
        std::string_view text(slot.data, slot.size);
        const std::string& needle = e.lit.s;
        auto match_at = [&](size_t at) {
          for (size_t k = 0; k < needle.size(); ++k) {
            if (!same_byte(text[at + k], needle[k], e.cs)) return false;
          }
          return true;
        };
        switch (e.op) {
          case Op::Eq:
            return text.size() == needle.size() && match_at(0);
          case Op::Ne:
            return !(text.size() == needle.size() && match_at(0));
          case Op::StartsWith:
            return text.size() >= needle.size() && match_at(0);
          case Op::EndsWith:
            return text.size() >= needle.size() && match_at(text.size() - needle.size());
          case Op::Contains:
            for (size_t at = 0; at + needle.size() <= text.size(); ++at) {
              if (match_at(at)) return true;
            }
            return false;
          default:
            FAIL("string ordering generated");
            return false;
        }
      }
      case FType::Int:
        return ordered(e.op, slot.integer, e.lit.i);
      case FType::Float:
        return ordered(e.op, slot.real, lit_double(e.lit));
      case FType::Bool:
        return e.op == Op::Eq ? (slot.boolean != 0) == e.lit.b : (slot.boolean != 0) != e.lit.b;
    }
    return false;
  }

  bool model_select(const SchemaGen& s, const socc_slot* slots) const {
    for (const SelectClause& clause : s.select) {
      const socc_slot& slot = slots[clause.slot];
      if (!slot.present) return false;
      bool member = false;
      for (const Lit& value : clause.values)
        member = member || equal(clause.type, slot, value, false);
      if (!member) return false;
    }
    return true;
  }

  // Fills one slot of a random event.
  void fill_slot(socc_slot& slot, const ir::Slot& decl, std::deque<std::string>& storage) {
    ir::ValueType type = decl.type;
    slot.present = rng_.chance(78);
    // Every member gets a value, whatever the type: a side that reads the
    // wrong member, or a missing slot's value, shows.
    storage.push_back(random_text(decl.path));
    slot.data = storage.back().data();
    slot.size = storage.back().size();
    slot.integer = random_int();
    slot.real = random_float();
    slot.boolean = static_cast<uint8_t>(rng_.below(256));
    if (type == ir::ValueType::Bool) slot.boolean = static_cast<uint8_t>(rng_.below(2));
  }

 private:
  static bool same_byte(char a, char b, bool cs) {
    auto fold = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c | 0x20 : c; };
    return cs ? a == b : fold(static_cast<unsigned char>(a)) == fold(static_cast<unsigned char>(b));
  }

  template <typename T>
  static bool ordered(Op op, T value, T constant) {
    switch (op) {
      case Op::Eq:
        return value == constant;
      case Op::Ne:
        return value != constant;
      case Op::Lt:
        return value < constant;
      case Op::Le:
        return value <= constant;
      case Op::Gt:
        return value > constant;
      case Op::Ge:
        return value >= constant;
      default:
        FAIL("substring operator on a number generated");
        return false;
    }
  }

  static bool equal(FType type, const socc_slot& slot, const Lit& lit, bool cs) {
    switch (type) {
      case FType::String: {
        if (slot.size != lit.s.size()) return false;
        for (size_t k = 0; k < lit.s.size(); ++k) {
          if (!same_byte(slot.data[k], lit.s[k], cs)) return false;
        }
        return true;
      }
      case FType::Int:
        return slot.integer == lit.i;
      case FType::Float:
        return slot.real == lit_double(lit);
      case FType::Bool:
        return (slot.boolean != 0) == lit.b;
    }
    return false;
  }

  Lit random_lit(FType type) {
    Lit lit;
    lit.type = type;
    switch (type) {
      case FType::String: {
        int how = static_cast<int>(rng_.below(100));
        // Long needles: past the direct scan of `contains`, and past 256
        // bytes (a failure table on the heap).
        lit.s = how < 85   ? random_atoms(rng_, 3)
                : how < 94 ? repeated(rng_, 3, 80) + random_atoms(rng_, 1)
                           : repeated(rng_, 257, 400) + random_atoms(rng_, 1);
        lit.text = spell_string(rng_, lit.s);
        strings.push_back(lit.s);
        break;
      }
      case FType::Int:
        lit.i = rng_.chance(70) ? rng_.pick(kInts) : static_cast<int64_t>(rng_.below(24)) - 4;
        lit.text = spell_int(rng_, lit.i);
        ints.push_back(lit.i);
        break;
      case FType::Float:
        if (rng_.chance(30)) {
          // An int literal where a float is expected.
          lit.type = FType::Int;
          lit.i = rng_.pick(kIntsForFloats);
          lit.text = spell_int(rng_, lit.i);
        } else {
          lit.text = rng_.pick(kFloatTexts);
          lit.f = std::strtod(lit.text.c_str(), nullptr);
        }
        floats.push_back(lit_double(lit));
        break;
      case FType::Bool:
        lit.b = rng_.chance(50);
        lit.text = lit.b ? "true" : "false";
        break;
    }
    return lit;
  }

  std::string list_text(const std::vector<Lit>& items) {
    std::string text = "[";
    for (size_t k = 0; k < items.size(); ++k) text += (k > 0 ? ", " : "") + items[k].text;
    if (!items.empty() && rng_.chance(10)) text += ",";
    return text + "]";
  }

  FType random_type() {
    static const std::vector<FType> kTypes = {FType::String, FType::String, FType::String,
                                              FType::Int,    FType::Float,  FType::Bool};
    return rng_.pick(kTypes);
  }

  SchemaGen random_schema(size_t index) {
    SchemaGen s;
    s.name = "S" + std::to_string(index);
    size_t field_count = 1 + rng_.below(6);
    for (size_t k = 0; k < field_count; ++k) {
      // Few paths, so that schemas share slots (same path and type) and
      // fields of different types read the same path.
      s.fields.push_back({"f" + std::to_string(k), random_type(),
                          "Event.Data.p" + std::to_string(rng_.below(6)), -1});
    }
    if (rng_.chance(70)) {
      size_t clauses = 1 + rng_.below(2);
      for (size_t k = 0; k < clauses; ++k) {
        static const std::vector<FType> kSelectTypes = {FType::String, FType::String, FType::Int,
                                                        FType::Float, FType::Bool};
        FType type = rng_.pick(kSelectTypes);
        SelectClause clause;
        clause.type = type;
        clause.path = std::string("Event.Kind.") + type_keyword(type);
        size_t values = rng_.chance(60) ? 1 : 2 + rng_.below(2);
        if (type == FType::Bool) values = 1;
        for (size_t v = 0; v < values; ++v) {
          Lit lit;
          lit.type = type;
          switch (type) {
            case FType::String:
              lit.s = random_case(rng_, rng_.pick(std::vector<std::string>{"p", "q", "\xC3\xA9"}));
              lit.text = spell_string(rng_, lit.s);
              strings.push_back(lit.s);
              path_strings_[clause.path].push_back(lit.s);
              break;
            case FType::Int:
              lit.i = 1 + static_cast<int64_t>(rng_.below(3));
              lit.text = spell_int(rng_, lit.i);
              ints.push_back(lit.i);
              break;
            case FType::Float:
              lit.text = rng_.pick(std::vector<std::string>{"0.5", "1.5", "2.0"});
              lit.f = std::strtod(lit.text.c_str(), nullptr);
              floats.push_back(lit.f);
              break;
            case FType::Bool:
              lit = random_lit(FType::Bool);
              break;
          }
          clause.values.push_back(lit);
        }
        s.select.push_back(clause);
      }
    }
    return s;
  }

  void generate_lists() {
    size_t count = rng_.below(4);
    for (size_t k = 0; k < count; ++k) {
      static const std::vector<FType> kListTypes = {FType::String, FType::String, FType::Int,
                                                    FType::Float};
      NamedList list;
      list.name = "L" + std::to_string(k);
      list.type = rng_.pick(kListTypes);
      list.items = random_items(list.type, false);
      // A float list whose items came out all ints is an int list.
      if (list.type == FType::Float &&
          std::all_of(list.items.begin(), list.items.end(),
                      [](const Lit& lit) { return lit.type == FType::Int; })) {
        list.type = FType::Int;
      }
      lists.push_back(list);
    }
  }

  // A condition nested `levels` deep: parentheses and `not`s close to the
  // limit of 256 (docs/language.md §2).
  Expr deep(const SchemaGen& s, int levels) {
    Expr e = random_atom(s);
    for (int k = 0; k < levels; ++k) {
      Expr both;
      both.kind = Expr::Kind::And;
      both.kids.push_back(std::move(e));
      both.kids.push_back(random_atom(s));
      e = Expr();
      e.kind = k % 2 == 0 ? Expr::Kind::Not : Expr::Kind::Or;
      e.kids.push_back(std::move(both));
      if (e.kind == Expr::Kind::Or) e.kids.push_back(random_atom(s));
    }
    return e;
  }

  // `in` with a long inline list, on a string or number field if there is
  // one.
  std::optional<Expr> big_in(const SchemaGen& s, size_t count) {
    std::vector<int> usable;
    for (size_t k = 0; k < s.fields.size(); ++k) {
      if (s.fields[k].type != FType::Bool) usable.push_back(static_cast<int>(k));
    }
    if (usable.empty()) return std::nullopt;
    Expr e;
    e.kind = Expr::Kind::In;
    e.field = rng_.pick(usable);
    const Field& field = s.fields[e.field];
    e.negated = rng_.chance(30);
    e.cs = field.type == FType::String && rng_.chance(40);
    for (size_t k = 0; k < count; ++k) {
      e.list.push_back(random_lit(field.type));
      if (field.type == FType::String) path_strings_[field.path].push_back(e.list.back().s);
    }
    return e;
  }

  std::vector<Lit> random_items(FType type, bool allow_empty) {
    size_t count = allow_empty && rng_.chance(4) ? 0 : 1 + rng_.below(4);
    std::vector<Lit> items;
    for (size_t k = 0; k < count; ++k) items.push_back(random_lit(type));
    return items;
  }

  // An atom, whose string literals events of its field's path then favour.
  Expr random_atom(const SchemaGen& s) {
    Expr e = random_atom_unregistered(s);
    if (e.field >= 0 && s.fields[e.field].type == FType::String) {
      std::vector<std::string>& own = path_strings_[s.fields[e.field].path];
      if (e.kind == Expr::Kind::Compare) own.push_back(e.lit.s);
      const std::vector<Lit>& items = e.named_list >= 0 ? lists[e.named_list].items : e.list;
      if (e.kind == Expr::Kind::In) {
        for (const Lit& item : items) own.push_back(item.s);
      }
    }
    return e;
  }

  Expr random_atom_unregistered(const SchemaGen& s) {
    Expr e;
    if (rng_.chance(2)) {
      e.kind = Expr::Kind::Const;
      e.value = rng_.chance(50);
      return e;
    }
    e.field = static_cast<int>(rng_.below(s.fields.size()));
    FType type = s.fields[e.field].type;
    if (type == FType::Bool) {
      if (rng_.chance(40)) {
        e.kind = Expr::Kind::Bare;
        return e;
      }
      e.kind = Expr::Kind::Compare;
      e.op = rng_.chance(50) ? Op::Eq : Op::Ne;
      e.lit = random_lit(FType::Bool);
      return e;
    }
    if (rng_.chance(type == FType::String ? 25 : 20)) {
      e.kind = Expr::Kind::In;
      e.negated = rng_.chance(50);
      e.cs = type == FType::String && rng_.chance(35);
      std::vector<int> usable;
      for (size_t k = 0; k < lists.size(); ++k) {
        FType t = lists[k].type;
        if (t == type || (type == FType::Float && t == FType::Int)) {
          usable.push_back(static_cast<int>(k));
        }
      }
      if (!usable.empty() && rng_.chance(35)) {
        e.named_list = rng_.pick(usable);
      } else {
        e.list = random_items(type, true);
      }
      return e;
    }
    e.kind = Expr::Kind::Compare;
    if (type == FType::String) {
      static const std::vector<Op> kStringOps = {Op::Eq, Op::Ne, Op::Contains, Op::StartsWith,
                                                 Op::EndsWith};
      e.op = rng_.pick(kStringOps);
      e.cs = rng_.chance(35);
    } else {
      static const std::vector<Op> kNumberOps = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
      e.op = rng_.pick(kNumberOps);
    }
    e.lit = random_lit(type);
    return e;
  }

  Expr random_expr(const SchemaGen& s, int depth) {
    int roll = static_cast<int>(rng_.below(100));
    if (depth <= 0 || roll < 35) return random_atom(s);
    Expr e;
    if (roll < 50) {
      e.kind = Expr::Kind::Not;
      e.kids.push_back(random_expr(s, depth - 1));
      return e;
    }
    e.kind = roll < 74 ? Expr::Kind::And : Expr::Kind::Or;
    if (roll >= 97) {
      // A long flat chain.
      size_t count = 9 + rng_.below(40);
      for (size_t k = 0; k < count; ++k) e.kids.push_back(random_atom(s));
      return e;
    }
    size_t count = 2 + rng_.below(3);
    for (size_t k = 0; k < count; ++k) e.kids.push_back(random_expr(s, depth - 1));
    return e;
  }

  // (p or not p), always true; (p and not p), always false.
  Expr filler(const SchemaGen& s, Expr::Kind join) {
    Expr p = random_atom(s);
    Expr not_p;
    not_p.kind = Expr::Kind::Not;
    not_p.kids.push_back(p);
    Expr e;
    e.kind = join == Expr::Kind::And ? Expr::Kind::Or : Expr::Kind::And;
    e.kids.push_back(std::move(p));
    e.kids.push_back(std::move(not_p));
    return e;
  }

  // A `join` of `count` operands of which all but three are fillers that do
  // not decide it, so the result depends on the three.
  Expr padded_chain(const SchemaGen& s, Expr::Kind join, size_t count) {
    Expr e;
    e.kind = join;
    for (size_t k = 0; k < count; ++k) e.kids.push_back(filler(s, join));
    for (int k = 0; k < 3; ++k) e.kids[rng_.below(count)] = random_expr(s, 2);
    return e;
  }

  Expr nested_chain(const SchemaGen& s, Expr::Kind join, size_t outer, size_t inner) {
    Expr e;
    e.kind = join;
    Expr::Kind inner_join = join == Expr::Kind::Or ? Expr::Kind::And : Expr::Kind::Or;
    for (size_t k = 0; k < outer; ++k) e.kids.push_back(padded_chain(s, inner_join, inner));
    return e;
  }

  static int level(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::Or:
        return 1;
      case Expr::Kind::And:
        return 2;
      case Expr::Kind::Not:
        return 3;
      default:
        return 4;
    }
  }

  // Source text with the parentheses precedence needs (comparisons, not,
  // and, or), and now and then some it does not.
  std::string print(const SchemaGen& s, const Expr& e, int min_level) {
    std::string body;
    switch (e.kind) {
      case Expr::Kind::Const:
        body = e.value ? "true" : "false";
        break;
      case Expr::Kind::Bare:
        body = s.fields[e.field].name;
        break;
      case Expr::Kind::Compare:
        body = s.fields[e.field].name + " " + op_text(e.op) + (e.cs ? " cs " : " ") + e.lit.text;
        break;
      case Expr::Kind::In:
        body = s.fields[e.field].name + (e.negated ? " not in" : " in") + (e.cs ? " cs " : " ") +
               (e.named_list >= 0 ? lists[e.named_list].name : list_text(e.list));
        break;
      case Expr::Kind::Not:
        body = "not " + print(s, e.kids[0], 3);
        break;
      case Expr::Kind::And:
      case Expr::Kind::Or: {
        bool is_and = e.kind == Expr::Kind::And;
        for (size_t k = 0; k < e.kids.size(); ++k) {
          if (k > 0) body += is_and ? " and " : (rng_.chance(20) ? "\n     or " : " or ");
          body += print(s, e.kids[k], is_and ? 2 : 1);
        }
        break;
      }
    }
    bool parens = level(e) < min_level || rng_.chance(6);
    return parens ? "(" + body + ")" : body;
  }

  void add_rule(int schema, Expr where) {
    RuleGen rule;
    rule.name = "d" + std::to_string(rules.size());
    rule.schema = schema;
    rule.where_text = print(schemas[schema], where, 1);
    rule.where = std::move(where);
    rules.push_back(std::move(rule));
  }

  // A string for a slot of `path`: mostly one of the literals compared
  // with that path (as is, in other case, with bytes around it), long
  // repetitive text, or a few random pieces.
  std::string random_text(const std::string& path) {
    static const std::vector<std::string> kNone;
    auto it = path_strings_.find(path);
    const std::vector<std::string>& own = it == path_strings_.end() ? kNone : it->second;
    std::vector<std::string> own_long;
    for (const std::string& text : own) {
      if (text.size() > 16) own_long.push_back(text);
    }
    int how = static_cast<int>(rng_.below(100));
    std::string text;
    if (!own.empty() && how < 15) {
      text = rng_.pick(own);
    } else if (!strings.empty() && how < 50) {
      text = random_case(rng_, rng_.pick(own.empty() || how >= 42 ? strings : own));
      if (rng_.chance(40)) text = random_atoms(rng_, 2) + text;
      if (rng_.chance(40)) text += random_atoms(rng_, 2);
    } else if (how < 63) {
      // Long and repetitive, now and then ending on a literal.
      text = repeated(rng_, 0, 600);
      if (!own_long.empty() && rng_.chance(60)) {
        text += random_case(rng_, rng_.pick(own_long));
      } else if (!own.empty() && rng_.chance(50)) {
        text += random_case(rng_, rng_.pick(own));
      }
      if (rng_.chance(30)) text += repeated(rng_, 0, 200);
    } else {
      size_t n = rng_.below(5);
      for (size_t k = 0; k < n; ++k) {
        text += rng_.chance(10) ? rng_.pick(kByteAtoms) : rng_.pick(kAtoms);
      }
    }
    return text;
  }

  int64_t random_int() {
    if (!ints.empty() && rng_.chance(50)) {
      int64_t base = rng_.pick(ints);
      int delta = static_cast<int>(rng_.below(3)) - 1;
      if ((delta > 0 && base == kMax) || (delta < 0 && base == kMin)) {
        delta = 0;
      }
      return base + delta;
    }
    return rng_.pick(kInts);
  }

  double random_float() {
    if (!floats.empty() && rng_.chance(50)) {
      double base = rng_.pick(floats);
      int how = static_cast<int>(rng_.below(4));
      return how == 0   ? base
             : how == 1 ? base + 0.5
             : how == 2 ? std::nextafter(base, 1e308)
                        : -base;
    }
    return rng_.pick(kFloatValues);
  }

  Rng& rng_;
  // String literals by the raw path of the fields they are compared with.
  std::map<std::string, std::vector<std::string>> path_strings_;
};

}  // namespace
