#include "runtime/decoder.h"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <simdjson.h>

#include "runtime/timestamp.h"

namespace socc::runtime {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

struct TrieNode {
  std::vector<std::pair<std::string, int>> children;
  std::vector<int> slots;
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

}  // namespace

struct Decoder::State {
  simdjson::dom::parser parser;
  std::vector<TrieNode> trie{1};
  // Text of numbers and booleans read into string slots, one buffer per
  // slot so that values stay put while the event is matched.
  std::vector<std::array<char, 32>> scratch;
};

Decoder::Decoder(const std::vector<ir::Slot>& slots)
    : state_(std::make_unique<State>()) {
  state_->scratch.resize(slots.size());
  for (size_t i = 0; i < slots.size(); ++i) {
    slot_types_.push_back(slots[i].type);
    int node = 0;
    for (const std::string& key : split_path(slots[i].path)) {
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
    state_->trie[node].slots.push_back(static_cast<int>(i));
  }
}

Decoder::~Decoder() = default;

namespace {

void fill_slot(ir::ValueType type, element value, socc_slot& slot,
               std::array<char, 32>& scratch) {
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
        auto [end, error] =
            std::from_chars(text.data(), text.data() + text.size(), slot.real);
        if (error != std::errc() || end != text.data() + text.size()) return;
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
void walk(const std::vector<TrieNode>& trie, int node, element value,
          const std::vector<ir::ValueType>& types, socc_slot* slots,
          std::vector<std::array<char, 32>>& scratch) {
  const TrieNode& here = trie[node];
  for (int slot : here.slots) {
    fill_slot(types[slot], value, slots[slot], scratch[slot]);
  }
  if (here.children.empty()) return;
  simdjson::dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return;
  for (auto [key, child_value] : object) {
    for (const auto& [child_key, child] : here.children) {
      if (child_key == key) {
        walk(trie, child, child_value, types, slots, scratch);
        break;
      }
    }
  }
}

}  // namespace

bool Decoder::decode(std::string_view line, socc_slot* slots, std::string* error) {
  std::memset(slots, 0, sizeof(socc_slot) * slot_types_.size());
  element root;
  auto code = state_->parser.parse(line.data(), line.size(), true).get(root);
  if (code != simdjson::SUCCESS) {
    *error = simdjson::error_message(code);
    return false;
  }
  if (root.type() != element_type::OBJECT) {
    *error = "event is not a JSON object";
    return false;
  }
  walk(state_->trie, 0, root, slot_types_, slots, state_->scratch);
  return true;
}

}  // namespace socc::runtime
