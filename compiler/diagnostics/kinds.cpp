#include "compiler/diagnostics/diagnostic.h"

namespace socc::diagnostics {

const std::vector<KindInfo>& all_kinds() {
  static const std::vector<KindInfo> kinds = {
#define SOCC_DIAGNOSTIC(name, code, severity, summary) \
  {Kind::name, #name, code, Severity::severity, summary},
#include "compiler/diagnostics/kinds.def"
#undef SOCC_DIAGNOSTIC
  };
  return kinds;
}

const KindInfo& info(Kind kind) {
  return all_kinds()[static_cast<size_t>(kind)];
}

}  // namespace socc::diagnostics
