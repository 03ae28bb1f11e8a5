#pragma once

#include <string>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/source_manager.h"

namespace socc::diagnostics {

// `file:line:col: error[E0104]: message`, then the source line and a caret
// under the span, then each note.
std::string render_text(const Diagnostic& diagnostic, const SourceManager& sources);

// One JSON object per diagnostic (code, severity, file, line, column,
// end_line, end_column, message, notes), for CI tools.
std::string render_json(const Diagnostic& diagnostic, const SourceManager& sources);

std::string_view severity_name(Severity severity);

}  // namespace socc::diagnostics
