// libFuzzer target: the input is event input, JSON lines. The bundled rule
// pack (rules/), with the pack of regular expressions, globs, networks and
// field functions the benchmark uses (bench/packs/matching), is compiled
// and JIT-compiled once; every input then goes
// through runtime::Engine line by line and as a file descriptor (the line
// reader, byte order mark and line limits), and the whole input through
// runtime::Decoder as one document and line by line, where the generated
// code and the reference evaluator must agree on every rule. Alerts are
// rendered as JSON. Nothing may crash, leak or hang, whatever the bytes.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/driver/compilation.h"
#include "compiler/ir/evaluate.h"
#include "runtime/alerts.h"
#include "runtime/decoder.h"
#include "runtime/engine.h"

namespace {

const socc::driver::Compilation& pack() {
  static const std::unique_ptr<socc::driver::Compilation> compilation = [] {
    socc::driver::CompileOptions options;
    options.stdlib_dir = SOCC_SOURCE_DIR "/stdlib";
    auto result = socc::driver::compile_rules(
        {SOCC_SOURCE_DIR "/rules", SOCC_SOURCE_DIR "/bench/packs/matching"}, options);
    if (!result->ok() || !result->compiled) {
      std::fprintf(stderr, "socc fuzz: the bundled rule pack does not compile\n");
      std::abort();
    }
    return result;
  }();
  return *compilation;
}

void run_engine(const socc::driver::Compilation& compilation, std::string_view input) {
  size_t rendered = 0;
  socc::runtime::Engine engine(
      compilation.pack, compilation.compiled->eval(),
      [&](const socc::runtime::Alert& alert) {
        rendered += socc::runtime::alert_json(alert).size();
      },
      [&](std::string_view message) { rendered += message.size(); });
  uint64_t line = 0;
  while (!input.empty()) {
    size_t end = input.find('\n');
    std::string_view event = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    engine.process(event, "fuzz.jsonl", ++line);
  }
}

void run_engine_fd(const socc::driver::Compilation& compilation, std::string_view input) {
  int fd = memfd_create("socc-fuzz-event", MFD_CLOEXEC);
  if (fd < 0) {
    std::perror("socc fuzz: memfd_create");
    std::abort();
  }
  if (write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size()) ||
      lseek(fd, 0, SEEK_SET) != 0) {
    std::perror("socc fuzz: cannot write the input");
    std::abort();
  }
  socc::runtime::EngineOptions options;
  // Small enough that the line limit is reached by inputs of -max_len.
  options.max_line_bytes = 4096;
  options.reports_per_source = 3;
  socc::runtime::Engine engine(
      compilation.pack, compilation.compiled->eval(),
      [](const socc::runtime::Alert& alert) { (void)socc::runtime::alert_json(alert); },
      [](std::string_view) {}, options);
  engine.on_malformed([](const socc::runtime::MalformedLine&) {});
  engine.process_fd(fd, "fuzz.jsonl");
  close(fd);
}

// Decodes each line (and the whole input) and requires the generated code
// and the reference evaluator to agree on every rule: the differential
// test, on inputs the fuzzer makes.
void run_decoder(const socc::driver::Compilation& compilation, std::string_view input) {
  const socc::ir::Pack& pack = compilation.pack;
  socc::runtime::Decoder decoder(pack.slots);
  std::vector<socc_slot> slots(std::max<size_t>(decoder.slot_count(), 1));
  std::vector<uint8_t> jit(pack.rules.size() + 1);
  std::vector<uint8_t> reference(pack.rules.size() + 1);
  std::string error;
  auto check = [&](std::string_view document) {
    if (!decoder.decode(document, slots.data(), &error)) return;
    // socc_eval writes only the rules of the schemas that select the event.
    std::fill(jit.begin(), jit.end(), 0);
    compilation.compiled->eval()(slots.data(), jit.data());
    socc::ir::evaluate_pack(pack, slots.data(), reference.data());
    for (size_t r = 0; r < pack.rules.size(); ++r) {
      if (jit[r] == reference[r]) continue;
      std::fprintf(stderr, "socc fuzz: rule %s: generated code says %d, the evaluator %d\n",
                   pack.rules[r].name.c_str(), jit[r], reference[r]);
      std::abort();
    }
  };
  check(input);
  while (!input.empty()) {
    size_t end = input.find('\n');
    check(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& compilation = pack();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  run_engine(compilation, input);
  run_engine_fd(compilation, input);
  run_decoder(compilation, input);
  return 0;
}
