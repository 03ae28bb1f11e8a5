#pragma once

// Internal to differential_test.cpp: the random source and the building
// blocks of randomly generated rule packs (field types, literals and every
// spelling the language allows for them). Kept in a header of its own only
// to keep files small; it is included by one test file.

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <ctime>
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
  uint64_t bits() { return engine_(); }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }

 private:
  std::mt19937_64 engine_;
};

enum class FType { String, Int, Float, Bool, Timestamp, Duration, Ip };

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
    case FType::Timestamp:
      return ir::ValueType::Timestamp;
    case FType::Duration:
      return ir::ValueType::Duration;
    case FType::Ip:
      return ir::ValueType::Ip;
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
    case FType::Timestamp:
      return "timestamp";
    case FType::Duration:
      return "duration";
    case FType::Ip:
      return "ip";
  }
  return "string";
}

// The field functions: each becomes a derived slot.
enum class Fn {
  Lower,
  Upper,
  Basename,
  Dirname,
  Length,
  Year,
  Month,
  Day,
  Hour,
  Minute,
  Week,
  Weekday
};

const char* fn_name(Fn fn) {
  static const char* const kNames[] = {"lower",  "upper",  "basename", "dirname",
                                       "length", "year",   "month",    "day",
                                       "hour",   "minute", "week",     "weekday"};
  return kNames[static_cast<int>(fn)];
}

FType fn_result(Fn fn) {
  return fn <= Fn::Dirname ? FType::String : FType::Int;
}

// What the generator knows of a regular expression it wrote: when `known`,
// the pattern is `^`? (alt|alt...) `$`? over literal alternatives, so the
// model can decide it without a regex engine.
struct RegexShape {
  bool known = false;
  bool begin = false;
  bool end = false;
  std::vector<std::string> alts;
};

// A literal: its value and how the source spells it. An ip literal is an
// address (prefix 128) or a network, in the 128-bit space where IPv4 is
// mapped into ::ffff:0:0/96.
struct Lit {
  FType type = FType::String;
  std::string s;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  uint64_t hi = 0;
  uint64_t lo = 0;
  int prefix = 128;
  // Written as a network (`10.0.0.0/8`, `cidr(...)`): only `in` takes it.
  bool network = false;
  std::string text;
  // In a folded list, which value of the source list this one stands for:
  // the variants one call of windash or base64offset gives share a group,
  // and `all` wants one value of every group.
  int group = 0;
  RegexShape regex;
};

// The value a literal stands for against a float field: an int literal
// compares as a double.
double lit_double(const Lit& lit) {
  return lit.type == FType::Int ? static_cast<double>(lit.i) : lit.f;
}

enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Contains, StartsWith, EndsWith, Like, Matches };

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
    case Op::Like:
      return "like";
    case Op::Matches:
      return "matches";
  }
  return "==";
}

// `any` or `all` before a list on the right of a string operator; None
// leaves it out (meaning any).
enum class Quant { None, Any, All };

// A constant operand as written, and the values it folds to.
struct Operand {
  std::string text;
  std::vector<Lit> values;
  // Of list type: `[...]`, a named list, or a function giving several
  // values. Only then may `all` precede it.
  bool list = false;
  bool named = false;
};

// A value read from the event: a field (or, in a macro's body, a parameter)
// through field functions, innermost first.
struct Ref {
  int field = -1;
  std::vector<Fn> fns;
};

struct Expr {
  enum class Kind {
    Compare,  // lhs op rhs (a constant) or lhs op rhs_ref (another field)
    In,
    Not,
    And,
    Or,
    Bare,
    Const,
    Exists,
    Macro
  } kind = Kind::Const;
  Ref lhs;
  Op op = Op::Eq;
  bool cs = false;
  Quant quant = Quant::None;
  bool negated = false;
  Operand rhs;
  bool field_rhs = false;
  Ref rhs_ref;
  int macro = -1;
  std::vector<Ref> args;
  bool value = false;
  std::vector<Expr> kids;
  // The construct an atom stands for, in Coverage.
  int tag = -1;
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

// The names a condition can read: a schema's fields, or a macro's
// parameters (whose paths then only key the strings worth generating).
struct SchemaGen {
  std::string name;
  std::vector<Field> fields;
  std::vector<SelectClause> select;
};

struct NamedList {
  std::string name;
  FType type;
  std::string text;
  std::vector<Lit> values;
  // Every value is a regular expression of known shape.
  bool regexes = false;
};

struct MacroGen {
  std::string name;
  SchemaGen params;
  Expr body;
  std::string text;
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
// backslashes, NUL, glob wildcards, path separators, dashes (ASCII and the
// U+2013 windash makes of them), the Kelvin sign and the long s (which a
// case-insensitive regex matches for 'k' and 's') and the empty string.
const std::vector<std::string> kAtoms = {"a",
                                         "A",
                                         "b",
                                         "B",
                                         "ab",
                                         "aB",
                                         "Ab",
                                         "AB",
                                         "x",
                                         "X",
                                         "z",
                                         "Z",
                                         "\xC3\xA9",
                                         "\xC3\x89",
                                         "\xC3\x9F",
                                         "\xE2\x82\xAC",
                                         "\\",
                                         "'",
                                         "\"",
                                         " ",
                                         ".exe",
                                         ".EXE",
                                         "@",
                                         "[",
                                         "`",
                                         "{",
                                         "_",
                                         std::string("\0", 1),
                                         "*",
                                         "?",
                                         "/",
                                         "-",
                                         "\xE2\x80\x93",
                                         "\xE2\x84\xAA",
                                         "\xC5\xBF",
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
  // One draw flips up to 64 letters: texts run to hundreds of bytes.
  uint64_t coins = 0;
  for (size_t k = 0; k < text.size(); ++k) {
    if (k % 64 == 0) coins = rng.bits();
    auto c = static_cast<unsigned char>(text[k]);
    bool after_c3 = k > 0 && static_cast<unsigned char>(text[k - 1]) == 0xC3;
    bool next_continues =
        k + 1 < text.size() && (static_cast<unsigned char>(text[k + 1]) & 0xC0) == 0x80;
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (after_c3 && ((c >= 0x80 && c <= 0x9E) || (c >= 0xA0 && c <= 0xBE))) ||
                  ((c == 0xC9 || c == 0xE9 || c == 0xDA || c == 0xFA) && !next_continues);
    if (letter && ((coins >> (k % 64)) & 1)) text[k] = static_cast<char>(c ^ 0x20);
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

// The text without the bytes that are not part of a well-formed sequence.
std::string utf8_only(std::string_view text) {
  std::string out;
  for (size_t k = 0; k < text.size();) {
    size_t len = utf8_sequence(text, k);
    if (len > 0) out.append(text.substr(k, len));
    k += std::max<size_t>(len, 1);
  }
  return out;
}

// ------------------------------------------------------------ timestamps

constexpr int64_t kSecond = 1000000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

int64_t floor_div(int64_t a, int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// Microseconds since the epoch of a UTC civil time, by the C library's
// calendar (timegm), not socc's.
int64_t utc_micros(int year, int month, int day, int hour, int minute, int second, int micros) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<int64_t>(timegm(&tm)) * kSecond + micros;
}

// The civil UTC time of `micros`, by the C library.
std::tm utc_civil(int64_t micros) {
  time_t seconds = static_cast<time_t>(floor_div(micros, kSecond));
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return tm;
}

// Instants timestamps gather around: ordinary ones, the ends of ISO weeks
// and years (2024-12-30 is in week 1 of 2025, 2021-01-03 in week 53 of
// 2020), the epoch from both sides, a leap day, and the ends of the range
// a four-digit year can spell.
const std::vector<int64_t>& instants() {
  static const std::vector<int64_t> kInstants = {
      utc_micros(2024, 5, 1, 12, 0, 0, 0),          utc_micros(2024, 12, 30, 0, 0, 0, 0),
      utc_micros(2021, 1, 3, 23, 59, 59, 999999),   utc_micros(2020, 12, 31, 12, 0, 0, 0),
      utc_micros(2023, 1, 1, 0, 0, 0, 0),           utc_micros(1970, 1, 1, 0, 0, 0, 0),
      utc_micros(1969, 12, 31, 23, 59, 59, 500000), utc_micros(2000, 2, 29, 6, 30, 0, 0),
      utc_micros(2017, 1, 1, 0, 0, 0, 0),           utc_micros(1, 1, 1, 0, 0, 0, 0),
      utc_micros(9999, 12, 31, 23, 59, 59, 999999)};
  return kInstants;
}

// Steps around an instant: the neighbouring microsecond, second, minute,
// hour, day and week, and now and then a long way off.
int64_t time_step(Rng& rng) {
  static const std::vector<int64_t> kSteps = {0,     0,    0,    1,        kSecond,  kMinute,
                                              kHour, kDay, kDay, 7 * kDay, 30 * kDay};
  int64_t step =
      rng.chance(5) ? static_cast<int64_t>(rng.below(uint64_t{1} << 40)) : rng.pick(kSteps);
  return rng.chance(50) ? step : -step;
}

std::string two_digits(int value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

// A timestamp literal for `micros` in one of its spellings: a date alone
// at midnight, minutes without seconds, a fraction (digits past the sixth
// are cut), `Z`, no zone (UTC) or an offset, and a leap second `:60` for
// the second after it. Nullopt when the year would not be four digits.
std::optional<std::string> spell_timestamp(Rng& rng, int64_t micros) {
  static const std::vector<int> kOffsets = {0, 120, -330, 840, -720, 60, -60};
  int offset = rng.chance(30) ? rng.pick(kOffsets) : 0;
  bool zone_offset = offset != 0 || rng.chance(5);
  int64_t local = micros + int64_t{offset} * kMinute;
  int64_t fraction = local - floor_div(local, kSecond) * kSecond;
  std::tm tm = utc_civil(local);
  int year = tm.tm_year + 1900;
  if (year < 0 || year > 9999) return std::nullopt;
  bool leap_second = fraction == 0 && tm.tm_sec == 0 && rng.chance(5);
  if (leap_second) {
    tm = utc_civil(local - kSecond);
    year = tm.tm_year + 1900;
    if (year < 0 || year > 9999) return std::nullopt;
  }
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%s-%s", year, two_digits(tm.tm_mon + 1).c_str(),
                two_digits(tm.tm_mday).c_str());
  std::string zone;
  if (zone_offset) {
    int magnitude = offset < 0 ? -offset : offset;
    zone = std::string(offset < 0 ? "-" : "+") + two_digits(magnitude / 60) + ":" +
           two_digits(magnitude % 60);
  } else if (rng.chance(60)) {
    zone = "Z";
  }
  bool midnight =
      !leap_second && fraction == 0 && tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0;
  if (midnight && zone.empty() && rng.chance(40)) return std::string(date);
  std::string text = std::string(date) + "T" + two_digits(tm.tm_hour) + ":" + two_digits(tm.tm_min);
  if (!leap_second && fraction == 0 && tm.tm_sec == 0 && rng.chance(40)) return text + zone;
  text += ":" + (leap_second ? std::string("60") : two_digits(tm.tm_sec));
  if (fraction != 0 || rng.chance(10)) {
    char digits[8];
    std::snprintf(digits, sizeof digits, "%06lld", static_cast<long long>(fraction));
    std::string shown = digits;
    while (shown.size() > 1 && shown.back() == '0' && rng.chance(70)) shown.pop_back();
    if (shown.size() == 6 && rng.chance(20)) {
      for (size_t k = 0, n = 1 + rng.below(4); k < n; ++k) {
        shown += static_cast<char>('0' + rng.below(10));
      }
    }
    text += "." + shown;
  }
  return text + zone;
}

// ------------------------------------------------------------ durations

// Durations in microseconds: the unit boundaries and their neighbours.
const std::vector<int64_t> kDurations = {0,
                                         1,
                                         999,
                                         1000,
                                         1500,
                                         kSecond,
                                         59 * kSecond,
                                         kMinute,
                                         90 * kSecond,
                                         kHour,
                                         90 * kMinute,
                                         kDay,
                                         36 * kHour,
                                         7 * kDay};

// A duration literal for `micros` (>= 0): parts in random units, in any
// order, as the language allows (`1h30m`, `90m`, `5400s`, `30m1h`).
std::string spell_duration(Rng& rng, int64_t micros) {
  static const std::vector<std::pair<const char*, int64_t>> kUnits = {
      {"d", kDay}, {"h", kHour}, {"m", kMinute}, {"s", kSecond}, {"ms", 1000}, {"us", 1}};
  if (micros == 0) return rng.pick(std::vector<std::string>{"0s", "0us", "0m", "0d"});
  std::vector<std::string> parts;
  int64_t left = micros;
  while (left > 0) {
    std::vector<std::pair<const char*, int64_t>> fitting;
    for (const auto& unit : kUnits) {
      if (unit.second <= left) fitting.push_back(unit);
    }
    const auto& unit = rng.pick(fitting);
    int64_t most = left / unit.second;
    int64_t count = rng.chance(60) ? most : 1 + static_cast<int64_t>(rng.below(most));
    parts.push_back(std::to_string(count) + unit.first);
    left -= count * unit.second;
  }
  if (rng.chance(20)) std::swap(parts.front(), parts.back());
  std::string text;
  for (const std::string& part : parts) text += part;
  return text;
}

// ------------------------------------------------------------ addresses

// Addresses and networks that overlap: IPv4 around 10/8, 172.16/12 and
// 192.168/16, prefixes either side of the 64-bit halves, IPv4-mapped and
// IPv4-compatible IPv6, and the extremes.
const std::vector<std::string> kIpv4Addresses = {
    "10.0.0.1",    "10.1.2.3",      "10.1.2.200",  "10.255.255.255",  "11.0.0.1",
    "192.168.1.1", "192.168.1.200", "192.168.2.1", "172.16.5.4",      "172.31.255.255",
    "172.32.0.1",  "127.0.0.1",     "0.0.0.0",     "255.255.255.255", "8.8.8.8"};
const std::vector<std::string> kIpv4Networks = {"10.0.0.0/8",    "10.1.0.0/16",    "10.1.2.0/24",
                                                "10.1.2.128/25", "192.168.0.0/16", "192.168.1.0/24",
                                                "172.16.0.0/12", "127.0.0.0/8",    "0.0.0.0/0",
                                                "8.8.8.8/32",    "11.0.0.0/31"};
const std::vector<std::string> kIpv6Addresses = {"::1",
                                                 "::",
                                                 "fe80::1",
                                                 "fe80::abcd:1",
                                                 "febf:ffff::1",
                                                 "fec0::1",
                                                 "2001:db8::1",
                                                 "2001:db8:0:1::5",
                                                 "2001:db8:8000::1",
                                                 "2001:db9::1",
                                                 "::ffff:10.1.2.3",
                                                 "::ffff:192.168.1.1",
                                                 "::10.1.2.3",
                                                 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                                                 "64:ff9b::a01:203",
                                                 "2001:db8::ffff:0:1"};
const std::vector<std::string> kIpv6Networks = {"fe80::/10",     "2001:db8::/32",
                                                "2001:db8::/33", "2001:db8:8000::/33",
                                                "2001:db8::/48", "2001:db8:0:1::/64",
                                                "2001:db8::/63", "2001:db8:0:1::/65",
                                                "::/0",          "::1/128",
                                                "::ffff:0:0/96", "::ffff:10.0.0.0/104",
                                                "ff00::/8",      "::/64",
                                                "::/127"};

// An address or network by the C library's inet_pton, not socc's parser.
Lit ip_lit(const std::string& text) {
  Lit lit;
  lit.type = FType::Ip;
  size_t slash = text.find('/');
  std::string address = text.substr(0, slash);
  unsigned char bytes[16] = {};
  bool v4 = inet_pton(AF_INET, address.c_str(), bytes + 12) == 1;
  if (v4) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
  } else if (inet_pton(AF_INET6, address.c_str(), bytes) != 1) {
    FAIL("not an address in the pool: " << text);
  }
  for (int k = 0; k < 8; ++k) lit.hi = (lit.hi << 8) | bytes[k];
  for (int k = 8; k < 16; ++k) lit.lo = (lit.lo << 8) | bytes[k];
  lit.network = slash != std::string::npos;
  lit.prefix = lit.network ? std::atoi(text.c_str() + slash + 1) + (v4 ? 96 : 0) : 128;
  return lit;
}

// An address literal: IPv4 bare (`10.0.0.1`) or as ip("..."), also in its
// IPv4-mapped IPv6 form; IPv6 only as ip("...").
Lit random_address_lit(Rng& rng) {
  bool v4 = rng.chance(55);
  std::string text = rng.pick(v4 ? kIpv4Addresses : kIpv6Addresses);
  Lit lit = ip_lit(text);
  if (v4 && rng.chance(65)) {
    lit.text = text;
  } else if (v4 && rng.chance(30)) {
    lit.text = "ip(\"::ffff:" + text + "\")";
  } else {
    lit.text = "ip(\"" + random_case(rng, text) + "\")";
  }
  return lit;
}

// A network literal (`10.0.0.0/8`, cidr("...")), or now and then an
// address, which `in` takes as a network of one, written bare or as
// cidr("address").
Lit random_network_lit(Rng& rng) {
  int how = static_cast<int>(rng.below(100));
  if (how < 15) return random_address_lit(rng);
  if (how < 20) {
    std::string address = rng.pick(kIpv6Addresses);
    Lit lit = ip_lit(address);
    lit.network = true;
    lit.text = "cidr(\"" + address + "\")";
    return lit;
  }
  bool v4 = how < 60;
  std::string text = rng.pick(v4 ? kIpv4Networks : kIpv6Networks);
  Lit lit = ip_lit(text);
  lit.text = v4 && rng.chance(65) ? text : "cidr(\"" + random_case(rng, text) + "\")";
  return lit;
}

// Escapes a literal for RE2: metacharacters take a backslash, control bytes
// are written \x{HH}. The text must be well-formed UTF-8.
std::string regex_escape(std::string_view text) {
  static const std::string_view kMeta = "\\.+*?()|[]{}^$";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (kMeta.find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "\\x{%02X}", u);
      out += buffer;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace
