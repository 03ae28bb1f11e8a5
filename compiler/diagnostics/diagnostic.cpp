#include "compiler/diagnostics/diagnostic.h"

#include <algorithm>

namespace socc::diagnostics {

Diagnostic& DiagnosticSink::emit(Kind kind, Span span, std::string message) {
  Severity severity = info(kind).severity;
  if (severity == Severity::Warning && warnings_as_errors_) {
    severity = Severity::Error;
  }
  if (severity == Severity::Error) ++error_count_;
  if (severity == Severity::Warning) ++warning_count_;
  diagnostics_.push_back({kind, severity, span, std::move(message), {}, {}});
  return diagnostics_.back();
}

void DiagnosticSink::append(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::Warning && warnings_as_errors_) {
    diagnostic.severity = Severity::Error;
  }
  if (diagnostic.severity == Severity::Error) ++error_count_;
  if (diagnostic.severity == Severity::Warning) ++warning_count_;
  diagnostics_.push_back(std::move(diagnostic));
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
  std::vector<Diagnostic> result = diagnostics_;
  std::stable_sort(result.begin(), result.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.span.file_id != b.span.file_id) {
      return a.span.file_id < b.span.file_id;
    }
    return a.span.begin < b.span.begin;
  });
  return result;
}

}  // namespace socc::diagnostics
