// Measures, over the same events in one run:
//   parse_only   the JSON decoder with no slots: simdjson parsing alone, the
//                baseline any engine on this input pays;
//   decode_slots the decoder extracting the slots the pack reads;
//   rule_pack    decoding plus the JIT-compiled matchers plus alert
//                construction: what `socc run` does per event, minus output;
//   compile_pack front end, lowering and ORC JIT of the whole pack.
// Events are every line of every .jsonl under ../shared/corpus/evtx (8,255
// real Windows events), held in memory so that disk speed does not count.
// Peak resident memory is printed at the end.
//
// Run: build/bench/socc_bench [--rules DIR] [google benchmark flags]

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>

#include "compiler/driver/compilation.h"
#include "runtime/decoder.h"
#include "runtime/engine.h"

namespace {

namespace fs = std::filesystem;

std::string g_rules = SOCC_SOURCE_DIR "/rules";
std::string g_corpus = SOCC_SOURCE_DIR "/../shared/corpus/evtx";

const std::vector<std::string>& events() {
  static const std::vector<std::string> lines = [] {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(g_corpus)) {
      if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> result;
    for (const auto& file : files) {
      std::ifstream in(file);
      std::string line;
      while (std::getline(in, line)) result.push_back(line);
    }
    return result;
  }();
  return lines;
}

uint64_t total_bytes() {
  uint64_t bytes = 0;
  for (const auto& line : events()) bytes += line.size();
  return bytes;
}

std::unique_ptr<socc::driver::Compilation> compile_pack(int opt_level) {
  socc::driver::CompileOptions options;
  options.stdlib_dir = SOCC_SOURCE_DIR "/stdlib";
  options.opt_level = opt_level;
  auto compilation = socc::driver::compile_rules({g_rules}, options);
  if (!compilation->ok()) {
    fmt::print(stderr, "the rule pack {} does not compile\n", g_rules);
    std::exit(1);
  }
  return compilation;
}

const socc::driver::Compilation& pack() {
  static auto compilation = compile_pack(2);
  return *compilation;
}

void report(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events().size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * total_bytes()));
}

void parse_only(benchmark::State& state) {
  socc::runtime::Decoder decoder({});
  socc_slot unused{};
  std::string error;
  for (auto _ : state) {
    for (const auto& line : events()) {
      benchmark::DoNotOptimize(decoder.decode(line, &unused, &error));
    }
  }
  report(state);
}

void decode_slots(benchmark::State& state) {
  socc::runtime::Decoder decoder(pack().pack.slots);
  std::vector<socc_slot> slots(pack().pack.slots.size());
  std::string error;
  for (auto _ : state) {
    for (const auto& line : events()) {
      benchmark::DoNotOptimize(decoder.decode(line, slots.data(), &error));
    }
  }
  report(state);
}

void rule_pack(benchmark::State& state) {
  const auto& compilation = pack();
  uint64_t alerts = 0;
  socc::runtime::Engine engine(
      compilation.pack, compilation.compiled->eval(),
      [&](const socc::runtime::Alert&) { ++alerts; }, [](std::string_view) {});
  for (auto _ : state) {
    for (size_t i = 0; i < events().size(); ++i) engine.process(events()[i], "bench", i + 1);
  }
  report(state);
  state.counters["rules"] = static_cast<double>(compilation.pack.rules.size());
  state.counters["alerts_per_pass"] =
      static_cast<double>(alerts) / static_cast<double>(state.iterations());
}

void compile_whole_pack(benchmark::State& state) {
  size_t rules = 0;
  for (auto _ : state) rules = compile_pack(static_cast<int>(state.range(0)))->pack.rules.size();
  state.counters["rules"] = static_cast<double>(rules);
}

}  // namespace

BENCHMARK(parse_only)->Unit(benchmark::kMillisecond);
BENCHMARK(decode_slots)->Unit(benchmark::kMillisecond);
BENCHMARK(rule_pack)->Unit(benchmark::kMillisecond);
BENCHMARK(compile_whole_pack)->Arg(0)->Arg(2)->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--rules" && i + 1 < argc) {
      g_rules = argv[++i];
    } else if (arg == "--corpus" && i + 1 < argc) {
      g_corpus = argv[++i];
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());
  fmt::print("events per pass: {} ({:.1f} MB), rules: {}\n", events().size(),
             static_cast<double>(total_bytes()) / 1e6, pack().pack.rules.size());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  fmt::print("peak resident memory: {:.1f} MB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
