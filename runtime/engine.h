#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/alerts.h"
#include "runtime/decoder.h"

namespace socc::runtime {

// The compiled matcher of a whole pack: reads the slots of one event and
// sets fired[r] to 1 for every rule r that matches (0 for the others).
using EvalFn = void (*)(const socc_slot* slots, uint8_t* fired);

struct EngineStats {
  uint64_t lines = 0;
  uint64_t events = 0;
  // Lines that are not a JSON object, or exceed the line limit.
  uint64_t malformed = 0;
  uint64_t alerts = 0;
  std::vector<uint64_t> alerts_per_rule;
};

struct EngineOptions {
  size_t max_line_bytes = 16u << 20;
  // Malformed lines reported in full per source; the rest are counted.
  size_t reports_per_source = 20;
  // Appended to the line that says further reports are not shown: where
  // the user finds them all.
  std::string more_reports_hint;
};

// One input line that was not evaluated.
struct MalformedLine {
  std::string_view source;
  uint64_t line = 0;
  std::string_view reason;
  // The line's length in bytes, without its line end.
  uint64_t bytes = 0;
};

// Runs a compiled pack over events. Every input line is either evaluated or
// counted as malformed and reported with its source and line; none is
// dropped silently and none stops the run.
class Engine {
 public:
  using AlertHandler = std::function<void(const Alert&)>;
  using ErrorHandler = std::function<void(std::string_view message)>;
  using MalformedHandler = std::function<void(const MalformedLine&)>;

  Engine(const ir::Pack& pack, EvalFn eval, AlertHandler on_alert, ErrorHandler on_error,
         EngineOptions options = {});

  // One event; `source` and `line` say where it came from.
  void process(std::string_view event, std::string_view source, uint64_t line);
  // Every line of a file descriptor, until its end or a stop request.
  // Returns false on a read error (reported through the error handler).
  bool process_fd(int fd, std::string_view source);

  // Called for every malformed line, however many there are; the error
  // handler's reports are capped per source, this is not.
  void on_malformed(MalformedHandler handler) { on_malformed_ = std::move(handler); }

  // Makes process_fd return after the line being processed, e.g. when a
  // handler can no longer deliver what the run produces.
  void request_stop() { stop_ = true; }
  bool stop_requested() const { return stop_; }

  const EngineStats& stats() const { return stats_; }

 private:
  void malformed(std::string_view source, uint64_t line, std::string_view why, uint64_t bytes);

  const ir::Pack& pack_;
  EvalFn eval_;
  AlertHandler on_alert_;
  ErrorHandler on_error_;
  MalformedHandler on_malformed_;
  EngineOptions options_;
  Decoder decoder_;
  std::vector<socc_slot> slots_;
  std::vector<uint8_t> fired_;
  EngineStats stats_;
  std::string current_source_;
  size_t reports_in_source_ = 0;
  bool stop_ = false;
};

}  // namespace socc::runtime
