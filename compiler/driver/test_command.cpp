#include <fmt/format.h>

#include <cstring>
#include <ostream>

#include "compiler/driver/commands.h"
#include "runtime/derive.h"

namespace socc::driver {

void fill_test_slots(const ir::TestCase& test, std::vector<socc_slot>& slots,
                     runtime::Deriver& deriver) {
  std::memset(slots.data(), 0, sizeof(socc_slot) * slots.size());
  for (const auto& [slot, value] : test.slot_values) runtime::set_slot(&slots[slot], value);
  deriver.fill(slots.data());
}

int test_command(const Compilation& compilation, std::ostream& out) {
  const ir::Pack& pack = compilation.pack;
  std::vector<socc_slot> slots(std::max<size_t>(pack.slots.size(), 1));
  runtime::Deriver deriver(pack.slots);
  size_t passed = 0;
  size_t failed = 0;
  for (const ir::TestCase& test : pack.tests) {
    fill_test_slots(test, slots, deriver);
    bool fired = compilation.compiled->rule(test.rule)(slots.data()) != 0;
    if (fired == test.expect_fire) {
      ++passed;
      continue;
    }
    ++failed;
    out << fmt::format("{}: FAIL: test of '{}': expected the detection to {}, but it {}\n",
                       test.source, test.test_name, test.expect_fire ? "fire" : "stay quiet",
                       fired ? "fired" : "stayed quiet");
  }
  out << fmt::format("{} passed, {} failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

}  // namespace socc::driver
