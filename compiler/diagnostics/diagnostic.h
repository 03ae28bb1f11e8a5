#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/source_manager.h"

namespace socc::diagnostics {

enum class Severity { Note, Warning, Error };

// Every kind of diagnostic the compiler can emit; see kinds.def.
enum class Kind {
#define SOCC_DIAGNOSTIC(name, code, severity, summary) name,
#include "compiler/diagnostics/kinds.def"
#undef SOCC_DIAGNOSTIC
};

struct KindInfo {
  Kind kind;
  std::string_view name;
  std::string_view code;
  Severity severity;
  std::string_view summary;
};

const KindInfo& info(Kind kind);
const std::vector<KindInfo>& all_kinds();

struct Note {
  Span span;
  // A note without a location (for example "did you mean") has no span.
  bool has_span = false;
  std::string message;
};

// A suggested edit: replace the text of `span` with `replacement`.
struct FixIt {
  Span span;
  std::string replacement;
};

// One finding about the user's source: a value, printed only by the driver.
struct Diagnostic {
  Kind kind;
  Severity severity;
  Span span;
  std::string message;
  std::vector<Note> notes;
  std::vector<FixIt> fixits;
};

// Collects diagnostics in the order they were emitted. Phases keep going
// after an error so that one run reports every problem of the input.
class DiagnosticSink {
 public:
  Diagnostic& emit(Kind kind, Span span, std::string message);
  // Adds a diagnostic made elsewhere (another sink), counted by its own
  // severity.
  void append(Diagnostic diagnostic);

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t error_count() const { return error_count_; }
  size_t warning_count() const { return warning_count_; }
  bool has_errors() const { return error_count_ > 0; }
  // Treats every warning as an error from now on (`--werror`).
  void set_warnings_as_errors(bool value) { warnings_as_errors_ = value; }
  // The diagnostics ordered by file and position; ties keep emission order.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> diagnostics_;
  size_t error_count_ = 0;
  size_t warning_count_ = 0;
  bool warnings_as_errors_ = false;
};

}  // namespace socc::diagnostics
