#pragma once

// Derived slots: values computed per event from other slots
// (`basename(image)`, `hour(time)`), after the decoder has filled the raw
// ones. Also the one place that turns a constant into a slot value, for
// rule tests and for anything else that builds events by hand.

#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/slot.h"

namespace socc::runtime {

class Deriver {
 public:
  explicit Deriver(const std::vector<ir::Slot>& slots);

  // Fills every derived slot of `slots` from its source, in pack order (a
  // source always precedes the slots derived from it). String results
  // point into this object and stay valid until the next call.
  void fill(socc_slot* slots);

  bool empty() const { return derived_.empty(); }

 private:
  struct Derived {
    int slot;
    int source;
    ir::Derive derive;
  };
  std::vector<Derived> derived_;
  std::vector<std::string> buffers_;
};

// Computes one derived value; `buffer` holds a string result that is not
// a view of the source.
void derive_value(ir::Derive derive, const socc_slot& source, socc_slot* out, std::string* buffer);

// Sets `slot` to the value of `constant` (present). String data points into
// `constant`.
void set_slot(socc_slot* slot, const ir::Constant& constant);

}  // namespace socc::runtime
