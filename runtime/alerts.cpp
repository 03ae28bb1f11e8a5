#include "runtime/alerts.h"

#include "runtime/json_writer.h"
#include "runtime/timestamp.h"

namespace socc::runtime {

const FieldValue* Alert::field(const std::string& name) const {
  for (const FieldValue& value : fields) {
    if (value.name == name) return &value;
  }
  return nullptr;
}

namespace {

// The event's time in one canonical form, whatever offset or precision the
// event wrote, so that consumers can sort and compare alerts as text. A
// time that is not a valid timestamp is left out rather than echoed.
std::string alert_time(const ir::Pack& pack, int slot_index, const socc_slot* slots) {
  const socc_slot& slot = slots[slot_index];
  if (!slot.present) return {};
  if (pack.slots[slot_index].type == ir::ValueType::Timestamp) {
    return format_timestamp(slot.integer);
  }
  if (slot.data == nullptr) return {};
  auto micros = parse_timestamp(std::string_view(slot.data, slot.size));
  return micros ? format_timestamp(*micros) : std::string();
}

}  // namespace

Alert make_alert(const ir::Pack& pack, int rule_index, const socc_slot* slots,
                 std::string_view source_file, uint64_t source_line) {
  const ir::Rule& rule = pack.rules[rule_index];
  Alert alert;
  alert.rule = &rule;
  alert.rule_index = rule_index;
  alert.source_file = source_file;
  alert.source_line = source_line;
  if (rule.time_slot >= 0) alert.time = alert_time(pack, rule.time_slot, slots);
  if (rule.host_slot >= 0 && slots[rule.host_slot].present) {
    alert.host.assign(slots[rule.host_slot].data, slots[rule.host_slot].size);
  }
  for (const ir::RuleField& field : rule.fields) {
    const socc_slot& slot = slots[field.slot];
    FieldValue value;
    value.name = field.name;
    value.type = pack.slots[field.slot].type;
    value.present = slot.present;
    value.in_condition = field.in_condition;
    if (slot.present) {
      if (slot.data != nullptr) value.text.assign(slot.data, slot.size);
      value.integer = slot.integer;
      value.real = slot.real;
      value.boolean = slot.boolean;
    }
    alert.fields.push_back(std::move(value));
  }
  return alert;
}

std::string alert_json(const Alert& alert) {
  const ir::Rule& rule = *alert.rule;
  JsonWriter json;
  json.begin_object();
  json.key("rule").value(rule.name);
  json.key("rule_id").value(rule.rule_id);
  json.key("title").value(rule.title);
  json.key("severity").value(rule.severity);
  json.key("attack").begin_array();
  for (const ir::TechniqueRef& technique : rule.techniques) {
    json.begin_object();
    json.key("technique").value(technique.id);
    json.key("name").value(technique.name);
    json.key("tactics").begin_array();
    for (const ir::TacticRef& tactic : technique.tactics) {
      json.begin_object();
      json.key("id").value(tactic.id);
      json.key("name").value(tactic.name);
      json.end_object();
    }
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.key("time");
  alert.time.empty() ? json.null() : json.value(alert.time);
  json.key("host");
  alert.host.empty() ? json.null() : json.value(alert.host);
  json.key("source").begin_object();
  json.key("file").value(alert.source_file);
  json.key("line").value(static_cast<int64_t>(alert.source_line));
  json.end_object();
  json.key("fields").begin_object();
  for (const FieldValue& value : alert.fields) {
    if (!value.in_condition) continue;
    json.key(value.name);
    if (!value.present) {
      json.null();
      continue;
    }
    switch (value.type) {
      case ir::ValueType::Int:
        json.value(value.integer);
        break;
      case ir::ValueType::Float:
        json.value(value.real);
        break;
      case ir::ValueType::Bool:
        json.value(value.boolean);
        break;
      default:
        json.value(value.text);
    }
  }
  json.end_object();
  if (!rule.playbook_name.empty()) json.key("playbook").value(rule.playbook_name);
  json.end_object();
  return json.take();
}

}  // namespace socc::runtime
