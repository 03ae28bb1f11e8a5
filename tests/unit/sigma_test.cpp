// The Sigma front end against data nobody on the team wrote: the conformance
// cases of ../shared/cases/sigma-edge (each built from a public bug report
// against another engine), the whole public Sigma corpus (compile ratio),
// and SigmaHQ's regression data (match ratio, with SigmaHQ's own
// criterion). The ratios print, and fail under their thresholds.

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/ir/print.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace socc;
using namespace socc::testing;

namespace {

std::string shared_dir() {
  return source_dir() + "/../shared";
}

// The event lines (1-based) of `events` on which the rules of `rules` alert.
std::set<int> alerting_lines(const std::string& dir, const std::string& rules,
                             const std::string& events, std::string* errors) {
  CommandResult result = run_socc(dir, "run -O0 --rules '" + rules + "' '" + events + "'");
  *errors = result.err;
  std::set<int> lines;
  std::istringstream out(result.out);
  std::string line;
  const std::string marker = "\"line\":";
  while (std::getline(out, line)) {
    size_t at = line.find("\"source\":{");
    if (at == std::string::npos) continue;
    at = line.find(marker, at);
    if (at != std::string::npos) lines.insert(std::stoi(line.substr(at + marker.size())));
  }
  return lines;
}

std::vector<std::string> split_tab(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    cells.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
    if (tab == std::string::npos) return cells;
    start = tab + 1;
  }
}

}  // namespace

TEST_CASE("sigma: every edge case alerts on exactly its expected lines") {
  fs::path root = fs::path(shared_dir()) / "cases/sigma-edge";
  REQUIRE(fs::is_directory(root));
  size_t cases = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    fs::path dir = entry.path();
    CAPTURE(dir.filename().string());
    YAML::Node expected = YAML::LoadFile((dir / "expected.json").string());
    std::set<int> wanted, either;
    for (const auto& line : expected["matching_lines"]) wanted.insert(line.as<int>());
    if (expected["ambiguous_lines"]) {
      for (const auto& line : expected["ambiguous_lines"]) either.insert(line.as<int>());
    }
    std::string errors;
    std::set<int> got = alerting_lines(dir.string(), "rule.yml", "events.jsonl", &errors);
    if (expected["expect_reject"] && expected["expect_reject"].as<bool>()) {
      CHECK(got.empty());
      CHECK(errors.find("error[") != std::string::npos);
      ++cases;
      continue;
    }
    INFO("socc said: " << errors);
    for (int line : wanted) CHECK_MESSAGE(got.count(line), "line " << line << " must alert");
    for (int line : got) {
      CHECK_MESSAGE((wanted.count(line) || either.count(line)), "line " << line << " must not");
    }
    ++cases;
  }
  CHECK(cases >= 12);
}

TEST_CASE("sigma: at least 99% of the public corpus compiles; docs/sigma.md lists the rest") {
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  options.generate_code = false;
  options.skip_failed_sigma = true;
  auto compilation = driver::compile_rules({shared_dir() + "/corpus/sigma"}, options);
  // Skipped rules are warnings; anything left an error is a translation
  // the rest of the compiler refused, which is a front-end bug.
  for (const auto& d : compilation->sink.diagnostics()) {
    if (d.severity == diagnostics::Severity::Error) {
      FAIL_CHECK(compilation->sources.path(d.span.file_id) << ": " << d.message);
    }
  }
  REQUIRE(compilation->ok());
  const driver::SigmaTotals& totals = compilation->sigma;
  // Files whose documents were left out, with their first reason.
  std::map<std::string, std::string> failed;
  for (const auto& d : compilation->sink.diagnostics()) {
    const auto& kind = diagnostics::info(d.kind);
    if (kind.severity != diagnostics::Severity::Error) continue;
    std::string path = compilation->sources.path(d.span.file_id);
    std::string relative = fs::path(path).lexically_relative(shared_dir() + "/corpus").string();
    failed.emplace(relative, std::string(kind.code) + " " + d.message);
  }
  size_t detections = totals.rules - totals.correlations;
  double ratio = double(totals.translated) / double(std::max<size_t>(detections, 1));
  MESSAGE("Sigma corpus: " << totals.files << " files, " << totals.rules << " documents: "
                           << totals.translated << " detections compiled, " << totals.correlations
                           << " correlations checked (not run), " << totals.failed << " left out; "
                           << 100.0 * ratio << "% of detection rules compile");
  CHECK(totals.translated + totals.correlations + totals.failed == totals.rules);
  CHECK(ratio >= 0.99);
  std::string docs = read_file(source_dir() + "/docs/sigma.md");
  for (const auto& [path, why] : failed) {
    CHECK_MESSAGE(docs.find(path) != std::string::npos,
                  "docs/sigma.md does not list " << path << " (" << why << ")");
  }
}

TEST_CASE("sigma: SigmaHQ's regression data, by SigmaHQ's criterion, for at least 98% of cases") {
  std::string corpus = shared_dir() + "/corpus";
  std::ifstream index(corpus + "/sigma-regression/cases.tsv");
  REQUIRE(index);
  std::string line;
  std::getline(index, line);
  size_t cases = 0, passed = 0;
  std::vector<std::string> failures, more;
  while (std::getline(index, line)) {
    auto cells = split_tab(line);
    REQUIRE(cells.size() >= 10);
    const std::string& rule = cells[2];
    const std::string& match_count = cells[7];
    const std::string& jsonl = cells[9];
    ++cases;
    std::string errors;
    std::set<int> got = alerting_lines(corpus, rule, "sigma-regression/" + jsonl, &errors);
    size_t need = match_count.empty() ? 1 : std::stoul(match_count);
    if (got.size() >= need) {
      ++passed;
      if (!match_count.empty() && got.size() > need) {
        more.push_back(rule + " (" + std::to_string(got.size()) + " > " + match_count + ")");
      }
    } else {
      failures.push_back(rule + " (" + std::to_string(got.size()) + " of " + std::to_string(need) +
                         ")");
    }
  }
  std::string shown;
  for (const auto& f : failures) shown += "\n  fails: " + f;
  for (const auto& m : more) shown += "\n  more than match_count: " + m;
  double ratio = double(passed) / double(std::max<size_t>(cases, 1));
  MESSAGE("Sigma regression data: " << passed << " of " << cases << " cases (" << 100.0 * ratio
                                    << "%) match at least match_count events" << shown);
  CHECK(cases >= 200);
  CHECK(ratio >= 0.98);
  std::string docs = read_file(source_dir() + "/docs/sigma.md");
  for (const auto& f : failures) {
    std::string path = f.substr(0, f.find(' '));
    CHECK_MESSAGE(docs.find(path) != std::string::npos, "docs/sigma.md does not list " << f);
  }
}

TEST_CASE("sigma: a pipeline that maps no logsource, and a malformed pipeline") {
  std::string dir = write_temp_tree({
      {"narrow.yml",
       "module: sigma\n"
       "layouts:\n"
       "  flat: {default: '{field}'}\n"
       "logsources:\n"
       "  - {schema: linux, layout: flat, match: {product: linux}}\n"},
      {"broken.yml",
       "module: sigma\nlayouts: {flat: {default: 'no placeholder'}}\n"
       "logsources: []\n"},
      {"rule.yml",
       "title: t\nid: 1\nlogsource: {product: windows}\n"
       "detection: {selection: {Image: x}, condition: selection}\n"},
  });
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  options.generate_code = false;
  options.sigma_pipeline = dir + "/narrow.yml";
  auto narrow = driver::compile_rules({dir + "/rule.yml"}, options);
  CHECK(diagnostic_codes(*narrow) == std::vector<std::string>{"E0507"});
  CHECK(rendered_diagnostics(*narrow).find("rule.yml:3:12: error[E0507]: no entry of the "
                                           "pipeline") != std::string::npos);
  options.sigma_pipeline = dir + "/broken.yml";
  auto broken = driver::compile_rules({dir + "/rule.yml"}, options);
  CHECK(diagnostic_codes(*broken) == std::vector<std::string>{"E0508"});
  CHECK(rendered_diagnostics(*broken).find("broken.yml:2:17: error[E0508]: layout 'flat' needs") !=
        std::string::npos);
}

TEST_CASE("sigma: import-sigma writes socc that compiles to the same IR") {
  std::string out = write_temp_tree({});
  std::string rules = shared_dir() + "/corpus/sigma/rules/windows/process_creation";
  CommandResult imported = run_socc(out, "import-sigma -o translated '" + rules + "'");
  REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  options.generate_code = false;
  auto direct = driver::compile_rules({rules}, options);
  auto through_socc = driver::compile_rules({out + "/translated"}, options);
  REQUIRE(direct->ok());
  REQUIRE_MESSAGE(through_socc->ok(), rendered_diagnostics(*through_socc));
  REQUIRE(direct->pack.rules.size() == through_socc->pack.rules.size());
  CHECK(direct->pack.rules.size() > 1000);
  // Rules load in file order either way; the printed IR names slots by
  // path, so it is the same whatever order the slots were made in.
  std::map<std::string, std::string> a, b;
  for (size_t r = 0; r < direct->pack.rules.size(); ++r) {
    a[direct->pack.rules[r].rule_id + direct->pack.schemas[direct->pack.rules[r].schema].name] =
        ir::print_rule(direct->pack, static_cast<int>(r));
    b[through_socc->pack.rules[r].rule_id +
      through_socc->pack.schemas[through_socc->pack.rules[r].schema].name] =
        ir::print_rule(through_socc->pack, static_cast<int>(r));
  }
  size_t differing = 0;
  for (const auto& [key, text] : a) differing += b[key] != text;
  CHECK(differing == 0);
}

TEST_CASE("sigma: keywords search every value of the event, nested or in arrays") {
  std::string dir = write_temp_tree({
      {"rule.yml",
       "title: keywords\nid: k-1\nlogsource: {product: windows, service: system}\n"
       "detection:\n  keywords: ['event::clear', 'lsadump*sam']\n"
       "  condition: keywords\n"},
      {"events.jsonl",
       R"({"Event":{"System":{"Channel":"System","EventID":1},)"
       R"("EventData":{"Data":{"#text":["a","mimikatz event::Clear"]}}}})"
       "\n"
       R"({"Event":{"System":{"Channel":"System","EventID":2},)"
       R"("EventData":{"x":{"y":[1,{"z":"LSADUMP::SAM"}]}}}})"
       "\n"
       R"({"Event":{"System":{"Channel":"System","EventID":3},)"
       R"("EventData":{"x":"event:clear lsadump"}}})"
       "\n"
       R"({"Event":{"System":{"Channel":"Security","EventID":4},"EventData":{"x":"event::clear"}}})"
       "\n"},
  });
  std::string errors;
  std::set<int> got = alerting_lines(dir, "rule.yml", "events.jsonl", &errors);
  INFO(errors);
  CHECK(got == std::set<int>{1, 2});
}

TEST_CASE("sigma: a collection whose documents hold self-referencing anchors merges and ends") {
  std::string chain = "  a0: &x0 {v: 1}\n";
  for (int i = 1; i < 20000; ++i) {
    chain += "  a" + std::to_string(i) + ": &x" + std::to_string(i) + " {n: *x" +
             std::to_string(i - 1) + "}\n";
  }
  std::string dir = write_temp_tree({
      {"cyclic.yml",
       "action: global\ntitle: G\nid: g-1\n"
       "logsource: {product: windows, category: process_creation}\n"
       "extra: &s {loop: *s}\n---\nextra: &t {loop: *t}\n"
       "detection:\n  sel: {Image: x}\n  condition: sel\n"},
      {"chain.yml",
       "action: global\ntitle: G\nid: g-2\n"
       "logsource: {product: windows, category: process_creation}\n"
       "chain:\n" +
           chain +
           "deep: *x19999\n---\n"
           "detection:\n  sel: {Image: x}\n  condition: sel\n"},
  });
  for (const char* file : {"cyclic.yml", "chain.yml"}) {
    CAPTURE(file);
    CommandResult result = run_socc(dir, std::string("build -O0 ") + file);
    CHECK_MESSAGE(result.exit_code == 0, result.err);
  }
}
