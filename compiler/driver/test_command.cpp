#include <fmt/format.h>

#include <cstring>
#include <ostream>

#include "compiler/driver/commands.h"
#include "runtime/timestamp.h"

namespace socc::driver {

void fill_test_slots(const ir::TestCase& test, std::vector<socc_slot>& slots) {
  std::memset(slots.data(), 0, sizeof(socc_slot) * slots.size());
  for (const auto& [slot, value] : test.slot_values) {
    socc_slot& s = slots[slot];
    s.present = 1;
    s.data = value.string_value.data();
    s.size = value.string_value.size();
    s.integer = value.int_value;
    s.real = value.float_value;
    s.boolean = value.bool_value;
    if (value.type == ir::ValueType::Timestamp) {
      auto micros = runtime::parse_timestamp(value.string_value);
      s.present = micros.has_value();
      s.integer = micros.value_or(0);
    }
  }
}

int test_command(const Compilation& compilation, std::ostream& out) {
  const ir::Pack& pack = compilation.pack;
  std::vector<socc_slot> slots(std::max<size_t>(pack.slots.size(), 1));
  size_t passed = 0;
  size_t failed = 0;
  for (const ir::TestCase& test : pack.tests) {
    fill_test_slots(test, slots);
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
