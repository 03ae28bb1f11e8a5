#include "runtime/engine.h"

#include <fmt/format.h>

#include <cstring>

#include "runtime/line_reader.h"

namespace socc::runtime {

Engine::Engine(const ir::Pack& pack, EvalFn eval, AlertHandler on_alert, ErrorHandler on_error,
               EngineOptions options)
    : pack_(pack),
      eval_(eval),
      on_alert_(std::move(on_alert)),
      on_error_(std::move(on_error)),
      options_(options),
      decoder_(pack.slots),
      slots_(std::max<size_t>(pack.slots.size(), 1)),
      fired_(std::max<size_t>(pack.rules.size(), 1)) {
  stats_.alerts_per_rule.resize(pack.rules.size());
}

void Engine::malformed(std::string_view source, uint64_t line, std::string_view why,
                       uint64_t bytes) {
  ++stats_.malformed;
  if (on_malformed_) on_malformed_({source, line, why, bytes});
  if (source != current_source_) {
    current_source_ = source;
    reports_in_source_ = 0;
  }
  if (++reports_in_source_ <= options_.reports_per_source) {
    on_error_(fmt::format("{}:{}: malformed event: {}", source, line, why));
  } else if (reports_in_source_ == options_.reports_per_source + 1) {
    std::string message =
        fmt::format("{}: further malformed events are counted, not shown", source);
    if (!options_.more_reports_hint.empty()) message += "; " + options_.more_reports_hint;
    on_error_(message);
  }
}

void Engine::process(std::string_view event, std::string_view source, uint64_t line) {
  ++stats_.lines;
  std::string error;
  if (!decoder_.decode(event, slots_.data(), &error)) {
    malformed(source, line, error, event.size());
    return;
  }
  ++stats_.events;
  std::memset(fired_.data(), 0, fired_.size());
  eval_(slots_.data(), fired_.data());
  for (size_t rule = 0; rule < pack_.rules.size() && !stop_; ++rule) {
    if (!fired_[rule]) continue;
    ++stats_.alerts;
    ++stats_.alerts_per_rule[rule];
    on_alert_(make_alert(pack_, static_cast<int>(rule), slots_.data(), source, line));
  }
}

bool Engine::process_fd(int fd, std::string_view source) {
  LineReader reader(fd, options_.max_line_bytes);
  std::string_view line;
  size_t line_number = 0;
  while (!stop_) {
    switch (reader.next(&line, &line_number)) {
      case LineReader::Status::Line:
        // Blank lines separate nothing in JSON lines; they are not events.
        if (line.find_first_not_of(" \t") == std::string_view::npos) break;
        process(line, source, line_number);
        break;
      case LineReader::Status::TooLong:
        ++stats_.lines;
        malformed(source, line_number,
                  fmt::format("line longer than {} bytes", options_.max_line_bytes),
                  reader.length());
        break;
      case LineReader::Status::End:
        return true;
      case LineReader::Status::Error:
        on_error_(fmt::format("{}: read error: {}", source, std::strerror(errno)));
        return false;
    }
  }
  return true;
}

}  // namespace socc::runtime
