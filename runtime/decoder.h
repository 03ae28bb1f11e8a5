#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/derive.h"
#include "runtime/slot.h"

namespace socc::runtime {

// Decodes one JSON event into the slots of a pack. Only the raw paths that
// some slot names are visited: the decoder walks the parsed document along
// a trie of those paths, so fields no rule reads cost nothing past parsing.
//
// Paths are dot-separated object keys. Where a path ends on an object that
// has a `#text` member (an element with attributes, such as an EventID with
// Qualifiers), the `#text` value is used. JSON null counts as missing.
// The path `*` names the whole event as text (kEventTextPath).
// Derived slots (`basename(image)`) are computed once the raw ones are in.
// The raw path of a string slot that holds every value of the event (all
// strings, numbers and booleans, in document order, one per line), so that
// a search can look for text wherever it occurs; Sigma keywords use it.
inline constexpr const char* kEventTextPath = "*";

// A path ending in `?` (`Event.EventData.PasswordLastSet?`) asks whether the
// event has the key at all: its string slot holds the empty string when the
// key is there, whatever its value (null included), and is missing when not.
inline constexpr char kKeyPresenceSuffix = '?';

class Decoder {
 public:
  explicit Decoder(const std::vector<ir::Slot>& slots);
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // Parses `line` and fills `slots` (one per pack slot). Returns false and
  // sets `error` when the line is not a JSON object. String values point
  // into the decoder and stay valid until the next call.
  bool decode(std::string_view line, socc_slot* slots, std::string* error);

  size_t slot_count() const { return slot_types_.size(); }

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::vector<ir::ValueType> slot_types_;
  Deriver deriver_;
};

}  // namespace socc::runtime
