#include "compiler/diagnostics/render.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/json_writer.h"

namespace socc::diagnostics {
namespace {

// The source line under a span, with a caret line marking the span. Tabs are
// kept so that the caret stays aligned in a terminal.
void append_excerpt(std::string& out, const SourceManager& sources, Span span) {
  // Diagnostics about a whole file (unreadable, too large) have no text.
  if (sources.text(span.file_id).empty()) return;
  LineColumn start = sources.position(span.file_id, span.begin);
  std::string_view line = sources.line_text(span.file_id, start.line);
  // Very long lines are cut so that a 50 MB one-line file stays readable.
  constexpr size_t kMaxShown = 200;
  if (start.column - 1 > kMaxShown || line.size() > 4 * kMaxShown) return;
  out += fmt::format("  {}\n  ", line);
  // Columns count bytes, a terminal counts characters: UTF-8 continuation
  // bytes take no room under the line.
  auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  for (uint32_t i = 1; i < start.column && i - 1 < line.size(); ++i) {
    if (continuation(line[i - 1])) continue;
    out += line[i - 1] == '\t' ? '\t' : ' ';
  }
  uint32_t width = span.end > span.begin ? span.end - span.begin : 1;
  size_t first = start.column - 1;
  size_t last = std::min<size_t>(first + width, line.size());
  size_t marks = 0;
  for (size_t i = first; i < last; ++i) marks += continuation(line[i]) ? 0 : 1;
  out += '^';
  out.append(std::max<size_t>(marks, 1) - 1, '~');
  out += '\n';
}

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Note:
      return "note";
    case Severity::Warning:
      return "warning";
    case Severity::Error:
      return "error";
  }
  return "error";
}

std::string render_text(const Diagnostic& diagnostic, const SourceManager& sources) {
  std::string out;
  const Span& span = diagnostic.span;
  LineColumn start = sources.position(span.file_id, span.begin);
  out += fmt::format("{}:{}:{}: {}[{}]: {}\n", sources.path(span.file_id), start.line, start.column,
                     severity_name(diagnostic.severity), info(diagnostic.kind).code,
                     diagnostic.message);
  append_excerpt(out, sources, span);
  for (const Note& note : diagnostic.notes) {
    if (note.has_span) {
      LineColumn at = sources.position(note.span.file_id, note.span.begin);
      out += fmt::format("{}:{}:{}: note: {}\n", sources.path(note.span.file_id), at.line,
                         at.column, note.message);
      append_excerpt(out, sources, note.span);
    } else {
      out += fmt::format("  note: {}\n", note.message);
    }
  }
  return out;
}

std::string render_json(const Diagnostic& diagnostic, const SourceManager& sources) {
  const Span& span = diagnostic.span;
  LineColumn start = sources.position(span.file_id, span.begin);
  LineColumn end = sources.position(span.file_id, span.end);
  runtime::JsonWriter json;
  json.begin_object();
  json.key("code").value(info(diagnostic.kind).code);
  json.key("severity").value(severity_name(diagnostic.severity));
  json.key("file").value(sources.path(span.file_id));
  json.key("line").value(int64_t{start.line});
  json.key("column").value(int64_t{start.column});
  json.key("end_line").value(int64_t{end.line});
  json.key("end_column").value(int64_t{end.column});
  json.key("message").value(diagnostic.message);
  json.key("notes").begin_array();
  for (const Note& note : diagnostic.notes) json.value(note.message);
  json.end_array();
  json.end_object();
  return json.take();
}

}  // namespace socc::diagnostics
