// Tests of the socc command line as a user runs it: exit codes, what goes to
// stdout and stderr, and the program connector.

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_support.h"

using namespace socc::testing;
namespace fs = std::filesystem;

namespace {

const char* kRule = R"(import windows.sysmon
import response.actions

playbook respond_shell {
  step tell = notify(channel: "#soc", text: alert.title)
  step cut = isolate_host(host: alert.host) when alert.severity >= high
}

detection whoami_run {
  id "6b0c4c8e-2f55-4f7a-9f59-0d7f0d0f5a11"
  title "whoami executed"
  severity high
  attack T1033
  on ProcessCreation
  where image endswith "\\whoami.exe"
  respond respond_shell
}

test whoami_run {
  fires { image: "C:\\Windows\\System32\\whoami.exe" }
  quiet { image: "C:\\Windows\\System32\\hostname.exe" }
}
)";

std::string event(const std::string& host, const std::string& image) {
  return R"({"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational",)"
         R"("Computer":")" +
         host +
         R"(","TimeCreated":{"#attributes":{"SystemTime":)"
         R"("2024-01-02T03:04:05.000006Z"}}},"EventData":{"Image":")" +
         image + R"("}}})";
}

}  // namespace

TEST_CASE("socc build reports every mistake with its position and exits 1") {
  std::string dir = write_temp_tree({{"bad.socc", R"(import windows.sysmon

detection broken {
  id "x"
  title "broken"
  severity hihg
  attack T1059.999
  on ProcessCreation
  where imgae == "cmd.exe" and pid == "12"
}
)"}});
  CommandResult result = run_socc(dir, "build bad.socc");
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("bad.socc:6:12: error[E0403]") != std::string::npos);
  CHECK(result.err.find("bad.socc:7:10: error[E0301]") != std::string::npos);
  CHECK(result.err.find("bad.socc:9:9: error[E0104]") != std::string::npos);
  CHECK(result.err.find("did you mean 'image'?") != std::string::npos);
  CHECK(result.err.find("bad.socc:9:39: error[E0202]") != std::string::npos);
  CHECK(result.err.find("4 errors, 0 warnings") != std::string::npos);
}

TEST_CASE("socc build and test accept a correct pack") {
  std::string dir = write_temp_tree({{"ok.socc", kRule}});
  CommandResult build = run_socc(dir, "build ok.socc");
  CHECK(build.exit_code == 0);
  CommandResult test = run_socc(dir, "test ok.socc");
  CHECK(test.exit_code == 0);
  CHECK(test.out == "2 passed, 0 failed\n");
}

TEST_CASE("socc test reports a failing case and exits 1") {
  std::string failing = std::string(kRule) + R"(
test whoami_run {
  fires { image: "C:\\Windows\\System32\\cmd.exe" }
}
)";
  std::string dir = write_temp_tree({{"fail.socc", failing}});
  CommandResult test = run_socc(dir, "test fail.socc");
  CHECK(test.exit_code == 1);
  CHECK(test.out.find("fail.socc:25: FAIL: test of 'whoami_run'") != std::string::npos);
  CHECK(test.out.find("2 passed, 1 failed") != std::string::npos);
}

TEST_CASE("socc run streams stdin, reports malformed lines and keeps going") {
  std::string input = event("WS1", "C:\\\\Windows\\\\System32\\\\whoami.exe") + "\n" +
                      "{\"Event\": truncated\n" +
                      event("WS2", "C:\\\\Windows\\\\System32\\\\WHOAMI.EXE") + "\n";
  std::string dir = write_temp_tree({{"ok.socc", kRule}, {"events.jsonl", input}});
  CommandResult result =
      run_socc(dir, "run --rules ok.socc --audit audit.jsonl -", dir + "/events.jsonl");
  CHECK(result.exit_code == 0);
  CHECK(result.err.find("<stdin>:2: malformed event:") != std::string::npos);
  CHECK(result.err.find("socc: 2 events, 1 malformed, 2 alerts by 1 of 1 rule\n") !=
        std::string::npos);
  // Two alert lines, each naming the technique, its tactic and the source line.
  CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 2);
  CHECK(result.out.find(R"("technique":"T1033","name":"System Owner/User Discovery")") !=
        std::string::npos);
  CHECK(result.out.find(R"("tactics":[{"id":"TA0007","name":"Discovery"}])") != std::string::npos);
  CHECK(result.out.find(R"("source":{"file":"<stdin>","line":3})") != std::string::npos);
  // Dry-run: notify once (same arguments for both alerts), isolate each host.
  std::string audit = read_file(dir + "/audit.jsonl");
  CHECK(std::count(audit.begin(), audit.end(), '\n') == 3);
  CHECK(audit.find(R"("status":"planned","playbook":"respond_shell","step":"cut")") !=
        std::string::npos);
  CHECK(audit.find(R"("args":{"host":"WS2"})") != std::string::npos);
}

TEST_CASE("the program connector passes arguments as a vector, never to a shell") {
  std::string hostile_host = "WS1;touch pwned";
  std::string input = event(hostile_host, "C:\\\\Windows\\\\System32\\\\whoami.exe") + "\n";
  std::string dir = write_temp_tree({{"ok.socc", kRule}, {"events.jsonl", input}});
  std::string connectors =
      "connectors:\n"
      "  isolate_host: { argv: [\"/usr/bin/touch\", \"" +
      dir +
      "/isolated-{host}\"] }\n"
      "  notify: { argv: [\"/bin/true\"] }\n";
  write_temp_tree({});
  std::ofstream(dir + "/connectors.yaml") << connectors;
  CommandResult result = run_socc(dir,
                                  "run --rules ok.socc --execute --connectors connectors.yaml "
                                  "--audit audit.jsonl events.jsonl");
  CHECK(result.exit_code == 0);
  CHECK(fs::exists(dir + "/isolated-" + hostile_host));
  CHECK_FALSE(fs::exists(dir + "/pwned"));
  std::string audit = read_file(dir + "/audit.jsonl");
  CHECK(audit.find(R"("status":"started")") != std::string::npos);
  CHECK(audit.find(R"("status":"succeeded")") != std::string::npos);
  CHECK(audit.find("\"exit_code\":0") != std::string::npos);
}
