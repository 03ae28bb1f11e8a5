// exists(field): true exactly when the event has a value for the field, in
// the generated code and in the reference evaluator alike.

#include <doctest/doctest.h>

#include "compiler/ir/evaluate.h"
#include "runtime/engine.h"
#include "test_support.h"

using namespace socc;
using namespace socc::testing;

TEST_CASE("exists is true exactly when the field has a value") {
  auto compilation = compile_source(R"(
schema E {
  name: string = "name"
  count: int = "count"
}
detection named { id "1" title "t" severity low on E where exists(name) }
detection unnamed { id "2" title "t" severity low on E where not exists(name) }
detection counted { id "3" title "t" severity low on E where exists(count) and count > 1 }
)",
                                    "rule.socc", true);
  REQUIRE(compilation->ok());
  // Each line: which of named, unnamed, counted must fire.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"name":"a","count":2})", "101"},
      {R"({"name":"","count":1})", "100"},  // an empty string is a value
      {R"({"name":null})", "010"},          // null is missing
      {R"({"count":"7"})", "011"},          // numbers in strings convert
      {R"({"count":"seven"})", "010"},      // and what does not convert is missing
      {R"({"name":{"x":1}})", "010"},       // an object without #text is missing
      {R"({"name":{"#text":"a"}})", "100"},
  };
  for (const auto& [line, expected] : cases) {
    CAPTURE(line);
    std::string fired(3, '0');
    runtime::Engine engine(
        compilation->pack, compilation->compiled->eval(),
        [&](const runtime::Alert& alert) { fired[alert.rule_index] = '1'; },
        [](std::string_view) {});
    engine.process(line, "t", 1);
    CHECK(fired == expected);
  }
  // The reference evaluator agrees on present and missing slots.
  std::vector<socc_slot> slots(compilation->pack.slots.size());
  for (int present = 0; present <= 1; ++present) {
    for (auto& slot : slots) slot.present = static_cast<uint8_t>(present);
    for (size_t r = 0; r < compilation->pack.rules.size(); ++r) {
      bool jit = compilation->compiled->rule(r)(slots.data()) != 0;
      CHECK(jit ==
            ir::evaluate(compilation->pack, compilation->pack.rules[r].condition, slots.data()));
    }
  }
}
