// End-to-end tests through runtime::Engine: JSON lines in, alerts out, with
// the stdlib schemas' selections and the decoder's conversions.

#include "runtime/engine.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_support.h"

using namespace socc;
using namespace socc::testing;

namespace {

const char* kRules = R"(import windows.sysmon

detection run_key {
  id       "reg-1"
  title    "Run key written"
  severity high
  attack   T1547.001
  on RegistryEvent
  where target_object contains '\CurrentVersion\Run\' and event_id != 12
}

detection shell {
  id       "proc-1"
  title    "cmd starts"
  severity low
  on ProcessCreation
  where image endswith '\cmd.exe' and not user == 'NT AUTHORITY\SYSTEM'
}

schema Flat {
  image:   string = "Image"
  score:   float  = "Score"
  trusted: bool   = "Trusted"
}

detection flat_score {
  id       "flat-1"
  title    "High score"
  severity medium
  on Flat
  where score >= 7 and not trusted
}
)";

struct Run : EngineRun {
  Run() : EngineRun(kRules) {}
};

using Names = std::vector<std::string>;

std::string sysmon(const std::string& event_id, const std::string& data,
                   const std::string& channel = "Microsoft-Windows-Sysmon/Operational") {
  return R"({"Event":{"System":{"EventID":)" + event_id + R"(,"Channel":")" + channel +
         R"(","Computer":"WS01","TimeCreated":{"#attributes":{"SystemTime":)"
         R"("2019-04-30T22:48:59.2608519Z"}}},"EventData":{)" +
         data + "}}}";
}

const std::string kRunKey =
    R"("EventType":"SetValue","TargetObject":"HKLM\\SOFTWARE\\Microsoft\\Windows\\)"
    R"(CurrentVersion\\Run\\updater","Details":"C:\\Users\\Public\\u.exe")";

}  // namespace

TEST_CASE("schema selection: EventID in [12, 13, 14] as number, string or #text") {
  Run run;
  CHECK(run.fire(sysmon("13", kRunKey)) == Names{"run_key"});
  CHECK(run.fire(sysmon("14", kRunKey)) == Names{"run_key"});
  CHECK(run.fire(sysmon("\"13\"", kRunKey)) == Names{"run_key"});
  CHECK(run.fire(sysmon(R"({"#attributes":{"Qualifiers":0},"#text":13})", kRunKey)) ==
        Names{"run_key"});
  CHECK(run.fire(sysmon(R"({"#attributes":{"Qualifiers":0},"#text":"0xd"})", kRunKey)) ==
        Names{"run_key"});
  // Event 12 is selected, but the condition excludes it.
  CHECK(run.fire(sysmon("12", kRunKey)).empty());
  CHECK(run.fire(sysmon("15", kRunKey)).empty());
  CHECK(run.fire(sysmon("\"thirteen\"", kRunKey)).empty());
  CHECK(run.fire(sysmon("null", kRunKey)).empty());
  // The channel is part of the selection, compared ignoring case.
  CHECK(run.fire(sysmon("13", kRunKey, "Security")).empty());
  CHECK(run.fire(sysmon("13", kRunKey, "microsoft-windows-SYSMON/operational")) ==
        Names{"run_key"});
  CHECK(run.errors.empty());
  CHECK(run.engine->stats().events == 11);
  CHECK(run.engine->stats().alerts == 6);
  CHECK(run.engine->stats().alerts_per_rule[0] == 6);
}

TEST_CASE("missing fields through the engine") {
  Run run;
  std::string cmd = R"("Image":"C:\\Windows\\System32\\cmd.exe")";
  // No User: `not user == ...` holds.
  CHECK(run.fire(sysmon("1", cmd)) == Names{"shell"});
  CHECK(run.fire(sysmon("1", cmd + R"(,"User":null)")) == Names{"shell"});
  CHECK(run.fire(sysmon("1", cmd + R"(,"User":"nt authority\\system")")).empty());
  CHECK(run.fire(sysmon("1", cmd + R"(,"User":"CORP\\jdoe")")) == Names{"shell"});
  CHECK(run.fire(sysmon("1", R"("Image":null)")).empty());
  CHECK(run.fire(sysmon("1", "")).empty());
}

TEST_CASE("a schema without select sees every event with float and bool fields") {
  Run run;
  CHECK(run.fire(R"({"Score":7,"Trusted":false})") == Names{"flat_score"});
  CHECK(run.fire(R"({"Score":7.5})") == Names{"flat_score"});
  CHECK(run.fire(R"({"Score":"9.25","Trusted":"False"})") == Names{"flat_score"});
  CHECK(run.fire(R"({"Score":6.99,"Trusted":false})").empty());
  CHECK(run.fire(R"({"Score":8,"Trusted":true})").empty());
  CHECK(run.fire(R"({"Score":"high"})").empty());
  CHECK(run.fire(R"({"Trusted":false})").empty());
  // A sysmon event is also a Flat event, without a score.
  CHECK(run.fire(sysmon("13", kRunKey)) == Names{"run_key"});
}

TEST_CASE("an alert carries the rule, time, host and the fields it read") {
  Run run;
  REQUIRE(run.fire(sysmon("13", kRunKey)) == Names{"run_key"});
  const runtime::Alert& alert = run.alerts.at(0);
  CHECK(alert.rule->rule_id == "reg-1");
  // The event wrote 7 fraction digits; alerts carry the canonical form.
  CHECK(alert.time == "2019-04-30T22:48:59.260851Z");
  CHECK(alert.host == "WS01");
  CHECK(alert.source_file == "events.jsonl");
  CHECK(alert.source_line == 1);
  const runtime::FieldValue* target = alert.field("target_object");
  REQUIRE(target != nullptr);
  CHECK(target->text == "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\updater");
  const runtime::FieldValue* event_id = alert.field("event_id");
  REQUIRE(event_id != nullptr);
  CHECK(event_id->integer == 13);
  std::string json = runtime::alert_json(alert);
  CHECK(json.find(R"("rule":"run_key","rule_id":"reg-1")") != std::string::npos);
  CHECK(json.find(R"("technique":"T1547.001")") != std::string::npos);
  CHECK(json.find(R"("tactics":[{"id":"TA0003","name":"Persistence"})") != std::string::npos);
  CHECK(json.find(R"("host":"WS01")") != std::string::npos);
  CHECK(json.find(R"("event_id":13)") != std::string::npos);
}

TEST_CASE("malformed lines are counted and reported with their source, not dropped") {
  Run run;
  CHECK(run.fire("{not json").empty());
  CHECK(run.fire("[1]").empty());
  CHECK(run.fire(sysmon("13", kRunKey)) == Names{"run_key"});
  CHECK(run.engine->stats().lines == 3);
  CHECK(run.engine->stats().malformed == 2);
  CHECK(run.engine->stats().events == 1);
  REQUIRE(run.errors.size() == 2);
  CHECK(run.errors[0].rfind("events.jsonl:1: malformed event: ", 0) == 0);
  CHECK(run.errors[1] == "events.jsonl:1: malformed event: event is not a JSON object");
}
