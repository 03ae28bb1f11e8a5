// Selections and value modifiers: `Field|mod|mod: value or list` items,
// maps of them, lists of maps, and keyword lists, written as socc
// conditions. docs/sigma.md gives the correspondence.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sigma/rule_translator.h"
#include "compiler/sigma/socc_text.h"
#include "runtime/ip.h"

namespace socc::sigma {

using diagnostics::Kind;

namespace {

// Values one rule may expand to (lists, placeholders, aliases of YAML
// anchors): past this the rule is refused rather than the compiler made
// to build an unbounded condition.
constexpr size_t kMaxValues = 100000;

const char* const kModifiers[] = {
    "contains", "startswith", "endswith", "all",    "cased",   "base64",   "base64offset",
    "utf16le",  "utf16be",    "utf16",    "wide",   "windash", "re",       "i",
    "m",        "s",          "cidr",     "exists", "expand",  "fieldref", "gt",
    "gte",      "lt",         "lte",      "neq",    "minute",  "hour",     "day",
    "week",     "month",      "year"};

bool is_encoding(const std::string& m) {
  return m == "base64" || m == "base64offset" || m == "utf16le" || m == "utf16be" || m == "utf16" ||
         m == "wide" || m == "windash";
}

bool is_time_part(const std::string& m) {
  return m == "minute" || m == "hour" || m == "day" || m == "week" || m == "month" || m == "year";
}

// A Sigma string split into literal text and wildcards. `\` escapes `*`,
// `?` and `\`; before any other character it is a plain backslash.
struct Pattern {
  std::string glob;     // in socc glob syntax
  std::string literal;  // the text with escapes resolved
  bool wildcards = false;
};

Pattern sigma_pattern(const std::string& value) {
  Pattern out;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c == '\\' && i + 1 < value.size() &&
        (value[i + 1] == '*' || value[i + 1] == '?' || value[i + 1] == '\\')) {
      char escaped = value[++i];
      out.literal += escaped;
      out.glob += escaped == '*' ? "[*]" : escaped == '?' ? "[?]" : "\\";
      continue;
    }
    if (c == '*' || c == '?') {
      out.wildcards = true;
      out.glob += c;
      continue;
    }
    out.literal += c;
    out.glob += c == '[' ? std::string("[[]") : std::string(1, c);
  }
  return out;
}

// A plain scalar that YAML reads as a number.
std::optional<double> number(const YAML::Node& node) {
  if (!node.IsScalar() || !is_plain(node)) return std::nullopt;
  const std::string& text = node.Scalar();
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool is_null(const YAML::Node& node) {
  return node.IsNull() || (node.IsScalar() && is_plain(node) &&
                           (node.Scalar() == "null" || node.Scalar() == "~" ||
                            node.Scalar() == "Null" || node.Scalar() == "NULL"));
}

std::optional<bool> boolean(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  std::string text = ascii_lower(node.Scalar());
  if (text == "true" || text == "yes") return true;
  if (text == "false" || text == "no") return false;
  return std::nullopt;
}

std::string list_text(const std::vector<Operand>& operands) {
  std::string out = "[";
  for (size_t i = 0; i < operands.size(); ++i) out += (i ? ", " : "") + operands[i].text;
  return out + "]";
}

}  // namespace

struct RuleTranslator::Modifiers {
  std::string op;  // contains, startswith, endswith, or empty
  bool all = false;
  bool cased = false;
  bool re = false;
  std::string re_flags;
  bool cidr = false;
  bool exists = false;
  bool expand = false;
  bool fieldref = false;
  bool neq = false;
  std::string compare;  // gt, gte, lt, lte
  std::string time_part;
  std::vector<std::string> encodings;
};

bool RuleTranslator::count_value(const YAML::Node& at) {
  if (++values_ <= kMaxValues) return true;
  if (values_ == kMaxValues + 1) {
    error(Kind::SigmaValue, at, fmt::format("the rule expands to more than {} values", kMaxValues));
  }
  return false;
}

std::string RuleTranslator::field(const std::string& sigma_name, const std::string& type) {
  return front_.use_field(sigma_name, type, entries_);
}

std::optional<Text> RuleTranslator::selection(const std::string& name, const YAML::Node& value) {
  if (value.IsMap()) {
    if (value.size() == 0) {
      error(Kind::SigmaStructure, value, fmt::format("selection '{}' is empty", name));
      return std::nullopt;
    }
    return selection_map(value);
  }
  if (value.IsSequence()) {
    if (value.size() == 0) {
      error(Kind::SigmaStructure, value, fmt::format("selection '{}' is an empty list", name));
      return std::nullopt;
    }
    std::vector<Text> parts;
    std::vector<YAML::Node> words;
    for (const YAML::Node& item : value) {
      if (item.IsMap()) {
        auto part = selection_map(item);
        if (!part) return std::nullopt;
        parts.push_back(std::move(*part));
      } else if (item.IsScalar()) {
        words.push_back(item);
      } else {
        error(Kind::SigmaStructure, item,
              fmt::format("selection '{}' lists something that is neither a map nor a keyword",
                          name));
        return std::nullopt;
      }
    }
    if (!words.empty()) {
      auto part = keywords(words, {}, value);
      if (!part) return std::nullopt;
      parts.push_back(std::move(*part));
    }
    return join(parts, false);
  }
  if (value.IsScalar() && !is_null(value)) return keywords({value}, {}, value);
  error(Kind::SigmaStructure, value.IsDefined() ? value : rule_,
        fmt::format("selection '{}' is neither a map nor a list", name));
  return std::nullopt;
}

std::optional<Text> RuleTranslator::selection_map(const YAML::Node& map) {
  std::vector<Text> parts;
  if (map.size() == 0) {
    error(Kind::SigmaStructure, map, "an empty map in a selection");
    return std::nullopt;
  }
  for (const auto& item : map) {
    auto part = field_item(item.first, item.second);
    if (!part) return std::nullopt;
    parts.push_back(std::move(*part));
  }
  return join(parts, true);
}

std::optional<Text> RuleTranslator::field_item(const YAML::Node& key, const YAML::Node& value) {
  std::string spec = scalar_text(key).value_or("");
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t bar = spec.find('|', start);
    parts.push_back(spec.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  std::string name = parts.front();
  std::vector<std::string> modifiers(parts.begin() + 1, parts.end());

  std::vector<YAML::Node> values;
  if (value.IsSequence()) {
    for (const YAML::Node& item : value) values.push_back(item);
    if (values.empty()) {
      error(Kind::SigmaValue, value, fmt::format("'{}' is given an empty list", spec));
      return std::nullopt;
    }
  } else if (value.IsMap()) {
    error(Kind::SigmaValue, value, fmt::format("'{}' is given a map, not a value", spec));
    return std::nullopt;
  } else {
    values.push_back(value);
  }
  if (name.empty()) return keywords(values, modifiers, key);

  Modifiers mods;
  for (const std::string& m : modifiers) {
    if (std::find(std::begin(kModifiers), std::end(kModifiers), m) == std::end(kModifiers)) {
      auto& d = front_.sink_->emit(Kind::SigmaModifier, source_.span(key),
                                   fmt::format("'{}' is not a Sigma modifier", m));
      diagnostics::suggest(d, m,
                           std::vector<std::string>(std::begin(kModifiers), std::end(kModifiers)));
      if (!title_.empty()) {
        d.notes.push_back({{}, false, fmt::format("in Sigma rule '{}'", title_)});
      }
      failed_ = true;
      return std::nullopt;
    }
    auto conflict = [&](bool taken) {
      if (!taken) return false;
      error(Kind::SigmaModifier, key,
            fmt::format("modifier '{}' does not combine with the ones before it in '{}'", m, spec));
      return true;
    };
    if (m == "contains" || m == "startswith" || m == "endswith") {
      if (conflict(!mods.op.empty() || mods.re || mods.cidr)) return std::nullopt;
      mods.op = m;
    } else if (m == "all") {
      mods.all = true;
    } else if (m == "cased") {
      mods.cased = true;
    } else if (is_encoding(m)) {
      if (conflict(mods.re || mods.cidr)) return std::nullopt;
      mods.encodings.push_back(m == "wide" ? "utf16le" : m);
    } else if (m == "re") {
      if (conflict(!mods.op.empty() || !mods.encodings.empty() || mods.cidr)) return std::nullopt;
      mods.re = true;
    } else if (m == "i" || m == "m" || m == "s") {
      if (!mods.re) {
        error(Kind::SigmaModifier, key, fmt::format("modifier '{}' applies only after 're'", m));
        return std::nullopt;
      }
      if (mods.re_flags.find(m) == std::string::npos) mods.re_flags += m;
    } else if (m == "cidr") {
      if (conflict(!mods.op.empty() || mods.re || !mods.encodings.empty())) return std::nullopt;
      mods.cidr = true;
    } else if (m == "exists") {
      mods.exists = true;
    } else if (m == "expand") {
      mods.expand = true;
    } else if (m == "fieldref") {
      mods.fieldref = true;
    } else if (m == "neq") {
      mods.neq = true;
    } else if (m == "gt" || m == "gte" || m == "lt" || m == "lte") {
      if (conflict(!mods.compare.empty())) return std::nullopt;
      mods.compare = m;
    } else if (is_time_part(m)) {
      if (conflict(!mods.time_part.empty())) return std::nullopt;
      mods.time_part = m;
    }
  }
  bool plain_string = mods.op.empty() && !mods.re && mods.encodings.empty() && !mods.cidr;
  if (mods.exists) {
    if (modifiers.size() != 1 || values.size() != 1 || !boolean(values.front())) {
      error(Kind::SigmaModifier, key,
            "'exists' stands alone and takes true or false: 'Field|exists: true'");
      return std::nullopt;
    }
    // Sigma's exists asks for the key, whatever its value (null included).
    Text test{fmt::format("exists({})", field(name, "key")), Text::Atom};
    return *boolean(values.front()) ? test : negate(test);
  }
  if (mods.fieldref) {
    std::vector<Text> tests;
    std::string op = mods.op.empty() ? "==" : mods.op;
    for (const YAML::Node& item : values) {
      auto other = scalar_text(item);
      if (!other || other->empty()) {
        error(Kind::SigmaValue, item, "'fieldref' takes the name of another field");
        return std::nullopt;
      }
      Text test{fmt::format("{} {}{} {}", field(name, "string"), op, mods.cased ? " cs" : "",
                            field(*other, "string")),
                Text::Atom};
      tests.push_back(mods.neq ? negate(test) : test);
    }
    return join(tests, mods.all || mods.neq);
  }
  if (!mods.compare.empty() || !mods.time_part.empty()) {
    if (!plain_string || mods.expand) {
      error(Kind::SigmaModifier, key,
            fmt::format("'{}' compares numbers and takes no string modifiers", spec));
      return std::nullopt;
    }
    static const std::map<std::string, std::string> kOps = {
        {"gt", ">"}, {"gte", ">="}, {"lt", "<"}, {"lte", "<="}, {"", "=="}};
    std::vector<Text> tests;
    for (const YAML::Node& item : values) {
      auto value = number(item);
      if (!value && item.IsScalar()) {
        char* end = nullptr;
        double parsed = std::strtod(item.Scalar().c_str(), &end);
        if (!item.Scalar().empty() && end == item.Scalar().c_str() + item.Scalar().size() &&
            std::isfinite(parsed)) {
          value = parsed;
        }
      }
      if (!value) {
        error(Kind::SigmaValue, item, fmt::format("'{}' takes a number", spec));
        return std::nullopt;
      }
      bool integral = *value == std::floor(*value) && std::fabs(*value) < 9.0e18;
      std::string subject;
      if (!mods.time_part.empty()) {
        subject = fmt::format("{}({})", mods.time_part, field(name, "timestamp"));
        if (!integral) {
          error(Kind::SigmaValue, item, fmt::format("'{}' takes a whole number", mods.time_part));
          return std::nullopt;
        }
      } else {
        subject = field(name, integral ? "int" : "float");
      }
      std::string literal =
          integral ? std::to_string(static_cast<int64_t>(*value)) : fmt::format("{}", *value);
      if (!integral && literal.find('.') == std::string::npos) literal += ".0";
      Text test{fmt::format("{} {} {}", subject, kOps.at(mods.compare), literal), Text::Atom};
      tests.push_back(mods.neq ? negate(test) : test);
    }
    return join(tests, mods.all || mods.neq);
  }
  if (mods.cidr) {
    std::vector<Operand> networks;
    for (const YAML::Node& item : values) {
      auto text = scalar_text(item);
      std::string why;
      if (!text || !runtime::parse_cidr(*text, &why)) {
        error(Kind::SigmaValue, item,
              fmt::format("'{}' is not a network: {}", text.value_or(""),
                          why.empty() ? "expected a.b.c.d/n or an IPv6 network" : why));
        return std::nullopt;
      }
      if (!count_value(item)) return std::nullopt;
      networks.push_back({fmt::format("cidr({})", quote(*text)), false});
    }
    std::string subject = field(name, "ip");
    if (mods.all) {
      std::vector<Text> tests;
      for (const Operand& network : networks) {
        tests.push_back({fmt::format("{} in {}", subject, network.text), Text::Atom});
      }
      return join(tests, true);
    }
    Text test{fmt::format("{} in {}", subject,
                          networks.size() == 1 ? networks.front().text : list_text(networks)),
              Text::Atom};
    return mods.neq ? negate(test) : test;
  }
  return string_values(name, mods, values, key);
}

// Plain, contains / startswith / endswith, re, and the encodings.
std::optional<Text> RuleTranslator::string_values(const std::string& field_name,
                                                  const Modifiers& mods,
                                                  const std::vector<YAML::Node>& values,
                                                  const YAML::Node& at) {
  std::string subject = field_name.empty() ? kEventTextField : field(field_name, "string");
  // Values grouped by operator, in order: one comparison per group.
  std::vector<std::pair<std::string, std::vector<Operand>>> groups;
  std::vector<Text> absent;
  for (const YAML::Node& item : values) {
    if (is_null(item)) {
      if (!mods.op.empty() || mods.re || !mods.encodings.empty() || field_name.empty()) {
        error(Kind::SigmaValue, item, "null takes no modifiers: 'Field: null'");
        return std::nullopt;
      }
      absent.push_back(negate({fmt::format("exists({})", subject), Text::Atom}));
      continue;
    }
    if (!item.IsScalar()) {
      error(Kind::SigmaValue, item, "a value is a string, a number or a boolean");
      return std::nullopt;
    }
    std::vector<std::string> texts;
    if (mods.expand) {
      auto expanded = expand(item.Scalar(), item);
      if (!expanded) return std::nullopt;
      texts = std::move(*expanded);
    } else {
      texts.push_back(item.Scalar());
    }
    for (const std::string& text : texts) {
      if (!count_value(item)) return std::nullopt;
      std::string op;
      auto operand = string_operand(text, mods, item, &op);
      if (!operand) return std::nullopt;
      if (groups.empty() || groups.back().first != op) groups.push_back({op, {}});
      groups.back().second.push_back(std::move(*operand));
    }
  }
  std::vector<Text> tests;
  for (auto& [group_op, operands] : groups) {
    // `re|i` is socc's case-insensitive `matches`; every other `re` is exact.
    bool insensitive_re = group_op == "matches_i";
    const std::string op = insensitive_re ? "matches" : group_op;
    const std::string cs = insensitive_re || !(mods.cased || mods.re) ? "" : " cs";
    bool several = operands.size() > 1 || operands.front().list;
    if (op == "==") {
      if (!several) {
        tests.push_back(
            {fmt::format("{} =={} {}", subject, cs, operands.front().text), Text::Atom});
      } else if (mods.all) {
        for (const Operand& operand : operands) {
          std::string right = operand.list ? "[" + operand.text + "]" : operand.text;
          tests.push_back(
              {fmt::format("{} {}{} {}", subject, operand.list ? "in" : "==", cs, right),
               Text::Atom});
        }
      } else {
        tests.push_back({fmt::format("{} in{} {}", subject, cs, list_text(operands)), Text::Atom});
      }
      continue;
    }
    std::string right = operands.size() == 1 ? operands.front().text : list_text(operands);
    std::string quantifier = mods.all && several ? " all" : "";
    tests.push_back({fmt::format("{} {}{}{} {}", subject, op, cs, quantifier, right), Text::Atom});
  }
  Text result = tests.empty() ? Text{} : join(tests, mods.all);
  if (mods.neq && !tests.empty()) {
    // Different from every value: none of them matches.
    std::vector<Text> negated;
    for (const Text& test : tests) negated.push_back(negate(test));
    result = join(negated, true);
  }
  if (absent.empty()) return result;
  if (!tests.empty()) absent.push_back(result);
  return join(absent, mods.all);
}

std::optional<Text> RuleTranslator::keywords(const std::vector<YAML::Node>& values,
                                             const std::vector<std::string>& modifiers,
                                             const YAML::Node& at) {
  Modifiers mods;
  for (const std::string& m : modifiers) {
    if (m == "all") {
      mods.all = true;
    } else if (m == "cased") {
      mods.cased = true;
    } else if (is_encoding(m)) {
      mods.encodings.push_back(m == "wide" ? "utf16le" : m);
    } else if (m != "contains") {
      error(Kind::SigmaModifier, at,
            fmt::format("modifier '{}' does not apply to keywords (values without a field)", m));
      return std::nullopt;
    }
  }
  // A keyword matches where it occurs in some value of the event.
  mods.op = "contains";
  for (const LogsourceEntry* entry : entries_) {
    front_.schema_fields_[entry][kEventTextField] = {"", "string"};
  }
  return string_values("", mods, values, at);
}

std::optional<std::vector<std::string>> RuleTranslator::expand(const std::string& value,
                                                               const YAML::Node& at) {
  // `%name%` placeholders, each replaced by every value bound to it; `\%`
  // is a plain percent sign.
  std::vector<std::string> results{""};
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size() && value[i + 1] == '%') {
      for (std::string& r : results) r += '%';
      ++i;
      continue;
    }
    size_t close = value[i] == '%' ? value.find('%', i + 1) : std::string::npos;
    if (close == std::string::npos) {
      for (std::string& r : results) r += value[i];
      continue;
    }
    std::string name = value.substr(i + 1, close - i - 1);
    auto bound = front_.pipeline_.placeholders.find(name);
    if (bound == front_.pipeline_.placeholders.end() || bound->second.empty()) {
      error(Kind::SigmaPlaceholder, at,
            fmt::format("placeholder %{}% has no values: bind it under 'placeholders' in a "
                        "pipeline (--pipeline)",
                        name));
      return std::nullopt;
    }
    std::vector<std::string> next;
    for (const std::string& r : results) {
      for (const std::string& v : bound->second) {
        if (next.size() >= kMaxValues) {
          error(Kind::SigmaValue, at,
                fmt::format("placeholders expand to more than {} values", kMaxValues));
          return std::nullopt;
        }
        next.push_back(r + v);
      }
    }
    results = std::move(next);
    i = close;
  }
  return results;
}

std::optional<Operand> RuleTranslator::string_operand(const std::string& value,
                                                      const Modifiers& mods, const YAML::Node& at,
                                                      std::string* op) {
  if (mods.re) {
    std::string flags;
    for (char f : mods.re_flags) {
      if (f != 'i') flags += f;
    }
    std::string pattern = flags.empty() ? value : "(?" + flags + ")" + value;
    // Case-insensitive when `i` is given: socc's `matches` without `cs`.
    *op = mods.re_flags.find('i') != std::string::npos ? "matches_i" : "matches";
    return Operand{quote(pattern), false};
  }
  Pattern pattern = sigma_pattern(value);
  bool windash_only = mods.encodings.size() == 1 && mods.encodings.front() == "windash";
  if (pattern.wildcards && !mods.encodings.empty() && !windash_only) {
    error(Kind::SigmaValue, at,
          fmt::format("'{}' has wildcards, which the {} modifier cannot encode", value,
                      mods.encodings.back()));
    return std::nullopt;
  }
  bool list = false;
  for (const std::string& encoding : mods.encodings) {
    if (encoding == "base64offset" && mods.op != "contains") {
      error(Kind::SigmaModifier, at, "'base64offset' needs 'contains' after it");
      return std::nullopt;
    }
    list |= encoding == "windash" || encoding == "base64offset";
  }
  std::string text;
  if (pattern.wildcards) {
    std::string glob = pattern.glob;
    if (mods.op == "contains" || mods.op == "endswith") glob = "*" + glob;
    if (mods.op == "contains" || mods.op == "startswith") glob += "*";
    *op = "like";
    text = quote(glob);
  } else {
    *op = mods.op.empty() ? "==" : mods.op;
    text = quote(pattern.literal);
  }
  for (const std::string& encoding : mods.encodings) text = encoding + "(" + text + ")";
  return Operand{text, list};
}

}  // namespace socc::sigma
