// Tests of the runtime against hostile input: linear string search, event
// numbers no int or double can hold, byte order marks, non-finite floats,
// canonical alert times, the bounded dedupe window, and playbook steps whose
// arguments have no value.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/decoder.h"
#include "runtime/engine.h"
#include "runtime/json_writer.h"
#include "runtime/match_helpers.h"
#include "runtime/response.h"
#include "runtime/siphash.h"
#include "test_support.h"

using namespace socc;
using namespace socc::testing;
using socc::ir::Slot;
using socc::ir::ValueType;

namespace {

bool contains_ci(std::string_view text, std::string_view needle) {
  return socc_rt_contains_ci(text.data(), text.size(), needle.data(), needle.size()) != 0;
}

// The obvious quadratic search, as the reference.
bool naive_contains_ci(std::string_view text, std::string_view needle) {
  std::string folded(text);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return folded.find(needle) != std::string::npos;
}

std::string random_text(std::mt19937& rng, std::string_view alphabet, size_t max_size) {
  std::string text(std::uniform_int_distribution<size_t>(0, max_size)(rng), ' ');
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  for (char& c : text) c = alphabet[pick(rng)];
  return text;
}

const char* kPack = R"(import windows.sysmon
import response.actions

playbook contain {
  step tell    = notify(channel: "#soc", text: alert.title)
  step kill    = kill_process(host: alert.host, pid: event.pid)
  step disable = disable_user(user: event.user)
}

playbook tell {
  step note = notify(channel: event.user, text: event.command_line)
}

detection shell {
  id "h-1"
  title "cmd starts"
  severity critical
  on ProcessCreation
  where image endswith '\cmd.exe'
  respond contain
}

detection noted {
  id "h-2"
  title "note starts"
  severity low
  on ProcessCreation
  where image endswith '\note.exe'
  respond tell
}

schema Flat {
  name:  string = "Data.Name"
  score: float  = "Data.Score"
  count: int    = "Data.Count"
}

detection flat_count {
  id "f-1"
  title "many"
  severity low
  on Flat
  where count > 5
}
)";

std::string process_event(const std::string& data,
                          const std::string& time = "2019-04-30T22:48:59.2608519Z") {
  return R"({"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational",)"
         R"("Computer":"WS01","TimeCreated":{"#attributes":{"SystemTime":")" +
         time + R"("}}},"EventData":{)" + data + "}}}";
}

const std::string kCmd = R"("Image":"C:\\Windows\\System32\\cmd.exe")";

struct Harness : EngineRun {
  explicit Harness(runtime::EngineOptions options = {}) : EngineRun(kPack, options) {}

  runtime::Alert alert_of(const std::string& line) {
    fire(line);
    REQUIRE(alerts.size() == 1);
    return alerts.front();
  }

  // Every line of `text`, read from a file as `socc run` reads it.
  void process_file(const std::string& text) {
    std::string dir = write_temp_tree({{"events.jsonl", text}});
    int fd = ::open((dir + "/events.jsonl").c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    CHECK(engine->process_fd(fd, "events.jsonl"));
    ::close(fd);
  }
};

using Names = std::vector<std::string>;

size_t occurrences(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("case-insensitive contains is linear on a needle built to defeat it") {
  // 16 MiB of 'a' against 4095 'a' and a 'b': the naive scan compares about
  // 2^36 bytes; a linear search finishes at once.
  std::string text(16u << 20, 'a');
  std::string needle(4095, 'a');
  needle += 'b';
  CHECK_FALSE(contains_ci(text, needle));
  text.back() = 'B';
  CHECK(contains_ci(text, needle));
  // A needle short enough for the failure table on the stack.
  std::string short_needle(200, 'a');
  short_needle += 'b';
  CHECK(contains_ci(text, short_needle));
  text.back() = 'a';
  CHECK_FALSE(contains_ci(text, short_needle));
}

TEST_CASE("case-insensitive contains agrees with a naive search on random input") {
  std::mt19937 rng(20240601);
  // Small alphabets make partial matches, and so the fallback, frequent;
  // 0xC3 is a non-ASCII byte that must not fold.
  for (int round = 0; round < 20000; ++round) {
    std::string text = random_text(rng, "aAbB\xC3", 80);
    std::string needle = random_text(rng, "ab\xC3", 10);
    if (round % 3 == 0 && !text.empty()) {
      // A folded piece of the text, so that matches are common too.
      size_t at = rng() % text.size();
      needle = text.substr(at, rng() % 12);
      for (char& c : needle) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
    }
    CAPTURE(text);
    CAPTURE(needle);
    REQUIRE(contains_ci(text, needle) == naive_contains_ci(text, needle));
  }
  // Long runs of one letter with needles on both sides of the stack table.
  for (int round = 0; round < 300; ++round) {
    std::string text(rng() % 2000, 'a');
    for (int i = 0; i < 3 && !text.empty(); ++i) text[rng() % text.size()] = 'B';
    std::string needle(rng() % 400, 'a');
    if (rng() % 2 == 0) needle.insert(rng() % (needle.size() + 1), "b");
    CAPTURE(text.size());
    CAPTURE(needle.size());
    REQUIRE(contains_ci(text, needle) == naive_contains_ci(text, needle));
  }
}

TEST_CASE("SipHash-2-4 matches the reference vectors") {
  // Key 00 01 .. 0f; messages 00 01 .. (n-1), from the SipHash paper.
  uint64_t k0 = 0x0706050403020100ULL;
  uint64_t k1 = 0x0f0e0d0c0b0a0908ULL;
  std::string message;
  CHECK(runtime::siphash24(k0, k1, message) == 0x726fdb47dd0e0e31ULL);
  for (int i = 0; i < 15; ++i) message.push_back(static_cast<char>(i));
  CHECK(runtime::siphash24(k0, k1, message) == 0xa129ca6149be45e5ULL);
}

TEST_CASE("numbers no int or double can hold do not hide the event") {
  std::vector<Slot> paths = {
      {"Event.EventData.Image", ValueType::String},  // 0
      {"Event.EventData.Big", ValueType::String},    // 1
      {"Event.EventData.Big", ValueType::Int},       // 2
      {"Event.EventData.Big", ValueType::Float},     // 3
      {"Event.EventData.Huge", ValueType::String},   // 4
      {"Event.EventData.Huge", ValueType::Float},    // 5
      {"Event.EventData.Long", ValueType::Float},    // 6
      {"Event.EventData.Neg", ValueType::Int},       // 7
      {"Event.EventData.Neg", ValueType::String},    // 8
      {"Event.EventData.Tiny", ValueType::Float},    // 9
      {"Event.EventData.Max", ValueType::String},    // 10
      {"Event.EventData.Note", ValueType::String},   // 11
      {"Event.System.EventID", ValueType::Int},      // 12
      {"Event.EventData.Ok", ValueType::Float},      // 13
  };
  std::string line =
      R"({"Event":{"System":{"EventID":{"#attributes":{"Qualifiers":1e999},"#text":1},)"
      R"("Computer":"WS01"},"EventData":{"Image":"C:\\Windows\\System32\\cmd.exe",)"
      R"("Big":18446744073709551616,"Huge":-1.5E+400,"Long":12345678901234567890123,)"
      R"("Neg":-9223372036854775809,"Tiny":1e-400,"Max":18446744073709551615,)"
      R"("Note":"say \"1e400\" 18446744073709551616",)"
      R"("List":[1e400,{"x":[99999999999999999999999]}],"Ok":2.5}}})";
  runtime::Decoder decoder(paths);
  std::vector<socc_slot> slots(paths.size());
  std::string error;
  REQUIRE_MESSAGE(decoder.decode(line, slots.data(), &error), error);
  auto text = [&](int i) { return std::string(slots[i].data, slots[i].size); };
  CHECK(text(0) == "C:\\Windows\\System32\\cmd.exe");
  // A string field reads the number's text; int and float fields miss it.
  CHECK(text(1) == "18446744073709551616");
  CHECK(slots[2].present == 0);
  CHECK(slots[3].present == 0);
  CHECK(text(4) == "-1.5E+400");
  CHECK(slots[5].present == 0);
  CHECK(slots[6].present == 0);
  CHECK(slots[7].present == 0);
  CHECK(text(8) == "-9223372036854775809");
  // What simdjson holds stays a number: underflow is zero, uint64 max fits.
  CHECK(slots[9].present == 1);
  CHECK(slots[9].real == 0.0);
  CHECK(text(10) == "18446744073709551615");
  // Text inside strings is not touched.
  CHECK(text(11) == "say \"1e400\" 18446744073709551616");
  CHECK(slots[12].integer == 1);
  CHECK(slots[13].real == 2.5);

  // Numbers that break JSON's grammar are still malformed, as is a broken
  // line that also holds an out-of-range number.
  for (const char* bad : {R"({"v":01})", R"({"v":1.})", R"({"v":-})", R"({"v":1e400,})",
                          R"({"v":1e400 "w":1})", R"({"v":+1})", R"({"v":1e400)"}) {
    CAPTURE(bad);
    CHECK_FALSE(decoder.decode(bad, slots.data(), &error));
  }
  // A string that equals a quoted number elsewhere is no longer special in
  // the next event.
  REQUIRE(decoder.decode(R"({"Event":{"EventData":{"Long":"12345678901234567890123"}}})",
                         slots.data(), &error));
  CHECK(slots[6].present == 1);
}

TEST_CASE("an out-of-range number cannot hide an event from the rules") {
  Harness run;
  CHECK(run.fire(process_event(kCmd + R"(,"Evil":1e400,"User":"CORP\\x")")) == Names{"shell"});
  CHECK(run.fire(process_event(kCmd + R"(,"Evil":[123456789012345678901234567890])")) ==
        Names{"shell"});
  CHECK(run.fire(R"({"Data":{"Count":6,"Pad":-1e999}})") == Names{"flat_count"});
  // The out-of-range value itself is missing for an int field.
  CHECK(run.fire(R"({"Data":{"Count":99999999999999999999999}})").empty());
  CHECK(run.engine->stats().malformed == 0);
}

TEST_CASE("a byte order mark is dropped at the start of an input, and only there") {
  Harness run;
  std::string event = process_event(kCmd);
  run.process_file("\xEF\xBB\xBF" + event + "\n" + "\xEF\xBB\xBF" + event + "\n");
  CHECK(run.engine->stats().events == 1);
  CHECK(run.engine->stats().malformed == 1);
  REQUIRE(run.alerts.size() == 1);
  CHECK(run.alerts[0].source_line == 1);
  REQUIRE(run.rejected.size() == 1);
  CHECK(run.rejected[0] == fmt::format("events.jsonl:2:{}", event.size() + 3));
  // A file that is only a byte order mark holds no event.
  Harness empty;
  empty.process_file("\xEF\xBB\xBF");
  CHECK(empty.engine->stats().lines == 0);
}

TEST_CASE("non-finite floats are missing and never written as JSON") {
  std::vector<Slot> paths = {{"v", ValueType::Float}};
  runtime::Decoder decoder(paths);
  socc_slot slot;
  std::string error;
  for (const char* text :
       {"inf", "-inf", "INF", "infinity", "Infinity", "nan", "NaN", "-nan", "1e400", "-1e400"}) {
    CAPTURE(text);
    REQUIRE(decoder.decode(fmt::format(R"({{"v":"{}"}})", text), &slot, &error));
    CHECK(slot.present == 0);
  }
  REQUIRE(decoder.decode(R"({"v":"1.5"})", &slot, &error));
  CHECK(slot.present == 1);
  CHECK(slot.real == 1.5);

  runtime::JsonWriter json;
  json.begin_array()
      .value(1.5)
      .value(HUGE_VAL)
      .value(-HUGE_VAL)
      .value(std::nan(""))
      .value(int64_t{2})
      .end_array();
  CHECK(json.str() == "[1.5,null,null,null,2]");
}

TEST_CASE("alerts carry the event time in canonical form") {
  Harness run;
  runtime::Alert alert = run.alert_of(process_event(kCmd, "2021-06-09T06:58:49.2874189+02:00"));
  CHECK(alert.time == "2021-06-09T04:58:49.287418Z");
  CHECK(runtime::alert_json(alert).find(R"("time":"2021-06-09T04:58:49.287418Z")") !=
        std::string::npos);
  // A time that does not parse is no time, not text passed through.
  alert = run.alert_of(process_event(kCmd, "yesterday\", \"injected\": \"1"));
  CHECK(alert.time.empty());
  CHECK(runtime::alert_json(alert).find(R"("time":null)") != std::string::npos);
}

TEST_CASE("every malformed line reaches the rejects handler; stderr stays capped") {
  runtime::EngineOptions options;
  options.max_line_bytes = 64;
  options.more_reports_hint = "see the rejects";
  Harness run(options);
  std::string input;
  for (int i = 0; i < 24; ++i) input += "junk " + std::to_string(i) + "\n";
  input += std::string(100, 'x') + "\n";  // over the line limit
  run.process_file(input);
  CHECK(run.engine->stats().malformed == 25);
  REQUIRE(run.rejected.size() == 25);
  CHECK(run.rejected[0] == "events.jsonl:1:6");
  CHECK(run.rejected[23] == "events.jsonl:24:7");
  CHECK(run.rejected[24] == "events.jsonl:25:100");
  REQUIRE(run.errors.size() == 21);
  CHECK(run.errors[20] ==
        "events.jsonl: further malformed events are counted, not shown; see the rejects");
}

TEST_CASE("a step with a missing argument is audited and never run (dry-run)") {
  Harness run;
  runtime::Alert alert = run.alert_of(process_event(kCmd + R"(,"ProcessId":42)"));
  std::ostringstream audit;
  runtime::Responder responder(run.pack(), {}, &audit);
  responder.respond(alert);
  CHECK(responder.stats().planned == 2);
  CHECK(responder.stats().missing_argument == 1);
  std::string log = audit.str();
  CHECK(occurrences(log, "\n") == 3);
  CHECK(log.find(R"("status":"missing_argument","playbook":"contain","step":"disable")") !=
        std::string::npos);
  CHECK(log.find(R"("args":{"user":null},"missing":["user"])") != std::string::npos);
  CHECK(log.find(R"("step":"disable","action":"disable_user","risk":"containment")") !=
        std::string::npos);
  // Each alert with the value missing is audited again: none is silent.
  responder.respond(alert);
  CHECK(responder.stats().missing_argument == 2);
  CHECK(responder.stats().duplicates == 2);
  CHECK_FALSE(responder.audit_failed());
}

TEST_CASE("a step with a missing argument never starts its connector (execute)") {
  Harness run;
  std::string dir = write_temp_tree({});
  runtime::ResponseOptions options;
  options.execute = true;
  options.connectors["notify"] = {{"/bin/true"}, 5};
  options.connectors["kill_process"] = {{"/usr/bin/touch", dir + "/killed-{host}-{pid}"}, 5};
  options.connectors["disable_user"] = {{"/usr/bin/touch", dir + "/disabled-{user}"}, 5};
  std::ostringstream audit;
  runtime::Responder responder(run.pack(), options, &audit);
  // No ProcessId, no User: only notify runs.
  responder.respond(run.alert_of(process_event(kCmd)));
  CHECK(responder.stats().succeeded == 1);
  CHECK(responder.stats().missing_argument == 2);
  CHECK(std::filesystem::is_empty(dir));
  std::string log = audit.str();
  CHECK(occurrences(log, R"("status":"started")") == 1);
  CHECK(occurrences(log, R"("status":"missing_argument")") == 2);
  CHECK(log.find(R"("missing":["pid"])") != std::string::npos);
  CHECK(log.find(R"("mode":"execute","status":"missing_argument")") != std::string::npos);

  // A value cannot bring in another parameter: "{pid}" in the host stays
  // text when the argument is expanded.
  responder.respond(run.alert_of(
      R"({"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational",)"
      R"("Computer":"H{pid}"},"EventData":{"Image":"C:\\cmd.exe","ProcessId":42,)"
      R"("User":"bob"}}})"));
  CHECK(std::filesystem::exists(dir + "/killed-H{pid}-42"));
  CHECK_FALSE(std::filesystem::exists(dir + "/killed-H42-42"));
  CHECK(std::filesystem::exists(dir + "/disabled-bob"));
}

TEST_CASE("the dedupe window remembers the most recent distinct effects only") {
  Harness run;
  runtime::Alert alert =
      run.alert_of(process_event(R"("Image":"C:\\note.exe","User":"ab","CommandLine":"c")"));
  runtime::FieldValue* user = nullptr;
  runtime::FieldValue* command = nullptr;
  for (auto& field : alert.fields) {
    if (field.name == "user") user = &field;
    if (field.name == "command_line") command = &field;
  }
  REQUIRE(user != nullptr);
  REQUIRE(command != nullptr);
  auto effect = [&](runtime::Responder& responder, const std::string& text) {
    command->text = text;
    responder.respond(alert);
  };

  runtime::ResponseOptions options;
  options.dedupe_window = 2;
  runtime::Responder small(run.pack(), options, nullptr);
  effect(small, "A");
  effect(small, "B");
  effect(small, "A");  // remembered
  CHECK(small.stats().duplicates == 1);
  effect(small, "C");  // forgets A, the oldest
  effect(small, "A");
  CHECK(small.stats().planned == 4);
  CHECK(small.stats().duplicates == 1);
  CHECK(small.remembered() == 2);

  // Arguments are not run together: ("ab", "c") and ("a", "bc") differ.
  runtime::Responder split(run.pack(), {}, nullptr);
  effect(split, "c");
  user->text = "a";
  effect(split, "bc");
  CHECK(split.stats().planned == 2);

  // The default window holds 65,536 effects however many the run meets.
  runtime::Responder bounded(run.pack(), {}, nullptr);
  for (int i = 0; i < 70000; ++i) effect(bounded, std::to_string(i));
  CHECK(bounded.stats().planned == 70000);
  CHECK(bounded.remembered() == 65536);
  effect(bounded, "69999");
  CHECK(bounded.stats().duplicates == 1);
  effect(bounded, "0");
  CHECK(bounded.stats().planned == 70001);
}
