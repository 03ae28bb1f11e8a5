// End-to-end tests over real Windows attack logs nobody on the team wrote
// (../shared/corpus/evtx) and over the bundled sample intrusion. The
// expected alert counts per rule and file were established independently of
// socc, with jq, as tests/e2e/README.md describes; they live in
// tests/e2e/*_expected.tsv (file, rule, count). A rule not listed for a file
// must not fire on it at all.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "runtime/engine.h"
#include "test_support.h"

using namespace socc::testing;

namespace {

struct Expectation {
  std::string file;
  std::map<std::string, uint64_t> counts;
};

std::vector<Expectation> read_expectations(const std::string& path) {
  std::vector<Expectation> result;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("file\t", 0) == 0) continue;
    std::istringstream fields(line);
    std::string file, rule, count;
    std::getline(fields, file, '\t');
    std::getline(fields, rule, '\t');
    std::getline(fields, count, '\t');
    if (result.empty() || result.back().file != file) result.push_back({file, {}});
    result.back().counts[rule] = std::stoull(count);
  }
  return result;
}

// Runs the bundled rules over one file and returns alerts per rule name,
// plus the engine's counters.
std::map<std::string, uint64_t> alerts_per_rule(const socc::driver::Compilation& compilation,
                                                const std::string& path,
                                                socc::runtime::EngineStats* stats) {
  std::map<std::string, uint64_t> counts;
  std::vector<std::string> errors;
  socc::runtime::Engine engine(
      compilation.pack, compilation.compiled->eval(),
      [&](const socc::runtime::Alert& alert) { ++counts[alert.rule->name]; },
      [&](std::string_view message) { errors.emplace_back(message); });
  int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE_MESSAGE(fd >= 0, "cannot open " << path);
  CHECK(engine.process_fd(fd, path));
  ::close(fd);
  *stats = engine.stats();
  return counts;
}

std::unique_ptr<socc::driver::Compilation> compile_bundled_rules() {
  socc::driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  auto compilation = socc::driver::compile_rules({source_dir() + "/rules"}, options);
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation));
  return compilation;
}

void check_expectations(const std::string& tsv, const std::string& base) {
  auto compilation = compile_bundled_rules();
  auto expectations = read_expectations(tsv);
  REQUIRE(expectations.size() > 0);
  for (const Expectation& expected : expectations) {
    CAPTURE(expected.file);
    socc::runtime::EngineStats stats;
    auto actual = alerts_per_rule(*compilation, base + expected.file, &stats);
    CHECK(stats.events > 0);
    for (const auto& [rule, count] : expected.counts) {
      CAPTURE(rule);
      CHECK(actual[rule] == count);
    }
    for (const auto& [rule, count] : actual) {
      CAPTURE(rule);
      CHECK_MESSAGE(expected.counts.count(rule) == 1, "unexpected alerts: " << count);
    }
  }
}

}  // namespace

TEST_CASE("bundled rules give the jq-established alerts on real attack logs") {
  check_expectations(source_dir() + "/tests/e2e/corpus_expected.tsv",
                     source_dir() + "/../shared/corpus/evtx/");
}

TEST_CASE("bundled rules give the expected alerts on the sample intrusion") {
  check_expectations(source_dir() + "/tests/e2e/sample_expected.tsv", source_dir() + "/");
}

TEST_CASE("every event of the whole corpus is evaluated and none is malformed") {
  auto compilation = compile_bundled_rules();
  // 8,255 events in 277 files, per ../shared/corpus/evtx/README.md.
  std::ifstream manifest(source_dir() + "/../shared/corpus/evtx/manifest.tsv");
  std::string line;
  std::getline(manifest, line);
  uint64_t events = 0, malformed = 0, files = 0, alerts = 0;
  while (std::getline(manifest, line)) {
    std::istringstream fields(line);
    std::string skip, jsonl;
    std::getline(fields, skip, '\t');
    std::getline(fields, skip, '\t');
    std::getline(fields, jsonl, '\t');
    socc::runtime::EngineStats stats;
    auto counts =
        alerts_per_rule(*compilation, source_dir() + "/../shared/corpus/evtx/" + jsonl, &stats);
    events += stats.events;
    malformed += stats.malformed;
    alerts += stats.alerts;
    ++files;
  }
  CHECK(files == 277);
  CHECK(events == 8255);
  CHECK(malformed == 0);
  CHECK(alerts > 0);
}
