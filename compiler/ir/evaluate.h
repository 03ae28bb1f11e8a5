#pragma once

// A reference evaluator of the IR: the meaning of conditions
// (docs/language.md §7) written for clarity, not speed. It shares no code
// with the generated matchers or the runtime's string helpers, so tests can
// hold the two against each other (tests/unit/differential_test.cpp).
//
// Only runtime/slot.h, a plain C header, is included: the IR's data library
// does not depend on the runtime library.

#include <cstdint>

#include "compiler/ir/ir.h"
#include "runtime/slot.h"

namespace socc::ir {

// The value of `node` on an event whose slots (one per pack slot) are
// `slots`. A predicate on a missing slot is false, whatever its operator.
bool evaluate(const Pack& pack, const Node& node, const socc_slot* slots);

// The contract of the generated `socc_eval`: for every schema whose
// selection holds, fired[r] is 1 when rule r (of that schema) holds and 0
// otherwise. `socc_eval` leaves the entries of the other schemas' rules as
// they were, so callers zero `fired` first; this function writes 0 there.
// `fired` has one entry per rule of the pack.
void evaluate_pack(const Pack& pack, const socc_slot* slots, uint8_t* fired);

}  // namespace socc::ir
