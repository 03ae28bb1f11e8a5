#include "runtime/decoder.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "runtime/ip.h"
#include "runtime/timestamp.h"

namespace socc::runtime {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

struct TrieNode {
  std::vector<std::pair<std::string, int>> children;
  std::vector<int> slots;
  // Slots of the path with a `?` after it: present whenever the key is.
  std::vector<int> key_slots;
};

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

// Parses a decimal or 0x-hexadecimal integer written as a string, as
// Windows writes many numeric fields ("0x3e7", "50106").
bool parse_int(std::string_view text, int64_t* out) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out, base);
  return error == std::errc() && end == text.data() + text.size();
}

// Parses a decimal number written as a string. Non-finite values ("inf",
// "nan", or too large for a double) are not numbers an event can mean.
bool parse_float(std::string_view text, double* out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && std::isfinite(*out);
}

// Whether `token` is a number in JSON's grammar:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool json_number_grammar(std::string_view token, bool* integer) {
  auto digits = [&](size_t at) {
    size_t end = at;
    while (end < token.size() && token[end] >= '0' && token[end] <= '9') ++end;
    return end;
  };
  size_t i = token.starts_with('-') ? 1 : 0;
  size_t end = digits(i);
  if (end == i || (token[i] == '0' && end > i + 1)) return false;
  *integer = true;
  i = end;
  if (i < token.size() && token[i] == '.') {
    end = digits(i + 1);
    if (end == i + 1) return false;
    *integer = false;
    i = end;
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    end = digits(i);
    if (end == i) return false;
    *integer = false;
    i = end;
  }
  return i == token.size();
}

// Whether simdjson refuses `token`, a JSON number, as out of range: an
// integer outside both int64 and uint64, or a number that rounds to an
// infinite double (simdjson reads underflow as zero).
bool unrepresentable_number(std::string_view token, bool* integer) {
  if (!json_number_grammar(token, integer)) return false;
  const char* end = token.data() + token.size();
  if (*integer) {
    int64_t signed_value;
    uint64_t unsigned_value;
    if (token.starts_with('-')) {
      return std::from_chars(token.data(), end, signed_value).ec != std::errc();
    }
    return std::from_chars(token.data(), end, unsigned_value).ec != std::errc();
  }
  // from_chars reports overflow and underflow alike; strtod tells them
  // apart. socc never sets a locale, so the decimal point is '.'.
  std::string copy(token);
  return std::isinf(std::strtod(copy.c_str(), nullptr));
}

bool number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Copies `line` into `out` with each number token outside strings that
// simdjson cannot represent turned into a JSON string of the same text.
// One pass, aware of string escapes. Returns false when no token needed
// quoting. The quoted integers are listed (offset and size in `out`):
// their text would read as a float, which a float field must not do.
bool quote_unrepresentable_numbers(std::string_view line, std::string* out,
                                   std::vector<std::pair<size_t, size_t>>* integers) {
  out->clear();
  integers->clear();
  bool quoted = false;
  size_t copied = 0;
  bool in_string = false;
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
      ++i;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < line.size() && number_char(line[end])) ++end;
    std::string_view token = line.substr(i, end - i);
    bool integer = false;
    if (unrepresentable_number(token, &integer)) {
      out->append(line.substr(copied, i - copied));
      out->push_back('"');
      if (integer) integers->emplace_back(out->size(), token.size());
      out->append(token);
      out->push_back('"');
      copied = end;
      quoted = true;
    }
    i = end;
  }
  if (!quoted) return false;
  out->append(line.substr(copied));
  return true;
}

// What filling the slots of one event needs besides the document.
struct Fill {
  const std::vector<ir::ValueType>& types;
  socc_slot* slots;
  std::vector<std::array<char, 32>>& scratch;
  // Sorted texts of the integers the event wrote that no int can hold.
  const std::vector<std::string_view>& big_integers;
};

}  // namespace

struct Decoder::State {
  simdjson::dom::parser parser;
  std::vector<TrieNode> trie{1};
  // Text of numbers and booleans read into string slots, one buffer per
  // slot so that values stay put while the event is matched.
  std::vector<std::array<char, 32>> scratch;
  // The event with its out-of-range numbers quoted, and the integers among
  // them (offsets into `requoted`, then views sorted for lookup).
  std::string requoted;
  std::vector<std::pair<size_t, size_t>> big_integer_offsets;
  std::vector<std::string_view> big_integers;
  // Slots of the path `*`: every value of the event, as one text.
  std::vector<int> text_slots;
  std::string event_text;
};

Decoder::Decoder(const std::vector<ir::Slot>& slots)
    : state_(std::make_unique<State>()), deriver_(slots) {
  state_->scratch.resize(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    slot_types_.push_back(slots[i].type);
    // Derived slots read no path; the deriver fills them.
    if (slots[i].derive != ir::Derive::None) continue;
    if (slots[i].path == kEventTextPath) {
      if (slots[i].type == ir::ValueType::String) state_->text_slots.push_back(static_cast<int>(i));
      continue;
    }
    std::string path = slots[i].path;
    bool key_only = path.size() > 1 && path.back() == kKeyPresenceSuffix;
    if (key_only) path.pop_back();
    int node = 0;
    for (const std::string& key : split_path(path)) {
      auto& children = state_->trie[node].children;
      auto it = std::find_if(children.begin(), children.end(),
                             [&](const auto& c) { return c.first == key; });
      if (it != children.end()) {
        node = it->second;
        continue;
      }
      int child = static_cast<int>(state_->trie.size());
      children.emplace_back(key, child);
      state_->trie.emplace_back();
      node = child;
    }
    (key_only ? state_->trie[node].key_slots : state_->trie[node].slots)
        .push_back(static_cast<int>(i));
  }
}

Decoder::~Decoder() = default;

namespace {

void fill_slot(const Fill& fill, int index, element value) {
  ir::ValueType type = fill.types[index];
  socc_slot& slot = fill.slots[index];
  std::array<char, 32>& scratch = fill.scratch[index];
  // An element with attributes carries its text in `#text`.
  if (value.type() == element_type::OBJECT) {
    element text;
    if (value.get_object()["#text"].get(text) != simdjson::SUCCESS) return;
    value = text;
  }
  element_type kind = value.type();
  switch (type) {
    case ir::ValueType::String: {
      if (kind == element_type::STRING) {
        std::string_view text = value.get_string().value_unsafe();
        slot.data = text.data();
        slot.size = text.size();
      } else if (kind == element_type::INT64 || kind == element_type::UINT64 ||
                 kind == element_type::DOUBLE || kind == element_type::BOOL) {
        std::string text;
        if (kind == element_type::INT64) text = std::to_string(int64_t(value));
        if (kind == element_type::UINT64) text = std::to_string(uint64_t(value));
        if (kind == element_type::DOUBLE) text = fmt::format("{}", double(value));
        if (kind == element_type::BOOL) text = bool(value) ? "true" : "false";
        size_t size = std::min(text.size(), scratch.size());
        std::memcpy(scratch.data(), text.data(), size);
        slot.data = scratch.data();
        slot.size = size;
      } else {
        return;
      }
      break;
    }
    case ir::ValueType::Int:
      if (kind == element_type::INT64) {
        slot.integer = int64_t(value);
      } else if (kind == element_type::UINT64) {
        uint64_t v = uint64_t(value);
        if (v > uint64_t(INT64_MAX)) return;
        slot.integer = static_cast<int64_t>(v);
      } else if (kind == element_type::STRING) {
        // Quoted out-of-range numbers never parse as int64: missing.
        if (!parse_int(value.get_string().value_unsafe(), &slot.integer)) return;
      } else {
        return;
      }
      slot.real = static_cast<double>(slot.integer);
      break;
    case ir::ValueType::Float:
      if (kind == element_type::DOUBLE || kind == element_type::INT64 ||
          kind == element_type::UINT64) {
        slot.real = double(value);
      } else if (kind == element_type::STRING) {
        std::string_view text = value.get_string().value_unsafe();
        // An integer the event wrote as a number too large for any int is
        // missing, not rounded; quoted overflowing floats fail parse_float.
        if (std::binary_search(fill.big_integers.begin(), fill.big_integers.end(), text)) {
          return;
        }
        if (!parse_float(text, &slot.real)) return;
      } else {
        return;
      }
      break;
    case ir::ValueType::Bool:
      if (kind == element_type::BOOL) {
        slot.boolean = bool(value);
      } else if (kind == element_type::STRING) {
        std::string_view text = value.get_string().value_unsafe();
        if (text == "true" || text == "True") {
          slot.boolean = 1;
        } else if (text == "false" || text == "False") {
          slot.boolean = 0;
        } else {
          return;
        }
      } else {
        return;
      }
      break;
    case ir::ValueType::Duration: {
      // A number of seconds, as logs write elapsed times.
      double seconds = 0;
      if (kind == element_type::DOUBLE || kind == element_type::INT64 ||
          kind == element_type::UINT64) {
        seconds = double(value);
      } else if (kind != element_type::STRING ||
                 !parse_float(value.get_string().value_unsafe(), &seconds)) {
        return;
      }
      double micros = std::round(seconds * 1e6);
      if (!(std::fabs(micros) < 9.2e18)) return;
      slot.integer = static_cast<int64_t>(micros);
      break;
    }
    case ir::ValueType::Ip: {
      if (kind != element_type::STRING) return;
      std::string_view text = value.get_string().value_unsafe();
      auto address = parse_ip(text);
      if (!address) return;
      slot.integer = static_cast<int64_t>(address->hi);
      slot.low = address->lo;
      slot.data = text.data();
      slot.size = text.size();
      break;
    }
    case ir::ValueType::Timestamp: {
      if (kind != element_type::STRING) return;
      std::string_view text = value.get_string().value_unsafe();
      auto micros = parse_timestamp(text);
      if (!micros) return;
      slot.integer = *micros;
      slot.data = text.data();
      slot.size = text.size();
      break;
    }
  }
  slot.present = 1;
}

// Walks `value` along the trie. Depth is bounded by the longest slot path,
// not by the event, so hostile nesting costs no stack.
void walk(const std::vector<TrieNode>& trie, int node, element value, const Fill& fill) {
  const TrieNode& here = trie[node];
  for (int slot : here.key_slots) {
    fill.slots[slot].data = "";
    fill.slots[slot].size = 0;
    fill.slots[slot].present = 1;
  }
  for (int slot : here.slots) fill_slot(fill, slot, value);
  if (here.children.empty()) return;
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return;
  for (auto [key, child_value] : object) {
    for (const auto& [child_key, child] : here.children) {
      if (child_key == key) {
        walk(trie, child, child_value, fill);
        break;
      }
    }
  }
}

// Every scalar value of the event in document order, strings as they are,
// numbers and booleans as their text, one per line. Iterative, so deep
// events cost no stack.
void collect_text(element root, std::string& out) {
  out.clear();
  std::vector<element> pending{root};
  while (!pending.empty()) {
    element value = pending.back();
    pending.pop_back();
    switch (value.type()) {
      case element_type::OBJECT: {
        std::vector<element> members;
        // Copied out first: a range over value_unsafe() of a temporary
        // result would dangle.
        simdjson::dom::object object = value.get_object().value_unsafe();
        for (auto [key, member] : object) members.push_back(member);
        pending.insert(pending.end(), members.rbegin(), members.rend());
        break;
      }
      case element_type::ARRAY: {
        std::vector<element> items;
        simdjson::dom::array array = value.get_array().value_unsafe();
        for (element item : array) items.push_back(item);
        pending.insert(pending.end(), items.rbegin(), items.rend());
        break;
      }
      case element_type::STRING:
        out += value.get_string().value_unsafe();
        out += '\n';
        break;
      case element_type::INT64:
        out += std::to_string(int64_t(value));
        out += '\n';
        break;
      case element_type::UINT64:
        out += std::to_string(uint64_t(value));
        out += '\n';
        break;
      case element_type::DOUBLE: {
        char buffer[32];
        int n = std::snprintf(buffer, sizeof buffer, "%.17g", double(value));
        out.append(buffer, static_cast<size_t>(std::max(n, 0)));
        out += '\n';
        break;
      }
      case element_type::BOOL:
        out += bool(value) ? "true\n" : "false\n";
        break;
      case element_type::NULL_VALUE:
        break;
    }
  }
}

}  // namespace

bool Decoder::decode(std::string_view line, socc_slot* slots, std::string* error) {
  std::memset(slots, 0, sizeof(socc_slot) * slot_types_.size());
  State& state = *state_;
  state.big_integers.clear();
  element root;
  auto code = state.parser.parse(line.data(), line.size(), true).get(root);
  // One number simdjson cannot hold (1e400, a 23-digit integer) fails the
  // whole document; the event is then read again with such numbers quoted,
  // so that adding one cannot hide an event from every rule. simdjson 3.0.1
  // reports them as NUMBER_ERROR (later versions add BIGINT_ERROR).
  if ((code == simdjson::NUMBER_ERROR || code == simdjson::NUMBER_OUT_OF_RANGE) &&
      quote_unrepresentable_numbers(line, &state.requoted, &state.big_integer_offsets)) {
    code = state.parser.parse(state.requoted.data(), state.requoted.size(), true).get(root);
    for (const auto& [at, size] : state.big_integer_offsets) {
      state.big_integers.push_back(std::string_view(state.requoted).substr(at, size));
    }
    std::sort(state.big_integers.begin(), state.big_integers.end());
  }
  if (code != simdjson::SUCCESS) {
    *error = simdjson::error_message(code);
    return false;
  }
  if (root.type() != element_type::OBJECT) {
    *error = "event is not a JSON object";
    return false;
  }
  walk(state.trie, 0, root, Fill{slot_types_, slots, state.scratch, state.big_integers});
  if (!state.text_slots.empty()) {
    collect_text(root, state.event_text);
    for (int index : state.text_slots) {
      slots[index].data = state.event_text.data();
      slots[index].size = state.event_text.size();
      slots[index].present = 1;
    }
  }
  deriver_.fill(slots);
  return true;
}

}  // namespace socc::runtime
