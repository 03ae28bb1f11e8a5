// Differential tests: the generated matchers (codegen + JIT + the runtime's
// string helpers) against the reference evaluator of the IR
// (compiler/ir/evaluate.h), which implements docs/language.md §7 on its own.
//
//  - every test case of the bundled rules: both sides agree, and match the
//    case's expectation;
//  - every event of the real corpus (../shared/corpus/evtx): socc_eval and
//    evaluate_pack give identical fired arrays, and every rule function
//    agrees with the evaluator whatever the schema;
//  - random packs written in the language (fixed seed) on thousands of
//    random slot vectors. Here a third oracle takes part: the generator's own
//    model of each condition, evaluated straight from the generated syntax
//    tree, which also checks parsing, typing and lowering. The packs use
//    every matching construct: globs, regexes, any/all lists, addresses and
//    networks, timestamps and durations, field-to-field comparisons, field
//    functions (derived slots, which the runtime's Deriver fills and the
//    evaluator and the model recompute), constant functions, macros and
//    named lists.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "compiler/driver/commands.h"
#include "compiler/ir/evaluate.h"
#include "random_pack_gen.h"
#include "runtime/decoder.h"
#include "runtime/derive.h"
#include "runtime/line_reader.h"
#include "runtime/timestamp.h"
#include "test_support.h"

using namespace socc;
using namespace socc::testing;

namespace {

std::unique_ptr<driver::Compilation> compile_bundled_rules() {
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  auto compilation = driver::compile_rules({source_dir() + "/rules"}, options);
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation));
  REQUIRE(compilation->compiled);
  return compilation;
}

// Bytes as a C-like string literal, for messages.
std::string escaped(std::string_view bytes) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = "\"";
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\\' || c == '"') {
      out += '\\';
      out += ch;
    } else if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + "\"";
}

std::string describe_slots(const ir::Pack& pack, const socc_slot* slots) {
  std::ostringstream out;
  for (size_t i = 0; i < pack.slots.size(); ++i) {
    const socc_slot& s = slots[i];
    out << "  slot " << i << " " << pack.slots[i].path << ": "
        << ir::value_type_name(pack.slots[i].type)
        << (pack.slots[i].derive != ir::Derive::None ? " (derived)" : "") << " = ";
    if (!s.present) {
      out << "missing\n";
      continue;
    }
    switch (pack.slots[i].type) {
      case ir::ValueType::String:
        out << escaped({s.data, static_cast<size_t>(s.size)});
        break;
      case ir::ValueType::Int:
        out << s.integer;
        break;
      case ir::ValueType::Timestamp:
        out << s.integer << " us (" << runtime::format_timestamp(s.integer) << ")";
        break;
      case ir::ValueType::Duration:
        out << s.integer << " us";
        break;
      case ir::ValueType::Ip: {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "hi %#018llx lo %#018llx ",
                      static_cast<unsigned long long>(s.integer),
                      static_cast<unsigned long long>(s.low));
        out << buffer << escaped({s.data, static_cast<size_t>(s.size)});
        break;
      }
      case ir::ValueType::Float: {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.17g", s.real);
        out << buffer;
        break;
      }
      case ir::ValueType::Bool:
        out << (s.boolean ? "true" : "false");
        break;
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace

// ---------------------------------------------------------------------------
// (a) the bundled rules' own test cases

TEST_CASE("differential: bundled rule tests, generated code against the reference evaluator") {
  auto compilation = compile_bundled_rules();
  const ir::Pack& pack = compilation->pack;
  std::vector<socc_slot> slots(std::max<size_t>(pack.slots.size(), 1));
  runtime::Deriver deriver(pack.slots);
  std::vector<Tri> modelled(pack.rules.size());
  size_t cases = 0, fires = 0, disagreements = 0;
  for (const ir::TestCase& test : pack.tests) {
    driver::fill_test_slots(test, slots, deriver);
    bool jit = compilation->compiled->rule(test.rule)(slots.data()) != 0;
    bool reference = ir::evaluate(pack, pack.rules[test.rule].condition, slots.data());
    CAPTURE(test.source);
    CAPTURE(test.test_name);
    CHECK(jit == reference);
    CHECK(reference == test.expect_fire);
    disagreements += jit != reference;
    ++cases;
    fires += test.expect_fire;
  }
  CHECK(cases > 0);
  MESSAGE("bundled rule tests: " << cases << " cases (" << fires << " fires, " << cases - fires
                                 << " quiet) over " << pack.rules.size() << " rules; "
                                 << disagreements << " disagreements");
}

// ---------------------------------------------------------------------------
// (b) the real corpus

TEST_CASE("differential: every corpus event, socc_eval against evaluate_pack") {
  namespace fs = std::filesystem;
  auto compilation = compile_bundled_rules();
  const ir::Pack& pack = compilation->pack;
  runtime::Decoder decoder(pack.slots);
  std::vector<socc_slot> slots(std::max<size_t>(pack.slots.size(), 1));
  std::vector<uint8_t> jit(std::max<size_t>(pack.rules.size(), 1));
  std::vector<uint8_t> reference(jit.size());

  std::vector<std::string> files;
  std::string root = source_dir() + "/../shared/corpus/evtx";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() == ".jsonl") {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());

  uint64_t events = 0, malformed = 0, alerts = 0, rule_checks = 0, mismatched_events = 0,
           mismatched_rules = 0;
  std::vector<uint64_t> fired_per_rule(pack.rules.size());
  for (const std::string& path : files) {
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE_MESSAGE(fd >= 0, "cannot open " << path);
    runtime::LineReader reader(fd, 16u << 20);
    std::string_view line;
    size_t line_number = 0;
    for (;;) {
      auto status = reader.next(&line, &line_number);
      if (status == runtime::LineReader::Status::End) break;
      REQUIRE(status == runtime::LineReader::Status::Line);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      std::string error;
      if (!decoder.decode(line, slots.data(), &error)) {
        ++malformed;
        continue;
      }
      ++events;
      std::memset(jit.data(), 0, jit.size());
      std::memset(reference.data(), 0xAA, reference.size());
      compilation->compiled->eval()(slots.data(), jit.data());
      ir::evaluate_pack(pack, slots.data(), reference.data());
      bool same = std::memcmp(jit.data(), reference.data(), pack.rules.size()) == 0;
      if (!same && ++mismatched_events <= 5) {
        std::ostringstream rules;
        for (size_t r = 0; r < pack.rules.size(); ++r) {
          if (jit[r] != reference[r]) {
            rules << " " << pack.rules[r].name << " (jit " << int(jit[r]) << ", evaluator "
                  << int(reference[r]) << ")";
          }
        }
        FAIL_CHECK(path << ":" << line_number
                        << ": socc_eval and evaluate_pack differ:" << rules.str() << "\n"
                        << describe_slots(pack, slots.data()));
      }
      for (size_t r = 0; r < pack.rules.size(); ++r) {
        alerts += reference[r];
        fired_per_rule[r] += reference[r];
        // Every rule function on every event, selected or not: conditions on
        // the slots of other schemas exercise the missing-value paths.
        bool rule_jit = compilation->compiled->rule(r)(slots.data()) != 0;
        bool rule_ref = ir::evaluate(pack, pack.rules[r].condition, slots.data());
        ++rule_checks;
        if (rule_jit != rule_ref && ++mismatched_rules <= 5) {
          FAIL_CHECK(path << ":" << line_number << ": rule " << pack.rules[r].name << ": jit "
                          << rule_jit << ", evaluator " << rule_ref << "\n"
                          << describe_slots(pack, slots.data()));
        }
      }
    }
    ::close(fd);
  }
  size_t rules_fired =
      std::count_if(fired_per_rule.begin(), fired_per_rule.end(), [](uint64_t n) { return n > 0; });
  // 8,255 events in 277 files, per ../shared/corpus/evtx/README.md.
  CHECK(files.size() == 277);
  CHECK(events == 8255);
  CHECK(malformed == 0);
  CHECK(alerts > 0);
  CHECK(mismatched_events == 0);
  CHECK(mismatched_rules == 0);
  MESSAGE("corpus: " << files.size() << " files, " << events << " events, " << alerts
                     << " alerts from " << rules_fired << " of " << pack.rules.size() << " rules; "
                     << rule_checks << " rule-function checks; " << mismatched_events
                     << " mismatched events, " << mismatched_rules << " mismatched rule checks");
}

// ---------------------------------------------------------------------------
// (c) random packs on random slot vectors

namespace {

struct Disagreement {
  std::string what;
  std::string source;
  std::string rule;
  std::string slots;
};

struct FuzzTotals {
  size_t packs = 0;
  size_t rules = 0;
  size_t predicates = 0;
  size_t derived_slots = 0;
  size_t regexes = 0;
  size_t vectors = 0;
  size_t rule_checks = 0;
  // Rule checks the model could not decide (a regex outside the shapes it
  // knows); there only the generated code and the evaluator are compared.
  size_t undecided = 0;
  size_t fired = 0;
  size_t selected = 0;
  size_t schema_checks = 0;
  size_t disagreements = 0;
  std::vector<Disagreement> first;
};

size_t count_predicates(const ir::Node& node) {
  size_t count = node.kind == ir::NodeKind::Predicate ? 1 : 0;
  for (const ir::Node& child : node.children) count += count_predicates(child);
  return count;
}

void note(FuzzTotals& totals, std::string what, const std::string& source, const RuleGen* rule,
          const ir::Pack& pack, const socc_slot* slots) {
  ++totals.disagreements;
  if (totals.first.size() >= 5) return;
  // The big packs run to hundreds of kilobytes; their start says enough.
  constexpr size_t kShown = 20000;
  std::string shown = source.size() <= kShown ? source : source.substr(0, kShown) + "\n[...]\n";
  totals.first.push_back({std::move(what), std::move(shown),
                          rule ? rule->name + ": " + rule->where_text.substr(0, 2000) : "",
                          describe_slots(pack, slots)});
}

// Every field a condition reads has a slot in the compiled pack.
void require_bound(const SchemaGen& schema, const Expr& e) {
  // A macro's argument has a slot only if its body reads the parameter.
  if (e.kind == Expr::Kind::Macro) return;
  if (e.lhs.field >= 0) REQUIRE(schema.fields[e.lhs.field].slot >= 0);
  if (e.field_rhs) REQUIRE(schema.fields[e.rhs_ref.field].slot >= 0);
  for (const Expr& kid : e.kids) require_bound(schema, kid);
}

// Compiles one generated pack and holds the generated code, the reference
// evaluator and the model against each other on `vector_count` events.
void run_pack(Rng& rng, bool big, size_t vector_count, FuzzTotals& totals, Coverage& coverage) {
  PackGen gen(rng, coverage);
  if (big) {
    gen.generate_big();
  } else {
    gen.generate_small();
  }
  std::string source = gen.source();
  auto compilation = compile_source(source);
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation) << "\n" << source);
  REQUIRE(compilation->compiled);
  const ir::Pack& pack = compilation->pack;
  REQUIRE(pack.rules.size() == gen.rules.size());
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    REQUIRE(pack.rules[r].name == gen.rules[r].name);
    totals.predicates += count_predicates(pack.rules[r].condition);
  }
  gen.bind_slots(pack);
  // Schemas no rule is on are not lowered; the others have all their slots.
  for (const RuleGen& rule : gen.rules) {
    for (const SelectClause& clause : gen.schemas[rule.schema].select) {
      REQUIRE(clause.slot >= 0);
    }
    require_bound(gen.schemas[rule.schema], rule.where);
  }
  ++totals.packs;
  totals.rules += pack.rules.size();
  totals.regexes += pack.regexes.size();
  for (const ir::Slot& slot : pack.slots) totals.derived_slots += slot.derive != ir::Derive::None;

  std::vector<socc_slot> slots(std::max<size_t>(pack.slots.size(), 1));
  std::vector<uint8_t> jit(std::max<size_t>(pack.rules.size(), 1));
  std::vector<uint8_t> reference(jit.size());
  std::deque<std::string> storage;
  runtime::Deriver deriver(pack.slots);
  std::vector<Tri> modelled(pack.rules.size());
  auto shown = [](Tri t) { return t == Tri::Unknown ? "?" : t == Tri::True ? "1" : "0"; };
  for (size_t v = 0; v < vector_count; ++v) {
    storage.clear();
    gen.fill_slots(slots, pack, deriver, storage);
    ++totals.vectors;
    for (size_t r = 0; r < pack.rules.size(); ++r) {
      const RuleGen& rule = gen.rules[r];
      bool by_jit = compilation->compiled->rule(r)(slots.data()) != 0;
      bool by_evaluator = ir::evaluate(pack, pack.rules[r].condition, slots.data());
      Tri by_model = gen.model(gen.schemas[rule.schema], rule.where, slots.data());
      modelled[r] = by_model;
      ++totals.rule_checks;
      totals.fired += by_evaluator;
      totals.undecided += by_model == Tri::Unknown;
      if (by_jit != by_evaluator ||
          (by_model != Tri::Unknown && by_evaluator != (by_model == Tri::True))) {
        std::ostringstream what;
        what << "rule " << rule.name << ": generated code " << by_jit << ", evaluator "
             << by_evaluator << ", model " << shown(by_model);
        note(totals, what.str(), source, &rule, pack, slots.data());
      }
    }
    std::memset(jit.data(), 0, jit.size());
    std::memset(reference.data(), 0xAA, reference.size());
    compilation->compiled->eval()(slots.data(), jit.data());
    ir::evaluate_pack(pack, slots.data(), reference.data());
    for (size_t r = 0; r < pack.rules.size(); ++r) {
      const RuleGen& rule = gen.rules[r];
      const SchemaGen& schema = gen.schemas[rule.schema];
      bool selected = gen.model_select(schema, slots.data()) == Tri::True;
      Tri by_model = selected ? modelled[r] : Tri::False;
      totals.selected += selected;
      ++totals.schema_checks;
      if (jit[r] != reference[r] ||
          (by_model != Tri::Unknown && reference[r] != uint8_t(by_model == Tri::True))) {
        std::ostringstream what;
        what << "socc_eval for rule " << rule.name << " (schema " << schema.name
             << "): generated code " << int(jit[r]) << ", evaluate_pack " << int(reference[r])
             << ", model " << shown(by_model);
        note(totals, what.str(), source, &rule, pack, slots.data());
      }
    }
  }
}

}  // namespace

TEST_CASE("differential: random packs on random events, generated code against the evaluator") {
  // A fixed seed and size; SOCC_DIFFERENTIAL_SEED and SOCC_DIFFERENTIAL_PACKS
  // explore further (the run then takes longer than the suite should).
  uint64_t seed = 0x50CCD1FF20240001ull;
  size_t small_packs = 120;
  if (const char* env = std::getenv("SOCC_DIFFERENTIAL_SEED"))
    seed = std::strtoull(env, nullptr, 0);
  if (const char* env = std::getenv("SOCC_DIFFERENTIAL_PACKS"))
    small_packs = std::strtoull(env, nullptr, 0);
  auto start = std::chrono::steady_clock::now();
  Rng rng(seed);
  FuzzTotals totals;
  Coverage coverage;
  constexpr size_t kVectorsPerPack = 2000;
  for (size_t p = 0; p < small_packs; ++p) run_pack(rng, false, kVectorsPerPack, totals, coverage);
  // Big packs cost a second or two of LLVM optimisation each; longer runs
  // get more of them.
  size_t big_packs = std::max<size_t>(2, small_packs / 60);
  for (size_t p = 0; p < big_packs; ++p) run_pack(rng, true, 200, totals, coverage);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  for (const Disagreement& d : totals.first) {
    FAIL_CHECK(d.what << "\n" << d.rule << "\n" << d.slots << "--- pack source ---\n" << d.source);
  }
  CHECK(totals.disagreements == 0);
  // Matches must actually happen, or the comparison says little.
  CHECK(totals.fired > totals.rule_checks / 20);
  CHECK(totals.fired < totals.rule_checks - totals.rule_checks / 20);
  char seed_text[32];
  std::snprintf(seed_text, sizeof seed_text, "%#llx", static_cast<unsigned long long>(seed));
  // Per construct: atoms generated, then how they came out on events that
  // had the value (true / false / not decided by the model).
  std::ostringstream mix;
  for (size_t k = 0; k < coverage.names.size(); ++k) {
    const auto& outcome = coverage.outcomes[k];
    mix << "\n  " << coverage.names[k] << ": " << coverage.generated[k] << " ("
        << outcome[static_cast<int>(Tri::True)] << " / " << outcome[static_cast<int>(Tri::False)]
        << " / " << outcome[static_cast<int>(Tri::Unknown)] << ")";
  }
  MESSAGE("random (seed " << seed_text << "): " << totals.packs << " packs, " << totals.rules
                          << " rules (" << totals.predicates << " predicates, "
                          << totals.derived_slots << " derived slots, " << totals.regexes
                          << " regexes), " << totals.vectors << " slot vectors, "
                          << totals.rule_checks << " rule checks (" << totals.fired << " fired, "
                          << totals.undecided << " not decided by the model), "
                          << totals.schema_checks << " socc_eval checks (" << totals.selected
                          << " selected); " << totals.disagreements << " disagreements; " << seconds
                          << " s\natoms generated (true / false / undecided):" << mix.str());
}
