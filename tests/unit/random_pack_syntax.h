#pragma once

// Internal to differential_test.cpp: the random source and the building
// blocks of randomly generated rule packs (field types, literals and every
// spelling the language allows for them). Kept in a header of its own only
// to keep files small; it is included by one test file.

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace {

using namespace socc;

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  // Plain modulo keeps the sequence the same on every standard library.
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(engine_() % n); }
  bool chance(int percent) { return below(100) < static_cast<size_t>(percent); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

enum class FType { String, Int, Float, Bool };

ir::ValueType ir_type(FType type) {
  switch (type) {
    case FType::String:
      return ir::ValueType::String;
    case FType::Int:
      return ir::ValueType::Int;
    case FType::Float:
      return ir::ValueType::Float;
    case FType::Bool:
      return ir::ValueType::Bool;
  }
  return ir::ValueType::String;
}

const char* type_keyword(FType type) {
  switch (type) {
    case FType::String:
      return "string";
    case FType::Int:
      return "int";
    case FType::Float:
      return "float";
    case FType::Bool:
      return "bool";
  }
  return "string";
}

// A literal: its value and how the source spells it.
struct Lit {
  FType type = FType::String;
  std::string s;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string text;
};

// The value a literal stands for against a float field: an int literal
// compares as a double.
double lit_double(const Lit& lit) {
  return lit.type == FType::Int ? static_cast<double>(lit.i) : lit.f;
}

enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Contains, StartsWith, EndsWith };

const char* op_text(Op op) {
  switch (op) {
    case Op::Eq:
      return "==";
    case Op::Ne:
      return "!=";
    case Op::Lt:
      return "<";
    case Op::Le:
      return "<=";
    case Op::Gt:
      return ">";
    case Op::Ge:
      return ">=";
    case Op::Contains:
      return "contains";
    case Op::StartsWith:
      return "startswith";
    case Op::EndsWith:
      return "endswith";
  }
  return "==";
}

struct Expr {
  enum class Kind { Compare, In, Not, And, Or, Bare, Const } kind = Kind::Const;
  int field = -1;
  Op op = Op::Eq;
  bool cs = false;
  bool negated = false;
  Lit lit;
  std::vector<Lit> list;
  int named_list = -1;
  bool value = false;
  std::vector<Expr> kids;
};

struct Field {
  std::string name;
  FType type;
  std::string path;
  int slot = -1;
};

// One `select` clause: a raw path equals a literal, or is in a list.
struct SelectClause {
  std::string path;
  FType type;
  std::vector<Lit> values;
  int slot = -1;
};

struct SchemaGen {
  std::string name;
  std::vector<Field> fields;
  std::vector<SelectClause> select;
};

struct NamedList {
  std::string name;
  FType type;
  std::vector<Lit> items;
};

struct RuleGen {
  std::string name;
  int schema = -1;
  Expr where;
  std::string where_text;
};

// Pieces of strings: ASCII letters in both cases, the bytes next to the
// letter ranges ('@' '[' '`' '{', which a sloppy fold would confuse),
// multi-byte UTF-8 letters whose bytes differ by 0x20 (é/É), quotes,
// backslashes, NUL and the empty string.
const std::vector<std::string> kAtoms = {"a",        "A",        "b",        "B",
                                         "ab",       "aB",       "Ab",       "AB",
                                         "x",        "X",        "z",        "Z",
                                         "\xC3\xA9", "\xC3\x89", "\xC3\x9F", "\xE2\x82\xAC",
                                         "\\",       "'",        "\"",       " ",
                                         ".exe",     ".EXE",     "@",        "[",
                                         "`",        "{",        "_",        std::string("\0", 1),
                                         ""};
// Single bytes that are not UTF-8 on their own: Latin-1 É/é (0xC9/0xE9),
// Ú/ú, lone lead and continuation bytes. Literals spell them as \xHH.
const std::vector<std::string> kByteAtoms = {"\xC9", "\xE9", "\xDA", "\xFA", "\xC3",
                                             "\x89", "\xA9", "\x80", "\xFF"};
// Units of long, repetitive strings: they push `contains` past its direct
// scan into KMP, and needles past 256 bytes onto the heap.
const std::vector<std::string> kUnits = {"a", "ab", "aab", "abc", "aba"};

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
// Around 2^53, where a double no longer holds every int.
const std::vector<int64_t> kInts = {
    kMin, kMin + 1, -16, -1, 0, 1, 2, 3, 7, 16, 255, 9007199254740992, 9007199254740993, kMax};
// Float literals as written; their values come from strtod.
const std::vector<std::string> kFloatTexts = {"-1.5", "-0.25", "0.0",    "-0.0",
                                              "0.1",  "0.5",   "1.0",    "1.5",
                                              "2.0",  "2.5",   "100.25", "9007199254740993.0"};
const std::vector<int64_t> kIntsForFloats = {-1, 0, 1, 2, 100, 9007199254740993};
// Float slot values; the last two are the neighbours of 1.0.
const std::vector<double> kFloatValues = {-1.5,
                                          -1.0,
                                          -0.25,
                                          -0.0,
                                          0.0,
                                          0.1,
                                          0.5,
                                          1.0,
                                          1.5,
                                          2.0,
                                          2.5,
                                          100.25,
                                          9007199254740992.0,
                                          9007199254740994.0,
                                          1e300,
                                          -1e300,
                                          0x1.0000000000001p0,
                                          0x1.fffffffffffffp-1};

// The text with letters in random case: ASCII letters, and also the
// non-ASCII ones, which must not fold: UTF-8 É/é (C3 89 / C3 A9 and the
// other Latin-1 letters after C3) and the lone Latin-1 bytes C9/E9, DA/FA.
std::string random_case(Rng& rng, std::string text) {
  for (size_t k = 0; k < text.size(); ++k) {
    auto c = static_cast<unsigned char>(text[k]);
    bool after_c3 = k > 0 && static_cast<unsigned char>(text[k - 1]) == 0xC3;
    bool next_continues =
        k + 1 < text.size() && (static_cast<unsigned char>(text[k + 1]) & 0xC0) == 0x80;
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (after_c3 && ((c >= 0x80 && c <= 0x9E) || (c >= 0xA0 && c <= 0xBE))) ||
                  ((c == 0xC9 || c == 0xE9 || c == 0xDA || c == 0xFA) && !next_continues);
    if (letter && rng.chance(50)) text[k] = static_cast<char>(c ^ 0x20);
  }
  return text;
}

std::string random_atoms(Rng& rng, size_t max_atoms) {
  std::string text;
  size_t n = rng.below(max_atoms + 1);
  for (size_t k = 0; k < n; ++k) text += rng.chance(7) ? rng.pick(kByteAtoms) : rng.pick(kAtoms);
  return text;
}

// A unit repeated to between min_bytes and about max_bytes, letters in
// random case.
std::string repeated(Rng& rng, size_t min_bytes, size_t max_bytes) {
  std::string unit = rng.pick(kUnits);
  size_t target = min_bytes + rng.below(max_bytes - min_bytes + 1);
  std::string text;
  while (text.size() < target) text += unit;
  return random_case(rng, text);
}

std::string hex_digits(Rng& rng, uint64_t value, size_t min_digits) {
  std::string digits;
  bool upper = rng.chance(50);
  do {
    int d = static_cast<int>(value & 15);
    digits += static_cast<char>(d < 10 ? '0' + d : (upper ? 'A' : 'a') + d - 10);
    value >>= 4;
  } while (value != 0 || digits.size() < min_digits);
  std::reverse(digits.begin(), digits.end());
  return digits;
}

// The length of the well-formed UTF-8 sequence at text[at], or 0 when the
// byte there does not start one.
size_t utf8_sequence(std::string_view text, size_t at) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  size_t len = lead >= 0xC2 && lead <= 0xDF   ? 2
               : lead >= 0xE0 && lead <= 0xEF ? 3
               : lead >= 0xF0 && lead <= 0xF4 ? 4
                                              : 0;
  if (len == 0 || at + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(at + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms and surrogates are not well-formed either.
  if (lead == 0xE0 && byte(at + 1) < 0xA0) return 0;
  if (lead == 0xED && byte(at + 1) >= 0xA0) return 0;
  if (lead == 0xF0 && byte(at + 1) < 0x90) return 0;
  if (lead == 0xF4 && byte(at + 1) >= 0x90) return 0;
  return len;
}

uint32_t code_point(std::string_view seq) {
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(seq[k])); };
  switch (seq.size()) {
    case 1:
      return byte(0);
    case 2:
      return ((byte(0) & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3:
      return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    default:
      return ((byte(0) & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
             (byte(3) & 0x3F);
  }
}

// A string literal for `value`, in one of the spellings the language
// allows: "..." with a random choice of escapes, or raw '...' when the value
// is printable UTF-8. Bytes that are not UTF-8 are spelt \xHH.
std::string spell_string(Rng& rng, const std::string& value) {
  bool raw_ok = true;
  for (size_t k = 0; k < value.size();) {
    size_t len = utf8_sequence(value, k);
    if (len == 0 || static_cast<unsigned char>(value[k]) < 0x20) raw_ok = false;
    k += std::max<size_t>(len, 1);
  }
  if (raw_ok && rng.chance(40)) {
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
  }
  std::string out = "\"";
  for (size_t k = 0; k < value.size();) {
    size_t len = utf8_sequence(value, k);
    if (len == 0) {
      out += "\\x" + hex_digits(rng, static_cast<unsigned char>(value[k]), 2);
      ++k;
      continue;
    }
    std::string_view seq(value.data() + k, len);
    k += len;
    int how = static_cast<int>(rng.below(100));
    if (len == 1) {
      char c = seq[0];
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '"') {
        out += "\\\"";
      } else if (c == '\0') {
        out += how < 40 ? "\\0" : how < 70 ? "\\x00" : "\\u{" + hex_digits(rng, 0, 1) + "}";
      } else if (c == '\'' && how < 50) {
        out += "\\'";
      } else if (how < 10) {
        out += "\\x" + hex_digits(rng, static_cast<unsigned char>(c), 2);
      } else if (how < 15) {
        out += "\\u{" + hex_digits(rng, static_cast<unsigned char>(c), 1 + rng.below(4)) + "}";
      } else {
        out += c;
      }
    } else if (how < 40) {
      out += seq;
    } else if (how < 70) {
      out += "\\u{" + hex_digits(rng, code_point(seq), 1 + rng.below(6)) + "}";
    } else {
      for (char c : seq) out += "\\x" + hex_digits(rng, static_cast<unsigned char>(c), 2);
    }
  }
  return out + "\"";
}

std::string spell_int(Rng& rng, int64_t value) {
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits =
      rng.chance(30) ? "0x" + hex_digits(rng, magnitude, 1) : std::to_string(magnitude);
  return (value < 0 ? "-" : "") + digits;
}

}  // namespace
