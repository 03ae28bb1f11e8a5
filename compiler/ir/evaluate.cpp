#include "compiler/ir/evaluate.h"

#include <re2/re2.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace socc::ir {
namespace {

// A slot's value as this evaluator sees it. Derived slots are computed
// here from their sources, not read from the slots the runtime filled, so
// that the runtime's derivations are checked too.
struct Value {
  bool present = false;
  std::string text;
  int64_t integer = 0;
  double real = 0;
  bool boolean = false;
  uint64_t hi = 0;
  uint64_t lo = 0;
};

// docs/language.md §7: only the ASCII letters A-Z fold (to a-z); every
// other byte, including those of non-ASCII letters, compares exactly.
std::string fold_ascii(std::string_view text) {
  std::string folded(text);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// The date parts of a time, by the standard library's calendar.
int64_t time_part(Derive derive, int64_t micros) {
  using namespace std::chrono;
  sys_time<microseconds> time{microseconds{micros}};
  sys_days day = floor<days>(time);
  year_month_day date{day};
  auto since_midnight = time - day;
  switch (derive) {
    case Derive::Year:
      return static_cast<int>(date.year());
    case Derive::Month:
      return static_cast<unsigned>(date.month());
    case Derive::Day:
      return static_cast<unsigned>(date.day());
    case Derive::Hour:
      return duration_cast<hours>(since_midnight).count();
    case Derive::Minute:
      return duration_cast<minutes>(since_midnight).count() % 60;
    case Derive::Weekday:
      return weekday{day}.iso_encoding();
    case Derive::Week: {
      // ISO 8601: week 1 holds the year's first Thursday; a day belongs to
      // the week of its Thursday.
      sys_days thursday = day - days{weekday{day}.iso_encoding() - 1} + days{3};
      year_month_day thursday_date{thursday};
      sys_days first = sys_days{thursday_date.year() / January / 1};
      return (thursday - first).count() / 7 + 1;
    }
    default:
      return 0;
  }
}

Value slot_value(const Pack& pack, int index, const socc_slot* slots) {
  const Slot& slot = pack.slots[index];
  Value value;
  if (slot.derive == Derive::None) {
    const socc_slot& raw = slots[index];
    value.present = raw.present != 0;
    if (!value.present) return value;
    if (raw.size > 0) value.text.assign(raw.data, static_cast<size_t>(raw.size));
    value.integer = raw.integer;
    value.real = raw.real;
    value.boolean = raw.boolean != 0;
    value.hi = static_cast<uint64_t>(raw.integer);
    value.lo = raw.low;
    return value;
  }
  Value source = slot_value(pack, slot.source, slots);
  if (!source.present) return value;
  value.present = true;
  const std::string& text = source.text;
  size_t last_separator = text.find_last_of("\\/");
  switch (slot.derive) {
    case Derive::Lower:
      value.text = fold_ascii(text);
      break;
    case Derive::Upper:
      value.text = upper_ascii(text);
      break;
    case Derive::Basename:
      value.text = last_separator == std::string::npos ? text : text.substr(last_separator + 1);
      break;
    case Derive::Dirname:
      value.text = last_separator == std::string::npos ? "" : text.substr(0, last_separator);
      break;
    case Derive::Length:
      value.integer = static_cast<int64_t>(text.size());
      break;
    default:
      value.integer = time_part(slot.derive, source.integer);
      break;
  }
  value.real = static_cast<double>(value.integer);
  return value;
}

// The length of the character at `text[i]`: a well-formed UTF-8 sequence,
// or one byte.
size_t char_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  size_t length = lead < 0x80             ? 1
                  : (lead & 0xE0) == 0xC0 ? 2
                  : (lead & 0xF0) == 0xE0 ? 3
                  : (lead & 0xF8) == 0xF0 ? 4
                                          : 1;
  if (length == 1 || i + length > text.size()) return 1;
  uint32_t cp = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 1;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 1;
  return length;
}

// Splits bytes into characters: well-formed UTF-8 sequences, and single
// bytes where the bytes form none.
std::vector<std::string_view> characters(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    size_t length = char_length(text, i);
    out.push_back(text.substr(i, length));
    i += length;
  }
  return out;
}

// Glob matching by dynamic programming over (text character, pattern
// token): plain and quadratic, unlike the runtime's greedy matcher. The
// text and each run of literal bytes in the pattern are both read as
// characters (runtime/glob.h), so a literal matches whole characters.
bool glob_match(std::string_view text, std::string_view pattern) {
  struct Token {
    enum { Star, One, Char } kind;
    std::string_view text;
  };
  std::vector<Token> tokens;
  // Literal runs with escapes resolved, and the pattern's shape: per
  // element -1 for a star, -2 for `?`, else the index of a run.
  std::vector<std::string> pieces;
  std::string run;
  auto flush = [&] {
    if (!run.empty()) pieces.push_back(run);
    run.clear();
  };
  std::vector<int> shape;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() &&
        (pattern[i + 1] == '*' || pattern[i + 1] == '?' || pattern[i + 1] == '\\')) {
      run += pattern[++i];
    } else if (c == '*' || c == '?') {
      if (!run.empty()) shape.push_back(static_cast<int>(pieces.size()));
      flush();
      shape.push_back(c == '*' ? -1 : -2);
    } else {
      run += c;
    }
  }
  if (!run.empty()) shape.push_back(static_cast<int>(pieces.size()));
  flush();
  for (int piece : shape) {
    if (piece == -1) {
      tokens.push_back({Token::Star, {}});
    } else if (piece == -2) {
      tokens.push_back({Token::One, {}});
    } else {
      for (std::string_view ch : characters(pieces[piece])) tokens.push_back({Token::Char, ch});
    }
  }
  std::vector<std::string_view> chars = characters(text);
  size_t n = chars.size();
  size_t m = tokens.size();
  // reach[i * (m + 1) + j]: the first i characters of the text can match
  // the first j tokens.
  std::vector<char> reach((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> char& { return reach[i * (m + 1) + j]; };
  at(0, 0) = 1;
  for (size_t i = 0; i <= n; ++i) {
    for (size_t j = 0; j < m; ++j) {
      if (!at(i, j)) continue;
      const Token& token = tokens[j];
      if (token.kind == Token::Star) {
        at(i, j + 1) = 1;
        if (i < n) at(i + 1, j) = 1;
      } else if (i < n && (token.kind == Token::One || token.text == chars[i])) {
        at(i + 1, j + 1) = 1;
      }
    }
  }
  return at(n, m) != 0;
}

// Regular expressions are compiled once per (pattern, case) and kept.
const RE2& regex(const Regex& spec) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, bool>, std::unique_ptr<RE2>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& entry = cache[{spec.pattern, spec.case_sensitive}];
  if (!entry) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(spec.case_sensitive);
    entry = std::make_unique<RE2>(spec.pattern, options);
  }
  return *entry;
}

// A string operator on a present value; both sides are folded unless the
// comparison is case-sensitive.
bool string_test(const Pack& pack, const Node& node, std::string_view value,
                 std::string_view constant) {
  if (node.op == PredicateOp::Matches) {
    return RE2::PartialMatch(value, regex(pack.regexes[node.regex]));
  }
  std::string text = node.case_sensitive ? std::string(value) : fold_ascii(value);
  std::string needle = node.case_sensitive ? std::string(constant) : fold_ascii(constant);
  std::string_view t = text;
  std::string_view n = needle;
  switch (node.op) {
    case PredicateOp::Eq:
      return t == n;
    case PredicateOp::Ne:
      return t != n;
    case PredicateOp::Contains:
      return t.find(n) != std::string_view::npos;
    case PredicateOp::StartsWith:
      return t.starts_with(n);
    case PredicateOp::EndsWith:
      return t.ends_with(n);
    case PredicateOp::Like:
      return glob_match(t, n);
    default:
      // Ordering is not defined on strings (E0203).
      return false;
  }
}

template <typename T>
bool compare(PredicateOp op, T value, T constant) {
  switch (op) {
    case PredicateOp::Eq:
      return value == constant;
    case PredicateOp::Ne:
      // Float slots never hold NaN (docs/language.md §4: `nan` is missing),
      // so `!=` is plainly the negation of `==` on present values.
      return !(value == constant);
    case PredicateOp::Lt:
      return value < constant;
    case PredicateOp::Le:
      return value <= constant;
    case PredicateOp::Gt:
      return value > constant;
    case PredicateOp::Ge:
      return value >= constant;
    default:
      // Substring operators are not defined on numbers (E0203).
      return false;
  }
}

// The double a constant stands for when compared with a float slot: an int
// literal against a float field compares as a double.
double as_double(const Constant& constant) {
  if (constant.type == ValueType::Int) return static_cast<double>(constant.int_value);
  return constant.float_value;
}

// Whether the 128-bit address (hi, lo) is in the network of `constant`.
bool in_network(uint64_t hi, uint64_t lo, const Constant& constant) {
  for (int bit = 0; bit < constant.prefix; ++bit) {
    uint64_t word = bit < 64 ? hi : lo;
    uint64_t net = bit < 64 ? constant.ip_hi : constant.ip_lo;
    int shift = 63 - (bit % 64);
    if (((word >> shift) & 1) != ((net >> shift) & 1)) return false;
  }
  return true;
}

// Whether a present value is one of the set's members.
bool in_set(const ConstantSet& set, ValueType type, const Value& value) {
  for (const Constant& member : set.values) {
    switch (type) {
      case ValueType::String:
        // String sets fold unless the set is case-sensitive.
        if (set.case_sensitive ? value.text == member.string_value
                               : fold_ascii(value.text) == fold_ascii(member.string_value)) {
          return true;
        }
        break;
      case ValueType::Int:
      case ValueType::Timestamp:
      case ValueType::Duration:
        if (value.integer == member.int_value) return true;
        break;
      case ValueType::Float:
        if (value.real == as_double(member)) return true;
        break;
      case ValueType::Bool:
        if (value.boolean == member.bool_value) return true;
        break;
      case ValueType::Ip:
        if (in_network(value.hi, value.lo, member)) return true;
        break;
    }
  }
  return false;
}

// `slot op other-slot`, both present and of one type.
bool compare_slots(const Node& node, ValueType type, const Value& lhs, const Value& rhs) {
  switch (type) {
    case ValueType::String: {
      Pack none;
      return string_test(none, node, lhs.text, rhs.text);
    }
    case ValueType::Int:
    case ValueType::Timestamp:
    case ValueType::Duration:
      return compare<int64_t>(node.op, lhs.integer, rhs.integer);
    case ValueType::Float:
      return compare<double>(node.op, lhs.real, rhs.real);
    case ValueType::Bool:
      return node.op == PredicateOp::Eq ? lhs.boolean == rhs.boolean : lhs.boolean != rhs.boolean;
    case ValueType::Ip: {
      bool same = lhs.hi == rhs.hi && lhs.lo == rhs.lo;
      return node.op == PredicateOp::Eq ? same : !same;
    }
  }
  return false;
}

bool predicate(const Pack& pack, const Node& node, const socc_slot* slots) {
  Value value = slot_value(pack, node.slot, slots);
  // Every comparison with a missing value is false, including `!=` and
  // `not in` (docs/language.md §7, "Missing values").
  if (!value.present) return false;
  if (node.op == PredicateOp::Exists) return true;
  ValueType type = pack.slots[node.slot].type;

  if (node.rhs_slot >= 0) {
    Value other = slot_value(pack, node.rhs_slot, slots);
    if (!other.present) return false;
    return compare_slots(node, type, value, other);
  }
  if (node.op == PredicateOp::InSet || node.op == PredicateOp::NotInSet) {
    bool member = in_set(pack.sets[node.set], type, value);
    return node.op == PredicateOp::InSet ? member : !member;
  }

  switch (type) {
    case ValueType::String:
      return string_test(pack, node, value.text, node.constant.string_value);
    case ValueType::Int:
    case ValueType::Timestamp:
    case ValueType::Duration:
      return compare<int64_t>(node.op, value.integer, node.constant.int_value);
    case ValueType::Float:
      return compare<double>(node.op, value.real, as_double(node.constant));
    case ValueType::Bool:
      if (node.op == PredicateOp::Eq) return value.boolean == node.constant.bool_value;
      if (node.op == PredicateOp::Ne) return value.boolean != node.constant.bool_value;
      return false;
    case ValueType::Ip: {
      bool same = value.hi == node.constant.ip_hi && value.lo == node.constant.ip_lo;
      if (node.op == PredicateOp::Eq) return same;
      if (node.op == PredicateOp::Ne) return !same;
      return false;
    }
  }
  return false;
}

}  // namespace

bool evaluate(const Pack& pack, const Node& node, const socc_slot* slots) {
  switch (node.kind) {
    case NodeKind::True:
      return true;
    case NodeKind::False:
      return false;
    case NodeKind::Predicate:
      return predicate(pack, node, slots);
    case NodeKind::Not:
      return !evaluate(pack, node.children.front(), slots);
    case NodeKind::And:
      // An empty conjunction (a schema without `select`) holds.
      for (const Node& child : node.children) {
        if (!evaluate(pack, child, slots)) return false;
      }
      return true;
    case NodeKind::Or:
      for (const Node& child : node.children) {
        if (evaluate(pack, child, slots)) return true;
      }
      return false;
  }
  return false;
}

void evaluate_pack(const Pack& pack, const socc_slot* slots, uint8_t* fired) {
  for (size_t r = 0; r < pack.rules.size(); ++r) fired[r] = 0;
  for (const SchemaSelection& schema : pack.schemas) {
    if (!evaluate(pack, schema.select, slots)) continue;
    for (int rule : schema.rules) {
      fired[rule] = evaluate(pack, pack.rules[rule].condition, slots) ? 1 : 0;
    }
  }
}

}  // namespace socc::ir
