#pragma once

// Internal to differential_test.cpp: the generator of one random rule pack,
// written in the language, and its own model of each condition, evaluated
// straight from the generated syntax tree.

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <map>
#include <optional>
#include <sstream>

#include "compiler/sema/transforms.h"
#include "random_pack_syntax.h"
#include "runtime/derive.h"

namespace {

using namespace socc;

// The model's answer: a regular expression outside the shapes it knows
// leaves a predicate Unknown, and Kleene logic carries that up only where
// it can decide the outcome.
enum class Tri : uint8_t { False, True, Unknown };

Tri tri(bool value) {
  return value ? Tri::True : Tri::False;
}

// The constructs a run generated, and how the model found them on events
// that had the value: true, false, or not decided.
struct Coverage {
  std::vector<std::string> names;
  std::vector<size_t> generated;
  std::vector<std::array<size_t, 3>> outcomes;

  int tag(const std::string& name) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it != names.end()) return static_cast<int>(it - names.begin());
    names.push_back(name);
    generated.push_back(0);
    outcomes.push_back({0, 0, 0});
    return static_cast<int>(names.size() - 1);
  }
};

// The generator of one random pack, and the model of its conditions.
class PackGen {
 public:
  PackGen(Rng& rng, Coverage& coverage) : rng_(rng), coverage_(coverage) {}

  std::vector<SchemaGen> schemas;
  std::vector<NamedList> lists;
  std::vector<MacroGen> macros;
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
    generate_macros();
    size_t rule_count = 3 + rng_.below(8);
    for (size_t k = 0; k < rule_count; ++k) {
      int schema = static_cast<int>(rng_.below(schemas.size()));
      add_rule(schema, random_expr(schemas[schema], 1 + static_cast<int>(rng_.below(5))));
    }
  }

  // Long and/or chains: balanced joins, and groups of more than 512 IR
  // nodes outlined into functions of their own (docs/architecture.md).
  void generate_big() {
    // Thousands of atoms: macro uses and constants of many values would
    // multiply them into tens of thousands of predicates, and seconds of
    // LLVM time.
    light_ = true;
    schemas.push_back(random_schema(0));
    schemas[0].select.clear();
    generate_lists();
    generate_macros();
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
    for (const NamedList& list : lists) out << list.text << "\n";
    for (const MacroGen& macro : macros) out << macro.text << "\n";
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
        if (pack.slots[k].derive == ir::Derive::None && pack.slots[k].path == path &&
            pack.slots[k].type == ir_type(type)) {
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
  // syntax tree (docs/language.md §7, runtime/glob.h), with naive
  // byte-by-byte searches, field functions computed by the C library's
  // calendar, and macros expanded by substituting their arguments. `env`
  // holds a macro's arguments while its body is evaluated.
  Tri model(const SchemaGen& s, const Expr& e, const socc_slot* slots,
            const std::vector<Ref>* env = nullptr) const {
    switch (e.kind) {
      case Expr::Kind::Const:
        return tri(e.value);
      case Expr::Kind::Not: {
        Tri kid = model(s, e.kids[0], slots, env);
        return kid == Tri::Unknown ? kid : tri(kid == Tri::False);
      }
      case Expr::Kind::And:
      case Expr::Kind::Or: {
        // Kleene: a deciding operand wins over an unknown one.
        bool is_and = e.kind == Expr::Kind::And;
        Tri result = tri(is_and);
        for (const Expr& kid : e.kids) {
          Tri value = model(s, kid, slots, env);
          if (value == tri(!is_and)) return value;
          if (value == Tri::Unknown) result = Tri::Unknown;
        }
        return result;
      }
      case Expr::Kind::Macro: {
        std::vector<Ref> args;
        for (const Ref& arg : e.args) args.push_back(resolve(arg, env));
        return count(e, model(s, macros[e.macro].body, slots, &args));
      }
      default:
        break;
    }
    Value lhs = value_of(s, resolve(e.lhs, env), slots);
    if (!lhs.present) return Tri::False;
    return count(e, model_present(s, e, lhs, slots, env));
  }

  Tri model_select(const SchemaGen& s, const socc_slot* slots) const {
    for (const SelectClause& clause : s.select) {
      const socc_slot& slot = slots[clause.slot];
      if (!slot.present) return Tri::False;
      Value value = raw_value(clause.type, slot);
      bool member = false;
      for (const Lit& lit : clause.values) member = member || equal(value, lit, false);
      if (!member) return Tri::False;
    }
    return Tri::True;
  }

  // Fills the slots of one random event: every member of every slot gets a
  // value, whatever the type, so that a side reading the wrong member, or a
  // missing slot's value, shows. Then the derived slots are computed as the
  // runtime computes them; the reference evaluator and the model ignore
  // those and compute their own from the sources.
  void fill_slots(std::vector<socc_slot>& slots, const ir::Pack& pack, runtime::Deriver& deriver,
                  std::deque<std::string>& storage) {
    std::map<ir::ValueType, std::vector<size_t>> earlier;
    for (size_t k = 0; k < pack.slots.size(); ++k) {
      socc_slot& slot = slots[k];
      const ir::Slot& decl = pack.slots[k];
      slot.present = rng_.chance(78);
      storage.push_back(random_text(decl.path));
      slot.data = storage.back().data();
      slot.size = storage.back().size();
      slot.integer = random_int();
      slot.real = random_float();
      slot.boolean = static_cast<uint8_t>(rng_.below(256));
      slot.low =
          rng_.chance(50) ? 0 : (uint64_t{rng_.below(1u << 30)} << 34) ^ rng_.below(1u << 30);
      if (decl.derive != ir::Derive::None) continue;
      // Values of other slots of the type, now and then related to them, so
      // that comparisons of two fields hold often enough.
      std::vector<size_t>& same_type = earlier[decl.type];
      const socc_slot* other =
          !same_type.empty() && rng_.chance(25) ? &slots[rng_.pick(same_type)] : nullptr;
      switch (decl.type) {
        case ir::ValueType::String:
          if (other != nullptr) {
            storage.push_back(related_text({other->data, other->size}));
            slot.data = storage.back().data();
            slot.size = storage.back().size();
          }
          break;
        case ir::ValueType::Int:
          if (other != nullptr) slot.integer = other->integer + nudge(other->integer);
          break;
        case ir::ValueType::Float:
          if (other != nullptr) slot.real = rng_.chance(70) ? other->real : other->real + 0.5;
          break;
        case ir::ValueType::Bool:
          slot.boolean = static_cast<uint8_t>(rng_.below(2));
          break;
        case ir::ValueType::Timestamp:
          slot.integer = other != nullptr ? other->integer + (rng_.chance(60) ? 0 : time_step(rng_))
                                          : random_timestamp();
          break;
        case ir::ValueType::Duration:
          slot.integer =
              other != nullptr ? other->integer + nudge(other->integer) : random_duration();
          break;
        case ir::ValueType::Ip: {
          Lit address;
          if (other != nullptr) {
            address.hi = static_cast<uint64_t>(other->integer);
            address.lo = other->low;
            if (rng_.chance(30)) address.lo ^= uint64_t{1} << rng_.below(64);
          } else if (rng_.chance(85)) {
            address = ip_lit(rng_.pick(rng_.chance(50) ? kIpv4Addresses : kIpv6Addresses));
            // An address inside one of the networks, away from its start.
            if (rng_.chance(30)) address.lo += rng_.below(300);
          } else {
            address.hi = rng_.chance(50) ? 0 : (uint64_t{rng_.below(1u << 31)} << 33);
            address.lo = (0xffffULL << 32) | rng_.below(uint64_t{1} << 32);
          }
          slot.integer = static_cast<int64_t>(address.hi);
          slot.low = address.lo;
          storage.push_back(address_text(address.hi, address.lo));
          slot.data = storage.back().data();
          slot.size = storage.back().size();
          break;
        }
      }
      same_type.push_back(k);
    }
    deriver.fill(slots.data());
  }

 private:
  // A slot's value as the model sees it, after the field functions. A
  // string is the slot's bytes, or, once a function made a new one, its
  // own copy (so a Value may be moved).
  struct Value {
    FType type = FType::String;
    bool present = false;
    std::string_view raw;
    std::string buffer;
    bool owned = false;
    std::string_view text() const { return owned ? std::string_view(buffer) : raw; }
    int64_t i = 0;
    double f = 0;
    bool b = false;
    uint64_t hi = 0;
    uint64_t lo = 0;
  };

  static Value raw_value(FType type, const socc_slot& slot) {
    Value value;
    value.type = type;
    value.present = slot.present != 0;
    value.raw = slot.size == 0 ? std::string_view() : std::string_view(slot.data, slot.size);
    value.i = slot.integer;
    value.f = slot.real;
    value.b = slot.boolean != 0;
    if (type == FType::Ip) {
      value.hi = static_cast<uint64_t>(slot.integer);
      value.lo = slot.low;
    }
    return value;
  }

  // A parameter of the macro being evaluated stands for its argument, with
  // the body's functions applied after the argument's own.
  static Ref resolve(const Ref& ref, const std::vector<Ref>* env) {
    if (env == nullptr) return ref;
    Ref out = (*env)[ref.field];
    out.fns.insert(out.fns.end(), ref.fns.begin(), ref.fns.end());
    return out;
  }

  static std::string fold(std::string_view text, bool upper) {
    std::string out(text);
    for (char& c : out) {
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c & ~0x20);
    }
    return out;
  }

  Value value_of(const SchemaGen& s, const Ref& ref, const socc_slot* slots) const {
    const Field& field = s.fields[ref.field];
    Value value = raw_value(field.type, slots[field.slot]);
    if (!value.present) return value;
    for (Fn fn : ref.fns) {
      std::string_view text = value.text();
      size_t cut = text.find_last_of("\\/");
      std::string next;
      switch (fn) {
        case Fn::Lower:
        case Fn::Upper:
          next = fold(text, fn == Fn::Upper);
          break;
        case Fn::Basename:
          next = cut == std::string_view::npos ? text : text.substr(cut + 1);
          break;
        case Fn::Dirname:
          next = cut == std::string_view::npos ? std::string_view() : text.substr(0, cut);
          break;
        case Fn::Length:
          value.i = static_cast<int64_t>(text.size());
          break;
        default:
          value.i = time_part(fn, value.i);
          break;
      }
      value.type = fn_result(fn);
      if (value.type == FType::String) {
        value.buffer = std::move(next);
        value.owned = true;
      }
      value.f = static_cast<double>(value.i);
    }
    return value;
  }

  // A part of a UTC time by the C library: gmtime_r, and strftime's %V for
  // the ISO 8601 week.
  static int64_t time_part(Fn fn, int64_t micros) {
    std::tm tm = utc_civil(micros);
    switch (fn) {
      case Fn::Year:
        return tm.tm_year + 1900LL;
      case Fn::Month:
        return tm.tm_mon + 1;
      case Fn::Day:
        return tm.tm_mday;
      case Fn::Hour:
        return tm.tm_hour;
      case Fn::Minute:
        return tm.tm_min;
      case Fn::Weekday:
        return tm.tm_wday == 0 ? 7 : tm.tm_wday;
      case Fn::Week: {
        char week[8];
        std::strftime(week, sizeof week, "%V", &tm);
        return std::atoi(week);
      }
      default:
        return 0;
    }
  }

  static bool same_byte(char a, char b, bool cs) {
    auto fold = [](unsigned char c) { return c >= 'A' && c <= 'Z' ? c | 0x20 : c; };
    return cs ? a == b : fold(static_cast<unsigned char>(a)) == fold(static_cast<unsigned char>(b));
  }

  static bool match_at(std::string_view text, size_t at, std::string_view needle, bool cs) {
    for (size_t k = 0; k < needle.size(); ++k) {
      if (!same_byte(text[at + k], needle[k], cs)) return false;
    }
    return true;
  }

  static bool string_op(Op op, std::string_view text, std::string_view needle, bool cs) {
    switch (op) {
      case Op::Eq:
        return text.size() == needle.size() && match_at(text, 0, needle, cs);
      case Op::Ne:
        return !(text.size() == needle.size() && match_at(text, 0, needle, cs));
      case Op::StartsWith:
        return text.size() >= needle.size() && match_at(text, 0, needle, cs);
      case Op::EndsWith:
        return text.size() >= needle.size() &&
               match_at(text, text.size() - needle.size(), needle, cs);
      case Op::Contains:
        for (size_t at = 0; at + needle.size() <= text.size(); ++at) {
          if (match_at(text, at, needle, cs)) return true;
        }
        return false;
      default:
        FAIL("not a plain string operator");
        return false;
    }
  }

  // Where characters start in `text`: a character is a well-formed UTF-8
  // sequence, or one byte where the bytes form none (runtime/glob.h).
  static std::vector<char> boundaries(std::string_view text) {
    std::vector<char> at(text.size() + 1, 0);
    for (size_t k = 0; k < text.size();) {
      at[k] = 1;
      k += std::max<size_t>(utf8_sequence(text, k), 1);
    }
    at[text.size()] = 1;
    return at;
  }

  // A glob by its definition in docs/language.md §7.4: `*` any run of
  // characters, `?` one character, `[*]` `[?]` `[[]` the literal
  // characters, everything else (a backslash too) itself; a run of literal
  // bytes must start and end on character boundaries of the text.
  // Reachability over (boundary, token).
  static bool glob(std::string_view text, std::string_view pattern, bool cs) {
    struct Token {
      char kind;  // '*', '?', or 'l' for a literal run
      std::string bytes;
    };
    std::vector<Token> tokens;
    for (size_t k = 0; k < pattern.size(); ++k) {
      char c = pattern[k];
      if (c == '*' || c == '?') {
        tokens.push_back({c, {}});
        continue;
      }
      if (c == '[') {
        REQUIRE(k + 2 < pattern.size());
        REQUIRE(pattern[k + 2] == ']');
        c = pattern[k + 1];
        k += 2;
      }
      if (tokens.empty() || tokens.back().kind != 'l') tokens.push_back({'l', {}});
      tokens.back().bytes += c;
    }
    std::vector<char> starts = boundaries(text);
    size_t n = text.size();
    std::vector<char> reach(n + 1, 0);
    reach[0] = 1;
    for (const Token& token : tokens) {
      std::vector<char> next(n + 1, 0);
      if (token.kind == '*') {
        // Every boundary from the first reached one on.
        size_t first = std::find(reach.begin(), reach.end(), 1) - reach.begin();
        for (size_t to = first; to <= n; ++to) next[to] = starts[to];
        reach = std::move(next);
        continue;
      }
      for (size_t at = 0; at <= n; ++at) {
        if (!reach[at]) continue;
        if (token.kind == '?') {
          if (at < n) next[at + std::max<size_t>(utf8_sequence(text, at), 1)] = 1;
        } else {
          size_t to = at + token.bytes.size();
          if (to <= n && starts[to] && match_at(text, at, token.bytes, cs)) next[to] = 1;
        }
      }
      reach = std::move(next);
    }
    return reach[n] != 0;
  }

  static bool ascii_only(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  }

  // A regex of known shape. RE2 folds case by Unicode (é and É), not by
  // socc's ASCII rule, so a case-insensitive one is decided only where the
  // two agree: ASCII alternatives, and no Kelvin sign (U+212A, which RE2
  // folds with k) or long s (U+017F, with s) in the text when the pattern
  // has that letter; those are the only non-ASCII code points RE2 matches
  // for an ASCII letter. Other regexes are left to the two implementations
  // under test, since modelling RE2 would mean writing another one.
  static Tri regex(std::string_view text, const RegexShape& shape, bool cs) {
    if (!shape.known) return Tri::Unknown;
    if (!cs) {
      for (const std::string& alt : shape.alts) {
        auto has = [&](char lower) {
          return alt.find(lower) != std::string::npos ||
                 alt.find(static_cast<char>(lower - 32)) != std::string::npos;
        };
        if (!ascii_only(alt) || (has('k') && text.find("\xE2\x84\xAA") != std::string_view::npos) ||
            (has('s') && text.find("\xC5\xBF") != std::string_view::npos)) {
          return Tri::Unknown;
        }
      }
    }
    for (const std::string& alt : shape.alts) {
      Op op = shape.begin && shape.end ? Op::Eq
              : shape.begin            ? Op::StartsWith
              : shape.end              ? Op::EndsWith
                                       : Op::Contains;
      if (string_op(op, text, alt, cs)) return Tri::True;
    }
    return Tri::False;
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

  FType type_of(const SchemaGen& s, const Ref& ref) const {
    return ref.fns.empty() ? s.fields[ref.field].type : fn_result(ref.fns.back());
  }

  static bool in_network(const Value& value, const Lit& net) {
    for (int bit = 0; bit < net.prefix; ++bit) {
      uint64_t a = bit < 64 ? value.hi : value.lo;
      uint64_t b = bit < 64 ? net.hi : net.lo;
      int shift = 63 - bit % 64;
      if (((a >> shift) & 1) != ((b >> shift) & 1)) return false;
    }
    return true;
  }

  // Set membership: equality for strings (folded unless cs) and numbers, a
  // network for addresses.
  static bool equal(const Value& value, const Lit& lit, bool cs) {
    switch (value.type) {
      case FType::String:
        return string_op(Op::Eq, value.text(), lit.s, cs);
      case FType::Int:
      case FType::Timestamp:
      case FType::Duration:
        return value.i == lit.i;
      case FType::Float:
        // An int literal among floats compares as a double.
        return value.f == lit_double(lit);
      case FType::Bool:
        return value.b == lit.b;
      case FType::Ip:
        return in_network(value, lit);
    }
    return false;
  }

  static Tri compare_constant(const Expr& e, const Value& lhs, const Lit& lit) {
    switch (lhs.type) {
      case FType::String:
        if (e.op == Op::Like) return tri(glob(lhs.text(), lit.s, e.cs));
        if (e.op == Op::Matches) return regex(lhs.text(), lit.regex, e.cs);
        return tri(string_op(e.op, lhs.text(), lit.s, e.cs));
      case FType::Float:
        return tri(ordered(e.op, lhs.f, lit_double(lit)));
      case FType::Bool:
        return tri(e.op == Op::Eq ? lhs.b == lit.b : lhs.b != lit.b);
      case FType::Int:
      case FType::Timestamp:
      case FType::Duration:
        return tri(ordered(e.op, lhs.i, lit.i));
      case FType::Ip: {
        bool same = lhs.hi == lit.hi && lhs.lo == lit.lo;
        return tri(e.op == Op::Eq ? same : !same);
      }
    }
    return Tri::False;
  }

  static bool compare_values(const Expr& e, const Value& lhs, const Value& rhs) {
    switch (lhs.type) {
      case FType::String:
        return string_op(e.op, lhs.text(), rhs.text(), e.cs);
      case FType::Int:
      case FType::Timestamp:
      case FType::Duration:
        return ordered(e.op, lhs.i, rhs.i);
      case FType::Float:
        return ordered(e.op, lhs.f, rhs.f);
      case FType::Bool:
        return e.op == Op::Eq ? lhs.b == rhs.b : lhs.b != rhs.b;
      case FType::Ip: {
        bool same = lhs.hi == rhs.hi && lhs.lo == rhs.lo;
        return e.op == Op::Eq ? same : !same;
      }
    }
    return false;
  }
  // An atom whose left operand is present.
  Tri model_present(const SchemaGen& s, const Expr& e, const Value& lhs, const socc_slot* slots,
                    const std::vector<Ref>* env) const {
    switch (e.kind) {
      case Expr::Kind::Exists:
        return Tri::True;
      case Expr::Kind::Bare:
        return tri(lhs.b);
      case Expr::Kind::In: {
        bool member = false;
        for (const Lit& item : e.rhs.values) member = member || equal(lhs, item, e.cs);
        return tri(e.negated ? !member : member);
      }
      default:
        break;
    }
    if (e.field_rhs) {
      Value rhs = value_of(s, resolve(e.rhs_ref, env), slots);
      if (!rhs.present) return Tri::False;
      return tri(compare_values(e, lhs, rhs));
    }
    if (!e.rhs.list) return compare_constant(e, lhs, e.rhs.values.at(0));
    // Any value, or with `all` one value of every group. An empty list
    // matches nothing, whatever the quantifier.
    if (e.rhs.values.empty()) return Tri::False;
    std::map<int, Tri> groups;
    for (const Lit& value : e.rhs.values) {
      int group = e.quant == Quant::All ? value.group : 0;
      auto [it, fresh] = groups.emplace(group, Tri::False);
      if (it->second == Tri::True) continue;
      Tri one = compare_constant(e, lhs, value);
      if (one != Tri::False) it->second = one;
    }
    Tri result = Tri::True;
    for (const auto& [group, value] : groups) {
      if (value == Tri::False) return Tri::False;
      if (value == Tri::Unknown) result = Tri::Unknown;
    }
    return result;
  }

  Tri count(const Expr& e, Tri result) const {
    if (e.tag >= 0) ++coverage_.outcomes[e.tag][static_cast<int>(result)];
    return result;
  }

  // ------------------------------------------------------------ generation

  // One element of a constant: its spelling and the values it folds to,
  // with groups numbered from 0 within it.
  struct Piece {
    std::string text;
    std::vector<Lit> values;
    bool many = false;
  };

  std::vector<std::string>& own(const SchemaGen& s, const Ref& ref) {
    return path_strings_[s.fields[ref.field].path];
  }

  void remember(const SchemaGen& s, const Ref& ref, const std::string& text) {
    own(s, ref).push_back(text);
  }

  FType random_type() {
    static const std::vector<FType> kTypes = {FType::String,   FType::String,    FType::String,
                                              FType::String,   FType::Int,       FType::Float,
                                              FType::Bool,     FType::Timestamp, FType::Timestamp,
                                              FType::Duration, FType::Ip,        FType::Ip};
    return rng_.pick(kTypes);
  }

  Lit int_lit(int64_t value) {
    Lit lit;
    lit.type = FType::Int;
    lit.i = value;
    lit.text = spell_int(rng_, value);
    ints.push_back(value);
    return lit;
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
        return int_lit(rng_.chance(70) ? rng_.pick(kInts)
                                       : static_cast<int64_t>(rng_.below(24)) - 4);
      case FType::Float:
        if (rng_.chance(30)) {
          // An int literal where a float is expected.
          lit = int_lit(rng_.pick(kIntsForFloats));
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
      case FType::Timestamp:
        for (;;) {
          lit.i = rng_.pick(instants()) + time_step(rng_);
          if (auto text = spell_timestamp(rng_, lit.i)) {
            lit.text = *text;
            break;
          }
        }
        break;
      case FType::Duration:
        lit.i = rng_.pick(kDurations) + (rng_.chance(20) ? static_cast<int64_t>(rng_.below(3)) : 0);
        lit.text = spell_duration(rng_, lit.i);
        break;
      case FType::Ip:
        return random_address_lit(rng_);
    }
    return lit;
  }

  // An int for a value of `ref`: the range of its function when it has one
  // (lengths, months, ISO weeks...), so that comparisons go both ways.
  Lit int_lit_for(const Ref& ref) {
    if (ref.fns.empty()) return random_lit(FType::Int);
    static const std::vector<int64_t> kYears = {0,    1,    1969, 1970, 2000, 2016, 2017, 2020,
                                                2021, 2022, 2023, 2024, 2025, 9999, 10000};
    switch (ref.fns.back()) {
      case Fn::Length:
        return int_lit(static_cast<int64_t>(rng_.below(15)));
      case Fn::Year:
        return int_lit(rng_.pick(kYears) + (rng_.chance(10) ? -1 : 0));
      case Fn::Month:
        return int_lit(static_cast<int64_t>(rng_.below(14)));
      case Fn::Day:
        return int_lit(static_cast<int64_t>(rng_.below(33)));
      case Fn::Hour:
        return int_lit(static_cast<int64_t>(rng_.below(25)));
      case Fn::Minute:
        return int_lit(static_cast<int64_t>(rng_.below(61)));
      case Fn::Week:
        return int_lit(static_cast<int64_t>(rng_.below(55)));
      default:
        return int_lit(static_cast<int64_t>(rng_.below(9)));
    }
  }

  std::string list_text(const std::vector<Lit>& items) {
    std::string text = "[";
    for (size_t k = 0; k < items.size(); ++k) text += (k > 0 ? ", " : "") + items[k].text;
    if (!items.empty() && rng_.chance(10)) text += ",";
    return text + "]";
  }

  // Pieces as a list literal; each piece's groups follow the groups of the
  // pieces before it, as the compiler numbers them.
  Operand list_of(const std::vector<Piece>& pieces) {
    Operand out;
    out.list = true;
    out.text = "[";
    int groups = 0;
    for (size_t k = 0; k < pieces.size(); ++k) {
      out.text += (k > 0 ? ", " : "") + pieces[k].text;
      int top = -1;
      for (Lit value : pieces[k].values) {
        top = std::max(top, value.group);
        value.group += groups;
        out.values.push_back(std::move(value));
      }
      groups += top + 1;
    }
    if (!pieces.empty() && rng_.chance(10)) out.text += ",";
    out.text += "]";
    return out;
  }

  static Piece piece_of(const Lit& lit) { return {lit.text, {lit}, false}; }

  static Operand operand_of(const Piece& piece) { return {piece.text, piece.values, piece.many}; }

  Operand named(int list) { return {lists[list].name, lists[list].values, true, true}; }

  // A text events of `ref` are likely to hold: one of its own strings, one
  // of the pack's, or a few random pieces.
  std::string sample_text(const SchemaGen& s, const Ref& ref) {
    const std::vector<std::string>& mine = own(s, ref);
    int how = static_cast<int>(rng_.below(100));
    std::string text;
    if (!mine.empty() && how < 45) {
      text = rng_.pick(mine);
    } else if (!strings.empty() && how < 70) {
      text = rng_.pick(strings);
    } else {
      text = random_atoms(rng_, 4);
    }
    if (text.size() > 120) text.resize(120);
    return text;
  }

  // Base64 and UTF-16 written here again (RFC 4648, UTF-8 decoding); the
  // offsets and windash come from the compiler's own transforms, which
  // transforms_test holds against pySigma's results.
  static std::string base64(std::string_view bytes) {
    static const char* kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t k = 0; k < bytes.size(); k += 3) {
      uint32_t chunk = 0;
      size_t n = std::min<size_t>(3, bytes.size() - k);
      for (size_t j = 0; j < 3; ++j) {
        chunk = (chunk << 8) | (j < n ? static_cast<unsigned char>(bytes[k + j]) : 0);
      }
      for (size_t j = 0; j < 4; ++j) {
        out += j <= n ? kAlphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
      }
    }
    return out;
  }

  static std::string utf16(std::string_view utf8, bool little, bool bom) {
    std::string out;
    auto unit = [&](uint32_t u) {
      char a = static_cast<char>(u & 0xFF), b = static_cast<char>(u >> 8);
      out += little ? a : b;
      out += little ? b : a;
    };
    if (bom) unit(0xFEFF);
    for (size_t k = 0; k < utf8.size();) {
      size_t len = utf8_sequence(utf8, k);
      uint32_t cp = code_point(utf8.substr(k, len));
      k += len;
      if (cp < 0x10000) {
        unit(cp);
      } else {
        unit(0xD800 + ((cp - 0x10000) >> 10));
        unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
      }
    }
    return out;
  }

  // A constant function over the values of `arg`; each result keeps the
  // group of the value it came from.
  static Piece apply(const std::string& name, const Piece& arg) {
    Piece out;
    out.text = name + "(" + arg.text + ")";
    out.many = arg.many || name == "base64offset" || name == "windash";
    for (const Lit& value : arg.values) {
      std::vector<std::string> results;
      if (name == "base64") {
        results = {base64(value.s)};
      } else if (name == "utf16le" || name == "wide") {
        results = {utf16(value.s, true, false)};
      } else if (name == "utf16be") {
        results = {utf16(value.s, false, false)};
      } else if (name == "utf16") {
        results = {utf16(value.s, true, true)};
      } else if (name == "base64offset") {
        for (std::string& form : sema::base64_offsets(value.s)) {
          // The compiler leaves out the empty forms of short values.
          if (!form.empty()) results.push_back(std::move(form));
        }
      } else {
        results = sema::windash_variants(value.s, 4096, nullptr);
      }
      for (std::string& result : results) {
        Lit lit;
        lit.s = std::move(result);
        lit.group = value.group;
        out.values.push_back(std::move(lit));
      }
    }
    return out;
  }

  Piece literal_piece(std::string value) {
    Lit lit;
    lit.s = std::move(value);
    lit.text = spell_string(rng_, lit.s);
    strings.push_back(lit.s);
    return piece_of(lit);
  }

  // A constant function of a literal (or of a short list, giving a group
  // per element): one value, or with `many` several. Inside a list
  // (`standalone` false) it never folds to no values: a list that folds to
  // none on the right of a string operator crashes the compiler, as an
  // empty one does.
  Piece function_piece(const SchemaGen& s, const Ref& ref, bool many, bool standalone = false) {
    static const std::vector<std::string> kDashed = {"-enc", " -nop -w", "/c",    "a -b",   "x/y",
                                                     "--z",  "-",        "-e /q", "cmd /c", "-Ab"};
    std::string sample = utf8_only(sample_text(s, ref));
    if (sample.empty() && !standalone) sample = "x";
    Piece arg = literal_piece(sample);
    Piece out;
    if (!many) {
      static const std::vector<std::string> kSingle = {"base64",  "utf16le", "wide",
                                                       "utf16be", "utf16",   "base64"};
      std::string name = rng_.pick(kSingle);
      out = name == "base64" && rng_.chance(40) ? apply("base64", apply("wide", arg))
                                                : apply(name, arg);
    } else {
      int how = static_cast<int>(rng_.below(100));
      if (how < 30) {
        out = apply("base64offset", arg);
      } else if (how < 45) {
        out = apply("base64offset", apply(rng_.chance(50) ? "utf16le" : "wide", arg));
      } else if (how < 75) {
        std::string dashed = rng_.pick(kDashed);
        if (rng_.chance(40)) dashed = random_atoms(rng_, 1) + dashed + random_atoms(rng_, 1);
        // At most three places to vary: 5^3 variants, under the limit.
        if (std::count(dashed.begin(), dashed.end(), '-') +
                std::count(dashed.begin(), dashed.end(), '/') >
            3) {
          dashed = "-x";
        }
        out = apply("windash", literal_piece(dashed));
      } else {
        // A function of a list: one group per element, as in
        // `contains all windash(["-enc", "-nop"])`.
        int which = static_cast<int>(rng_.below(3));
        std::string other = utf8_only(sample_text(s, ref));
        if (other.empty() && !standalone) other = "y";
        std::vector<Piece> items = {arg, literal_piece(other)};
        if (which == 2)
          items = {literal_piece(rng_.pick(kDashed)), literal_piece(rng_.pick(kDashed))};
        Operand list = list_of(items);
        static const char* const kNames[] = {"base64offset", "base64", "windash"};
        out = apply(kNames[which], {list.text, list.values, true});
      }
    }
    for (const Lit& value : out.values) remember(s, ref, value.s);
    return out;
  }

  // A glob made from a text events are likely to hold: a byte range of it
  // (which may cut a UTF-8 character in two), some characters turned into
  // `?` or `*`, stars around, and `*` `?` `[` of the text written `[*]`
  // `[?]` `[[]`; backslashes are ordinary.
  Lit glob_lit(const SchemaGen& s, const Ref& ref) {
    std::string sample = sample_text(s, ref);
    remember(s, ref, sample);
    auto literal = [](std::string_view ch) {
      return ch == "*" || ch == "?" || ch == "[" ? "[" + std::string(ch) + "]" : std::string(ch);
    };
    Lit lit;
    if (rng_.chance(8)) {
      // Raw pieces: their `*` and `?` are wildcards.
      std::string raw = random_atoms(rng_, 5);
      for (char c : raw) lit.s += c == '[' ? std::string("[[]") : std::string(1, c);
    } else {
      size_t n = sample.size();
      size_t from = rng_.chance(50) ? 0 : rng_.below(n + 1);
      size_t to = rng_.chance(50) ? n : from + rng_.below(n - from + 1);
      std::string_view part = std::string_view(sample).substr(from, to - from);
      if (from > 0 || rng_.chance(15)) lit.s += '*';
      for (size_t k = 0; k < part.size();) {
        // A character: one byte where the bytes are not UTF-8.
        size_t len = std::max<size_t>(utf8_sequence(part, k), 1);
        std::string_view ch = part.substr(k, len);
        k += len;
        int how = static_cast<int>(rng_.below(100));
        if (how < 10) {
          lit.s += '?';
        } else if (how < 14) {
          lit.s += '*';
        } else {
          if (how < 17) lit.s += '*';
          lit.s += literal(ch);
        }
      }
      if (to < n || rng_.chance(15)) lit.s += '*';
      if (rng_.chance(15)) lit.s = random_case(rng_, lit.s);
    }
    lit.text = spell_string(rng_, lit.s);
    return lit;
  }

  // A substring of `text` cut on character boundaries.
  std::string char_range(const std::string& text) {
    std::vector<size_t> cuts = {0};
    for (size_t k = 0; k < text.size();) {
      k += std::max<size_t>(utf8_sequence(text, k), 1);
      cuts.push_back(k);
    }
    size_t a = rng_.below(cuts.size());
    size_t b = a + rng_.below(cuts.size() - a);
    if (rng_.chance(30)) a = 0;
    if (rng_.chance(30)) b = cuts.size() - 1;
    return text.substr(cuts[a], cuts[b] - cuts[a]);
  }

  // A regular expression from texts events are likely to hold: mostly
  // literal alternatives, anchored or not, whose shape the model knows;
  // otherwise classes, wildcards and flags that only the two
  // implementations under test judge.
  Lit regex_lit(const SchemaGen& s, const Ref& ref) {
    std::string sample = utf8_only(sample_text(s, ref));
    remember(s, ref, sample);
    Lit lit;
    std::string a = char_range(sample);
    if (rng_.chance(75)) {
      RegexShape& shape = lit.regex;
      shape.known = true;
      shape.alts.push_back(a);
      if (rng_.chance(25)) shape.alts.push_back(char_range(utf8_only(sample_text(s, ref))));
      shape.begin = rng_.chance(30);
      shape.end = rng_.chance(30);
      std::string body;
      for (size_t k = 0; k < shape.alts.size(); ++k) {
        body += (k > 0 ? "|" : "") + regex_escape(shape.alts[k]);
      }
      if (shape.alts.size() > 1) body = "(?:" + body + ")";
      lit.s = (shape.begin ? "^" : "") + body + (shape.end ? "$" : "");
    } else {
      std::string e = regex_escape(a);
      std::string b = regex_escape(char_range(utf8_only(sample_text(s, ref))));
      std::vector<std::string> kinds = {e + ".",      "." + e,
                                        e + ".*" + b, "(?i)" + e,
                                        "\\b" + e,    e + "\\w*$",
                                        "^\\S*" + e,  "[\\\\/]" + e,
                                        "\\p{L}" + e, "(?s)" + e + ".?",
                                        "^$",         "\xC3\xA9|\xC3\x89",
                                        "[a-z]{2,}",  (e.empty() ? "x" : "(?:" + e + ")") + "+"};
      lit.s = rng_.pick(kinds);
    }
    lit.text = spell_string(rng_, lit.s);
    return lit;
  }

  // A string constant for `op`: a glob for `like`, a regex for `matches`,
  // else a literal or a constant function (several values only when
  // `many`).
  Piece string_piece(const SchemaGen& s, const Ref& ref, Op op, bool many) {
    if (op == Op::Like) return piece_of(glob_lit(s, ref));
    if (op == Op::Matches) return piece_of(regex_lit(s, ref));
    int how = static_cast<int>(rng_.below(100));
    if (how < 12) return function_piece(s, ref, false);
    if (many && !light_ && how < 22) return function_piece(s, ref, true);
    Lit lit = random_lit(FType::String);
    remember(s, ref, lit.s);
    return piece_of(lit);
  }

  std::vector<int> lists_of(FType type, bool regexes_only) {
    std::vector<int> out;
    for (size_t k = 0; k < lists.size(); ++k) {
      if (regexes_only && !lists[k].regexes) continue;
      if (lists[k].type == type) out.push_back(static_cast<int>(k));
    }
    return out;
  }

  SchemaGen random_schema(size_t index) {
    SchemaGen s;
    s.name = "S" + std::to_string(index);
    size_t field_count = 2 + rng_.below(7);
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
              lit = int_lit(1 + static_cast<int64_t>(rng_.below(3)));
              break;
            case FType::Float:
              lit.text = rng_.pick(std::vector<std::string>{"0.5", "1.5", "2.0"});
              lit.f = std::strtod(lit.text.c_str(), nullptr);
              floats.push_back(lit.f);
              break;
            default:
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

  // Named lists of strings (with constant functions and earlier lists
  // spliced in), of regexes, of numbers and of networks; now and then with
  // their element type written out.
  void generate_lists() {
    size_t count = rng_.below(5);
    SchemaGen none;
    none.fields.push_back({"_", FType::String, "lists", -1});
    Ref ref{0, {}};
    for (size_t k = 0; k < count; ++k) {
      NamedList list;
      list.name = "L" + std::to_string(k);
      int kind = static_cast<int>(rng_.below(6));
      size_t items = 1 + rng_.below(4);
      std::vector<Piece> pieces;
      std::string declared;
      if (kind <= 1) {
        list.type = FType::String;
        declared = "string";
        std::vector<int> earlier = lists_of(FType::String, false);
        for (size_t j = 0; j < items; ++j) {
          if (!earlier.empty() && rng_.chance(10)) {
            const NamedList& other = lists[rng_.pick(earlier)];
            pieces.push_back({other.name, other.values, true});
          } else {
            pieces.push_back(string_piece(none, ref, Op::Eq, true));
          }
        }
      } else if (kind == 2) {
        list.type = FType::String;
        list.regexes = true;
        declared = "string";
        for (size_t j = 0; j < items; ++j) pieces.push_back(piece_of(regex_lit(none, ref)));
      } else if (kind == 3) {
        list.type = FType::Int;
        declared = "int";
        for (size_t j = 0; j < items; ++j) pieces.push_back(piece_of(random_lit(FType::Int)));
      } else if (kind == 4) {
        list.type = FType::Float;
        declared = "float";
        bool all_ints = true;
        for (size_t j = 0; j < items; ++j) {
          pieces.push_back(piece_of(random_lit(FType::Float)));
          all_ints = all_ints && pieces.back().values[0].type == FType::Int;
        }
        // Without its type written, a float list of int literals is an
        // int list.
        if (all_ints && rng_.chance(60)) {
          list.type = FType::Int;
          declared = "int";
        }
      } else {
        list.type = FType::Ip;
        bool networks = false;
        for (size_t j = 0; j < items; ++j) {
          pieces.push_back(piece_of(random_network_lit(rng_)));
          networks = networks || pieces.back().values[0].network;
        }
        declared = networks ? "cidr" : "ip";
      }
      Operand folded = list_of(pieces);
      list.values = folded.values;
      bool typed =
          rng_.chance(30) || (list.type == FType::Float && declared == "float" &&
                              std::all_of(list.values.begin(), list.values.end(),
                                          [](const Lit& l) { return l.type == FType::Int; }));
      list.text = "list " + list.name + (typed ? ": " + declared : "") + " = " + folded.text;
      // The strings of string lists are likely values of any string field.
      if (list.type == FType::String) {
        for (const Lit& value : list.values) strings.push_back(value.s);
      }
      lists.push_back(std::move(list));
    }
    for (const std::string& text : path_strings_["lists"]) strings.push_back(text);
  }

  // Macros with parameters of every type; a body may use lists and the
  // macros declared before it.
  void generate_macros() {
    size_t count = rng_.below(4);
    for (size_t k = 0; k < count; ++k) {
      MacroGen macro;
      macro.name = "m" + std::to_string(k);
      size_t params = 1 + rng_.below(3);
      std::string head = "macro " + macro.name + "(";
      for (size_t p = 0; p < params; ++p) {
        std::string name = "a" + std::to_string(p);
        FType type = random_type();
        macro.params.fields.push_back({name, type, "macro " + macro.name + " " + name, -1});
        head += (p > 0 ? ", " : "") + name + ": " + type_keyword(type);
      }
      macro_limit_ = k;
      macro.body = random_expr(macro.params, 1 + static_cast<int>(rng_.below(2)));
      macro.text = head + ") = " + print(macro.params, macro.body, 1);
      macros.push_back(std::move(macro));
    }
    macro_limit_ = macros.size();
  }

  // A field, now and then through one or two field functions.
  Ref random_ref(const SchemaGen& s) {
    static const std::vector<Fn> kStringFns = {Fn::Lower,   Fn::Upper,    Fn::Basename,
                                               Fn::Dirname, Fn::Basename, Fn::Length};
    static const std::vector<Fn> kTimeFns = {Fn::Year,   Fn::Month, Fn::Day,    Fn::Hour,
                                             Fn::Minute, Fn::Week,  Fn::Weekday};
    Ref ref;
    ref.field = static_cast<int>(rng_.below(s.fields.size()));
    FType type = s.fields[ref.field].type;
    int how = static_cast<int>(rng_.below(100));
    if (type == FType::String && how < 30) {
      ref.fns.push_back(rng_.pick(kStringFns));
    } else if (type == FType::String && how < 38) {
      // A string function, then any: lower(basename(f)), length(dirname(f)).
      static const std::vector<Fn> kInner = {Fn::Lower, Fn::Upper, Fn::Basename, Fn::Dirname};
      ref.fns.push_back(rng_.pick(kInner));
      ref.fns.push_back(rng_.pick(kStringFns));
    } else if (type == FType::Timestamp && how < 35) {
      ref.fns.push_back(rng_.pick(kTimeFns));
    }
    return ref;
  }

  // Every field of `type`, and every function of a field giving it: the
  // right operands of field-to-field comparisons and macro arguments.
  std::vector<Ref> refs_of_type(const SchemaGen& s, FType type) {
    std::vector<Ref> out;
    for (size_t k = 0; k < s.fields.size(); ++k) {
      int field = static_cast<int>(k);
      FType own_type = s.fields[k].type;
      if (own_type == type) {
        // Plain fields weigh more.
        for (int copies = 0; copies < 4; ++copies) out.push_back({field, {}});
      }
      if (own_type == FType::String && type == FType::String) {
        for (Fn fn : {Fn::Lower, Fn::Upper, Fn::Basename, Fn::Dirname})
          out.push_back({field, {fn}});
      }
      if (own_type == FType::String && type == FType::Int) {
        out.push_back({field, {Fn::Length}});
        out.push_back({field, {Fn::Basename, Fn::Length}});
      }
      if (own_type == FType::Timestamp && type == FType::Int) {
        for (Fn fn : {Fn::Year, Fn::Month, Fn::Day, Fn::Hour, Fn::Minute, Fn::Week, Fn::Weekday}) {
          out.push_back({field, {fn}});
        }
      }
    }
    return out;
  }

  std::optional<Expr> macro_use(const SchemaGen& s) {
    if (macro_limit_ == 0 || (light_ && !rng_.chance(15))) return std::nullopt;
    Expr e;
    e.kind = Expr::Kind::Macro;
    e.macro = static_cast<int>(rng_.below(macro_limit_));
    for (const Field& param : macros[e.macro].params.fields) {
      std::vector<Ref> candidates = refs_of_type(s, param.type);
      if (candidates.empty()) return std::nullopt;
      e.args.push_back(rng_.pick(candidates));
    }
    // The strings the body compares a parameter with suit its argument.
    for (size_t p = 0; p < e.args.size(); ++p) {
      std::vector<std::string> from = path_strings_[macros[e.macro].params.fields[p].path];
      std::vector<std::string>& to = own(s, e.args[p]);
      to.insert(to.end(), from.begin(), from.end());
    }
    return e;
  }

  Expr field_pair(const SchemaGen& s, Expr e, FType type, const std::vector<Op>& ops) {
    e.kind = Expr::Kind::Compare;
    e.op = rng_.pick(ops);
    e.field_rhs = true;
    e.rhs_ref = rng_.pick(refs_of_type(s, type));
    return e;
  }

  // The construct an atom is counted under; plain comparisons and
  // constants are not counted.
  std::string category(const SchemaGen& s, const Expr& e) const {
    switch (e.kind) {
      case Expr::Kind::Exists:
        return "exists";
      case Expr::Kind::Macro:
        return "macro use";
      case Expr::Kind::Compare:
      case Expr::Kind::In:
        break;
      default:
        return "";
    }
    FType type = type_of(s, e.lhs);
    if (e.field_rhs) return "field op field";
    if (e.rhs.named) return "named list";
    if (e.kind == Expr::Kind::In) {
      return type == FType::Ip ? "ip in" : e.lhs.fns.empty() ? "" : "field function";
    }
    if (e.quant == Quant::All) return "list all";
    if (e.rhs.list) return "list any";
    if (e.op == Op::Like) return "like";
    if (e.op == Op::Matches) return "matches";
    if (type == FType::Ip) return "ip ==";
    if (type == FType::Timestamp) return "timestamp";
    if (type == FType::Duration) return "duration";
    if (!e.lhs.fns.empty()) return "field function";
    bool call = !e.rhs.text.empty() && std::isalpha(static_cast<unsigned char>(e.rhs.text[0]));
    return type == FType::String && call ? "constant function" : "";
  }

  Expr random_atom(const SchemaGen& s) {
    Expr e = random_atom_untagged(s);
    std::string what = category(s, e);
    if (!what.empty()) {
      e.tag = coverage_.tag(what);
      ++coverage_.generated[e.tag];
    }
    return e;
  }

  Expr random_atom_untagged(const SchemaGen& s) {
    static const std::vector<Op> kEquality = {Op::Eq, Op::Ne};
    static const std::vector<Op> kOrdering = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
    Expr e;
    int roll = static_cast<int>(rng_.below(100));
    if (roll < 2) {
      e.kind = Expr::Kind::Const;
      e.value = rng_.chance(50);
      return e;
    }
    if (roll < 5) {
      e.kind = Expr::Kind::Exists;
      e.lhs = random_ref(s);
      return e;
    }
    if (roll < (light_ ? 6 : 12)) {
      if (auto use = macro_use(s)) return std::move(*use);
    }
    e.lhs = random_ref(s);
    FType type = type_of(s, e.lhs);
    int how = static_cast<int>(rng_.below(100));
    switch (type) {
      case FType::Bool:
        if (how < 35) {
          e.kind = Expr::Kind::Bare;
          return e;
        }
        if (how < 50) return field_pair(s, std::move(e), type, kEquality);
        e.kind = Expr::Kind::Compare;
        e.op = rng_.pick(kEquality);
        e.rhs = operand_of(piece_of(random_lit(FType::Bool)));
        return e;
      case FType::String:
        return string_atom(s, std::move(e), how);
      case FType::Int:
      case FType::Float: {
        if (how < 20) {
          e.kind = Expr::Kind::In;
          e.negated = rng_.chance(50);
          std::vector<int> usable = lists_of(FType::Int, false);
          if (type == FType::Float) {
            std::vector<int> floats_too = lists_of(FType::Float, false);
            usable.insert(usable.end(), floats_too.begin(), floats_too.end());
          }
          if (!usable.empty() && rng_.chance(35)) {
            e.rhs = named(rng_.pick(usable));
          } else {
            size_t count = rng_.chance(4) ? 0 : 1 + rng_.below(4);
            std::vector<Piece> items;
            for (size_t k = 0; k < count; ++k) {
              items.push_back(
                  piece_of(type == FType::Int ? int_lit_for(e.lhs) : random_lit(FType::Float)));
            }
            e.rhs = list_of(items);
          }
          return e;
        }
        if (how < 32) return field_pair(s, std::move(e), type, kOrdering);
        e.kind = Expr::Kind::Compare;
        e.op = rng_.pick(kOrdering);
        e.rhs = operand_of(piece_of(type == FType::Int ? int_lit_for(e.lhs) : random_lit(type)));
        return e;
      }
      case FType::Timestamp:
      case FType::Duration:
        if (how < 25) return field_pair(s, std::move(e), type, kOrdering);
        e.kind = Expr::Kind::Compare;
        e.op = rng_.pick(kOrdering);
        e.rhs = operand_of(piece_of(random_lit(type)));
        return e;
      case FType::Ip:
        if (how < 20) return field_pair(s, std::move(e), type, kEquality);
        if (how < 45) {
          e.kind = Expr::Kind::Compare;
          e.op = rng_.pick(kEquality);
          e.rhs = operand_of(piece_of(random_address_lit(rng_)));
          return e;
        }
        e.kind = Expr::Kind::In;
        e.negated = rng_.chance(40);
        if (std::vector<int> usable = lists_of(FType::Ip, false);
            !usable.empty() && rng_.chance(30)) {
          e.rhs = named(rng_.pick(usable));
        } else if (rng_.chance(40)) {
          e.rhs = operand_of(piece_of(random_network_lit(rng_)));
        } else {
          std::vector<Piece> items;
          for (size_t k = 0, n = 1 + rng_.below(4); k < n; ++k) {
            items.push_back(piece_of(random_network_lit(rng_)));
          }
          e.rhs = list_of(items);
        }
        return e;
    }
    return e;
  }

  Expr string_atom(const SchemaGen& s, Expr e, int how) {
    static const std::vector<Op> kFieldOps = {Op::Eq, Op::Ne, Op::Contains, Op::StartsWith,
                                              Op::EndsWith};
    static const std::vector<Op> kOps = {Op::Eq,       Op::Eq,         Op::Ne,       Op::Contains,
                                         Op::Contains, Op::StartsWith, Op::EndsWith, Op::EndsWith,
                                         Op::Like,     Op::Like,       Op::Like,     Op::Like,
                                         Op::Matches,  Op::Matches,    Op::Matches,  Op::Matches};
    if (how < 15) {
      e.kind = Expr::Kind::In;
      e.negated = rng_.chance(50);
      e.cs = rng_.chance(35);
      std::vector<int> usable = lists_of(FType::String, false);
      if (!usable.empty() && rng_.chance(35)) {
        e.rhs = named(rng_.pick(usable));
      } else if (!light_ && rng_.chance(10)) {
        e.rhs = operand_of(function_piece(s, e.lhs, true, true));
      } else {
        size_t count = rng_.chance(4) ? 0 : 1 + rng_.below(4);
        std::vector<Piece> items;
        for (size_t k = 0; k < count; ++k) items.push_back(string_piece(s, e.lhs, Op::Eq, true));
        e.rhs = list_of(items);
      }
      return e;
    }
    if (how < 27) {
      e.cs = rng_.chance(35);
      return field_pair(s, std::move(e), FType::String, kFieldOps);
    }
    e.kind = Expr::Kind::Compare;
    e.op = rng_.pick(kOps);
    e.cs = rng_.chance(e.op == Op::Matches ? 50 : 35);
    bool pattern = e.op == Op::Like || e.op == Op::Matches;
    if (e.op != Op::Eq && e.op != Op::Ne && rng_.chance(30)) {
      int quant = static_cast<int>(rng_.below(100));
      e.quant = quant < 30 ? Quant::None : quant < 65 ? Quant::Any : Quant::All;
      std::vector<int> usable = lists_of(FType::String, e.op == Op::Matches);
      if (e.op == Op::Like) usable.clear();
      if (!usable.empty() && rng_.chance(30)) {
        e.rhs = named(rng_.pick(usable));
      } else if (!pattern && !light_ && rng_.chance(25)) {
        e.rhs = operand_of(function_piece(s, e.lhs, true, true));
        // One value alone is not a list.
        if (!e.rhs.list) e.quant = e.quant == Quant::All ? Quant::Any : e.quant;
      } else {
        // Never empty: an empty list on the right of a string operator
        // crashes the compiler (see the report of this test's extension).
        std::vector<Piece> items;
        for (size_t k = 0, n = 1 + rng_.below(4); k < n; ++k) {
          items.push_back(string_piece(s, e.lhs, e.op, !pattern));
        }
        e.rhs = list_of(items);
      }
      return e;
    }
    e.rhs = operand_of(string_piece(s, e.lhs, e.op, false));
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

  // `in` with a long inline list, on a field of a type that has `in`.
  std::optional<Expr> big_in(const SchemaGen& s, size_t count) {
    std::vector<int> usable;
    for (size_t k = 0; k < s.fields.size(); ++k) {
      FType type = s.fields[k].type;
      if (type == FType::String || type == FType::Int || type == FType::Float ||
          type == FType::Ip) {
        usable.push_back(static_cast<int>(k));
      }
    }
    if (usable.empty()) return std::nullopt;
    Expr e;
    e.kind = Expr::Kind::In;
    e.lhs.field = rng_.pick(usable);
    FType type = s.fields[e.lhs.field].type;
    e.negated = rng_.chance(30);
    e.cs = type == FType::String && rng_.chance(40);
    std::vector<Piece> items;
    for (size_t k = 0; k < count; ++k) {
      Lit lit = type == FType::Ip ? random_network_lit(rng_) : random_lit(type);
      if (type == FType::String) remember(s, e.lhs, lit.s);
      items.push_back(piece_of(lit));
    }
    e.rhs = list_of(items);
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

  static std::string ref_text(const SchemaGen& s, const Ref& ref) {
    std::string text = s.fields[ref.field].name;
    for (Fn fn : ref.fns) text = std::string(fn_name(fn)) + "(" + text + ")";
    return text;
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
        body = ref_text(s, e.lhs);
        break;
      case Expr::Kind::Exists:
        body = "exists(" + ref_text(s, e.lhs) + ")";
        break;
      case Expr::Kind::Macro:
        body = macros[e.macro].name + "(";
        for (size_t k = 0; k < e.args.size(); ++k) {
          body += (k > 0 ? ", " : "") + ref_text(s, e.args[k]);
        }
        body += ")";
        break;
      case Expr::Kind::Compare:
        body = ref_text(s, e.lhs) + " " + op_text(e.op) + (e.cs ? " cs" : "") +
               (e.quant == Quant::Any   ? " any"
                : e.quant == Quant::All ? " all"
                                        : "") +
               " " + (e.field_rhs ? ref_text(s, e.rhs_ref) : e.rhs.text);
        break;
      case Expr::Kind::In:
        body = ref_text(s, e.lhs) + (e.negated ? " not in" : " in") + (e.cs ? " cs " : " ") +
               e.rhs.text;
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
  // with that path (as is, in other case, with bytes around it, two of
  // them joined, under a directory), long repetitive text, or a few random
  // pieces.
  std::string random_text(const std::string& path) {
    static const std::vector<std::string> kNone;
    static const std::vector<std::string> kDirectories = {"C:\\Windows\\",     "/usr/bin/", "a/b\\",
                                                          "\\\\host\\share\\", "/",         "\\"};
    auto it = path_strings_.find(path);
    const std::vector<std::string>& mine = it == path_strings_.end() ? kNone : it->second;
    std::vector<std::string> mine_long;
    for (const std::string& text : mine) {
      if (text.size() > 16) mine_long.push_back(text);
    }
    int how = static_cast<int>(rng_.below(100));
    std::string text;
    if (!mine.empty() && how < 15) {
      text = rng_.pick(mine);
    } else if (!strings.empty() && how < 50) {
      text = random_case(rng_, rng_.pick(mine.empty() || how >= 42 ? strings : mine));
      if (rng_.chance(40)) text = random_atoms(rng_, 2) + text;
      if (rng_.chance(40)) text += random_atoms(rng_, 2);
      if (!mine.empty() && rng_.chance(15)) text += rng_.pick(mine);
    } else if (how < 60) {
      // Long and repetitive, now and then ending on a literal.
      text = repeated(rng_, 0, 600);
      if (!mine_long.empty() && rng_.chance(60)) {
        text += random_case(rng_, rng_.pick(mine_long));
      } else if (!mine.empty() && rng_.chance(50)) {
        text += random_case(rng_, rng_.pick(mine));
      }
      if (rng_.chance(30)) text += repeated(rng_, 0, 200);
    } else {
      size_t n = rng_.below(5);
      for (size_t k = 0; k < n; ++k) {
        text += rng_.chance(10) ? rng_.pick(kByteAtoms) : rng_.pick(kAtoms);
      }
    }
    if (rng_.chance(12)) text = rng_.pick(kDirectories) + text;
    return text;
  }

  // A text related to another slot's: the same, in other case, a part of
  // it (cut anywhere, even inside a character), or with more around it.
  std::string related_text(std::string_view other) {
    int how = static_cast<int>(rng_.below(100));
    size_t cut = rng_.below(other.size() + 1);
    if (how < 30) return std::string(other);
    if (how < 50) return random_case(rng_, std::string(other));
    if (how < 65) return std::string(other.substr(0, cut));
    if (how < 80) return std::string(other.substr(cut));
    if (how < 90) return std::string(other) + random_atoms(rng_, 2);
    return random_atoms(rng_, 2) + std::string(other);
  }

  // The text of an address, as the decoder keeps it: dotted for IPv4
  // (mapped), eight groups for IPv6.
  static std::string address_text(uint64_t hi, uint64_t lo) {
    char buffer[64];
    if (hi == 0 && (lo >> 32) == 0xffff) {
      std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", unsigned((lo >> 24) & 255),
                    unsigned((lo >> 16) & 255), unsigned((lo >> 8) & 255), unsigned(lo & 255));
    } else {
      std::snprintf(buffer, sizeof buffer, "%x:%x:%x:%x:%x:%x:%x:%x", unsigned(hi >> 48),
                    unsigned((hi >> 32) & 0xffff), unsigned((hi >> 16) & 0xffff),
                    unsigned(hi & 0xffff), unsigned(lo >> 48), unsigned((lo >> 32) & 0xffff),
                    unsigned((lo >> 16) & 0xffff), unsigned(lo & 0xffff));
    }
    return buffer;
  }

  int64_t nudge(int64_t base) {
    int delta = static_cast<int>(rng_.below(3)) - 1;
    if ((delta > 0 && base == kMax) || (delta < 0 && base == kMin)) delta = 0;
    return delta;
  }

  int64_t random_int() {
    if (!ints.empty() && rng_.chance(50)) {
      int64_t base = rng_.pick(ints);
      return base + nudge(base);
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

  // Around the instants; beyond the four-digit years only by a zone
  // offset's worth, as far as parsed events reach.
  int64_t random_timestamp() {
    static const std::vector<int64_t> kEdges = {
        utc_micros(0, 1, 1, 0, 0, 0, 0) - 14 * kHour,
        utc_micros(9999, 12, 31, 23, 59, 59, 0) + 12 * kHour};
    if (rng_.chance(3)) return rng_.pick(kEdges) + (rng_.chance(50) ? 0 : time_step(rng_));
    return rng_.pick(instants()) + time_step(rng_);
  }

  int64_t random_duration() {
    int how = static_cast<int>(rng_.below(100));
    int64_t base = rng_.pick(kDurations);
    if (how < 80) return base + nudge(base);
    if (how < 90) return -base;
    return random_int();
  }

  Rng& rng_;
  Coverage& coverage_;
  // String literals by the raw path of the fields they are compared with
  // (or by macro parameter, until a use gives it a field).
  std::map<std::string, std::vector<std::string>> path_strings_;
  // Macros a condition being generated may use: those declared before the
  // macro whose body it is, or all of them in a detection.
  size_t macro_limit_ = 0;
  // Generating a big pack: atoms that expand little.
  bool light_ = false;
};

}  // namespace
