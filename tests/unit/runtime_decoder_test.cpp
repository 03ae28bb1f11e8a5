// Unit tests of the event decoder: the nested Windows event layout, values
// that Windows writes as strings, missing values and hostile input.

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/decoder.h"

using socc::ir::Slot;
using socc::ir::ValueType;
using socc::runtime::Decoder;

namespace {

std::string text(const socc_slot& slot) {
  return std::string(slot.data, slot.size);
}

// Decodes `line` into slots for `paths`; REQUIREs success.
std::vector<socc_slot> decode(const std::vector<Slot>& paths, const std::string& line) {
  Decoder decoder(paths);
  std::vector<socc_slot> slots(paths.size());
  std::string error;
  bool ok = decoder.decode(line, slots.data(), &error);
  REQUIRE_MESSAGE(ok, error);
  return slots;
}

// A Sysmon process creation from the corpus (Exec_sysmon_meterpreter_...),
// shortened to the members the test reads plus a few neighbours.
const char* kSysmonLine =
    R"({"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},)"
    R"("System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":)"
    R"("5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},"EventID":1,"Version":5,"Level":4,"Task":1,)"
    R"("Keywords":"0x8000000000000000","TimeCreated":{"#attributes":{"SystemTime":)"
    R"("2019-04-30T22:48:59.260851Z"}},"EventRecordID":10148,"Correlation":null,)"
    R"("Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"IEWIN7"},)"
    R"("EventData":{"RuleName":"","ProcessId":1892,"Image":"C:\\Windows\\System32\\VSSVC.exe",)"
    R"("Description":"Microsoft® Volume Shadow Copy Service","LogonId":"0x3e7",)"
    R"("TerminalSessionId":0,"ParentProcessId":464}}})";

// An MSSQL logon failure from the corpus: an EventID with Qualifiers, a null
// member and positional data.
const char* kQualifiersLine =
    R"({"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},)"
    R"("System":{"Provider":{"#attributes":{"Name":"MSSQLSERVER"}},"EventID":{"#attributes":)"
    R"({"Qualifiers":49152},"#text":18456},"Level":0,"Task":4,"Keywords":"0x90000000000000",)"
    R"("TimeCreated":{"#attributes":{"SystemTime":"2019-11-04T13:46:01.171339Z"}},)"
    R"("EventRecordID":13026,"Channel":"Application","Computer":"MSEDGEWIN10","Security":null},)"
    R"("EventData":{"Data":{"#text":["sa"," Reason: Password did not match that for the login )"
    R"(provided."," [CLIENT: 10.0.2.17]"]},"Binary":"184800000E0000000C000000"}}})";

}  // namespace

TEST_CASE("Decoder reads the members of a nested Sysmon event") {
  std::vector<Slot> paths = {
      {"Event.System.EventID", ValueType::Int},
      {"Event.System.Channel", ValueType::String},
      {"Event.EventData.Image", ValueType::String},
      {"Event.EventData.ProcessId", ValueType::Int},
      {"Event.System.TimeCreated.#attributes.SystemTime", ValueType::Timestamp},
      {"Event.EventData.LogonId", ValueType::Int},
      {"Event.EventData.Description", ValueType::String},
      {"Event.EventData.CommandLine", ValueType::String},
      {"Event.System.Correlation", ValueType::String},
      {"Event.System.EventID", ValueType::String},
      {"Event.EventData.RuleName", ValueType::String},
      {"Event.System.Keywords", ValueType::Int},
  };
  auto slots = decode(paths, kSysmonLine);
  CHECK(slots[0].present == 1);
  CHECK(slots[0].integer == 1);
  CHECK(text(slots[1]) == "Microsoft-Windows-Sysmon/Operational");
  CHECK(text(slots[2]) == "C:\\Windows\\System32\\VSSVC.exe");
  CHECK(slots[3].integer == 1892);
  CHECK(slots[4].present == 1);
  CHECK(slots[4].integer == 1556664539260851);
  CHECK(text(slots[4]) == "2019-04-30T22:48:59.260851Z");
  // LogonId "0x3e7" is the SYSTEM logon session, 999.
  CHECK(slots[5].present == 1);
  CHECK(slots[5].integer == 999);
  CHECK(text(slots[6]) == "Microsoft\xC2\xAE Volume Shadow Copy Service");
  // Absent member and JSON null are both missing.
  CHECK(slots[7].present == 0);
  CHECK(slots[8].present == 0);
  // A number read into a string slot is its decimal text.
  CHECK(slots[9].present == 1);
  CHECK(text(slots[9]) == "1");
  // An empty string is present, and empty.
  CHECK(slots[10].present == 1);
  CHECK(slots[10].size == 0);
  // 0x8000000000000000 does not fit in int64: missing, not wrapped.
  CHECK(slots[11].present == 0);
}

TEST_CASE("Decoder takes #text of an element with Qualifiers") {
  std::vector<Slot> paths = {
      {"Event.System.EventID", ValueType::Int},
      {"Event.System.EventID", ValueType::String},
      {"Event.System.Security", ValueType::String},
      {"Event.System.Security.#attributes.UserID", ValueType::String},
      {"Event.System.EventID.#attributes.Qualifiers", ValueType::Int},
      {"Event.EventData.Data", ValueType::String},
      {"Event.System.Provider", ValueType::String},
  };
  auto slots = decode(paths, kQualifiersLine);
  CHECK(slots[0].present == 1);
  CHECK(slots[0].integer == 18456);
  CHECK(text(slots[1]) == "18456");
  CHECK(slots[2].present == 0);
  CHECK(slots[3].present == 0);
  CHECK(slots[4].integer == 49152);
  // An array is no scalar value.
  CHECK(slots[5].present == 0);
  // An object without #text is no value either.
  CHECK(slots[6].present == 0);
}

TEST_CASE("Decoder reads integers Windows writes as strings") {
  std::vector<Slot> paths = {{"v", ValueType::Int}};
  auto value = [&](const std::string& json) {
    auto slots = decode(paths, "{\"v\":" + json + "}");
    return slots[0].present ? std::optional<int64_t>(slots[0].integer) : std::nullopt;
  };
  CHECK(value("\"0x3e7\"") == 999);
  CHECK(value("\"0X3E7\"") == 999);
  CHECK(value("\"4656\"") == 4656);
  CHECK(value("\"-12\"") == -12);
  CHECK(value("4656") == 4656);
  CHECK(value("-1") == -1);
  CHECK(value("{\"#attributes\":{\"Qualifiers\":0},\"#text\":13}") == 13);
  CHECK(value("{\"#attributes\":{\"Qualifiers\":0},\"#text\":\"13\"}") == 13);
  CHECK(value("\"12 \"") == 12);
  CHECK_FALSE(value("\"\"").has_value());
  CHECK_FALSE(value("\"0x\"").has_value());
  CHECK_FALSE(value("\"12abc\"").has_value());
  CHECK_FALSE(value("\"abc\"").has_value());
  CHECK_FALSE(value("1.5").has_value());
  CHECK_FALSE(value("true").has_value());
  CHECK_FALSE(value("null").has_value());
  CHECK_FALSE(value("\"99999999999999999999\"").has_value());
  CHECK_FALSE(value("{\"#attributes\":{\"Qualifiers\":0}}").has_value());
}

TEST_CASE("Decoder reads floats, booleans and timestamps") {
  std::vector<Slot> paths = {{"f", ValueType::Float},
                             {"b", ValueType::Bool},
                             {"t", ValueType::Timestamp},
                             {"s", ValueType::String}};
  auto slots = decode(paths, R"({"f":1.5,"b":true,"t":"1970-01-01T00:00:01Z","s":2.5})");
  CHECK(slots[0].real == 1.5);
  CHECK(slots[1].present == 1);
  CHECK(slots[1].boolean == 1);
  CHECK(slots[2].integer == 1000000);
  CHECK(text(slots[3]) == "2.5");
  slots = decode(paths, R"({"f":"2.25","b":"False","t":"yesterday","s":false})");
  CHECK(slots[0].real == 2.25);
  CHECK(slots[1].present == 1);
  CHECK(slots[1].boolean == 0);
  CHECK(slots[2].present == 0);
  CHECK(text(slots[3]) == "false");
  slots = decode(paths, R"({"f":3,"b":"yes","t":12,"s":null})");
  CHECK(slots[0].present == 1);
  CHECK(slots[0].real == 3.0);
  CHECK(slots[1].present == 0);
  CHECK(slots[2].present == 0);
  CHECK(slots[3].present == 0);
}

TEST_CASE("Decoder clears slots between events") {
  std::vector<Slot> paths = {{"a.b", ValueType::String}};
  Decoder decoder(paths);
  socc_slot slot;
  std::string error;
  REQUIRE(decoder.decode(R"({"a":{"b":"x"}})", &slot, &error));
  CHECK(slot.present == 1);
  REQUIRE(decoder.decode(R"({"a":{"c":"x"}})", &slot, &error));
  CHECK(slot.present == 0);
  REQUIRE(decoder.decode(R"({"a":"b"})", &slot, &error));
  CHECK(slot.present == 0);
  // A path through a non-object stops there.
  REQUIRE(decoder.decode(R"({"a":[{"b":"x"}]})", &slot, &error));
  CHECK(slot.present == 0);
}

TEST_CASE("Decoder rejects malformed JSON with a message") {
  std::vector<Slot> paths = {{"a", ValueType::String}};
  Decoder decoder(paths);
  socc_slot slot;
  for (const char* line : {"", "{", "{\"a\":}", "{\"a\":\"x\"} trailing", "not json",
                           "{\"a\":\"\xFF\"}", "{\"a\":1,}"}) {
    CAPTURE(line);
    std::string error;
    CHECK_FALSE(decoder.decode(line, &slot, &error));
    CHECK_FALSE(error.empty());
  }
  for (const char* line : {"[1,2]", "\"x\"", "42", "null"}) {
    CAPTURE(line);
    std::string error;
    CHECK_FALSE(decoder.decode(line, &slot, &error));
    CHECK(error == "event is not a JSON object");
  }
  // The decoder is usable after an error.
  std::string error;
  CHECK(decoder.decode("{\"a\":\"ok\"}", &slot, &error));
  CHECK(text(slot) == "ok");
}

TEST_CASE("Decoder survives deep nesting") {
  std::vector<Slot> paths = {{"a.a.a", ValueType::String}};
  Decoder decoder(paths);
  socc_slot slot;
  std::string error;
  const int depth = 100000;
  std::string objects;
  for (int i = 0; i < depth; ++i) objects += "{\"a\":";
  objects += "1" + std::string(depth, '}');
  CHECK_FALSE(decoder.decode(objects, &slot, &error));
  CHECK_FALSE(error.empty());
  std::string arrays = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
  error.clear();
  CHECK_FALSE(decoder.decode(arrays, &slot, &error));
  CHECK_FALSE(error.empty());
  // Moderate nesting off the slot paths is walked only as deep as the paths.
  std::string moderate =
      "{\"a\":{\"a\":{\"a\":\"x\",\"b\":" + std::string(500, '[') + std::string(500, ']') + "}}}";
  REQUIRE(decoder.decode(moderate, &slot, &error));
  CHECK(text(slot) == "x");
}
