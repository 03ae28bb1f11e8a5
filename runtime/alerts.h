#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/slot.h"

namespace socc::runtime {

// A field value copied out of the event, so that an alert outlives the
// decoder's buffers.
struct FieldValue {
  std::string name;
  ir::ValueType type = ir::ValueType::String;
  bool present = false;
  bool in_condition = false;
  std::string text;
  int64_t integer = 0;
  double real = 0;
  bool boolean = false;
};

// One firing of one rule on one event.
struct Alert {
  const ir::Rule* rule = nullptr;
  int rule_index = -1;
  // The event time as `YYYY-MM-DDTHH:MM:SS.ffffffZ`; empty when unknown.
  std::string time;
  std::string host;
  std::string source_file;
  uint64_t source_line = 0;
  std::vector<FieldValue> fields;

  const FieldValue* field(const std::string& name) const;
};

// Builds an alert from the slots of the event that fired `rule`.
Alert make_alert(const ir::Pack& pack, int rule, const socc_slot* slots,
                 std::string_view source_file, uint64_t source_line);

// The alert as one JSON object: rule, id, title, severity, ATT&CK
// techniques with their tactics, event time, host, the event's source file
// and line, and the fields the rule's condition read.
std::string alert_json(const Alert& alert);

}  // namespace socc::runtime
