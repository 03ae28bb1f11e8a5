#pragma once

// The Sigma front end: reads Sigma rules (YAML) and writes, for each, an
// equivalent detection in socc source, which then goes through the same
// parser, checks and code generation as hand-written rules. A rule's
// logsource picks its schemas from a pipeline (pipeline.h); the front end
// collects the fields the rules read and writes the module declaring those
// schemas. Problems are diagnostics at the rule's own file, line and column;
// a rule with an error yields no detection, and the other rules go on.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/attack_catalog.h"
#include "compiler/sigma/pipeline.h"

namespace socc::sigma {

// The translation of one Sigma file.
struct Translation {
  // socc source for the file's detections; empty when none translated.
  std::string text;
  size_t rules = 0;         // detection documents in the file
  size_t translated = 0;    // of them, written as detections
  size_t correlations = 0;  // correlations checked (not run)
  size_t failed = 0;        // documents with errors
};

class FrontEnd {
 public:
  FrontEnd(const Pipeline& pipeline, const sema::AttackCatalog& catalog,
           diagnostics::DiagnosticSink& sink);
  ~FrontEnd();

  // Translates every Sigma document of a registered YAML file.
  Translation translate(const diagnostics::SourceManager& sources, diagnostics::FileId file_id);

  // Checks what needs every file: that correlations name rules that were
  // loaded. Call once, after the last translate().
  void finish();

  // socc source of the module declaring every schema a translated rule
  // reads, with the fields the rules read.
  std::string schema_module() const;
  // Where diagnostics go from now on.
  void set_sink(diagnostics::DiagnosticSink& sink) { sink_ = &sink; }

  // A field of a generated schema: the Sigma name and the socc type.
  struct FieldUse {
    std::string sigma_name;
    std::string type;
  };
  // The identifier a Sigma field of a type has in every generated schema;
  // records that `entries` have it.
  std::string use_field(const std::string& sigma_name, const std::string& type,
                        const std::vector<const LogsourceEntry*>& entries);

 private:
  friend class RuleTranslator;
  struct CorrelationRef {
    std::string name;
    diagnostics::Span span;
  };

  const Pipeline& pipeline_;
  const sema::AttackCatalog& catalog_;
  diagnostics::DiagnosticSink* sink_;
  std::map<std::pair<std::string, std::string>, std::string> field_names_;
  std::set<std::string> taken_names_;
  std::map<const LogsourceEntry*, std::map<std::string, FieldUse>> schema_fields_;
  std::set<std::string> detection_names_;
  // Ids taken by earlier documents of the file being translated.
  std::set<std::string> file_ids_;
  std::set<std::string> rule_refs_;  // ids and names of the loaded rules
  std::vector<CorrelationRef> correlation_refs_;
};

// The name of the field that holds every value of an event, for Sigma
// keyword searches; its raw path is `*` (see runtime/decoder.h).
inline constexpr const char* kEventTextField = "event_text";

}  // namespace socc::sigma
