#include "compiler/driver/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/driver/file_walk.h"
#include "compiler/parse/parse.h"
#include "compiler/sigma/translate.h"

namespace socc::driver {
namespace {

namespace fs = std::filesystem;
using diagnostics::Kind;

struct SourceFile {
  fs::path path;
  std::string module_name;
  // Found by walking a directory rather than named by the user.
  bool walked = false;
};

bool is_sigma_path(const fs::path& path) {
  return path.extension() == ".yml" || path.extension() == ".yaml";
}

// A YAML file found in a rule directory is taken for Sigma only if it looks
// like a rule; other YAML (a connectors file, a CI workflow) is left alone.
bool looks_like_sigma(const std::string& text) {
  return text.find("detection:") != std::string::npos ||
         text.find("correlation:") != std::string::npos;
}

std::string module_name_for(const fs::path& file, const fs::path& root) {
  fs::path relative = root.empty() ? file.filename() : file.lexically_relative(root);
  relative.replace_extension();
  std::string name;
  for (const auto& part : relative) {
    if (!name.empty()) name += '.';
    name += part.string();
  }
  return name;
}

// Reads a source file, at most `limit` bytes of it: a larger file, or an
// endless one (a FIFO, /dev/zero), is rejected without being held in memory.
// Reports and returns false when the file cannot be used.
bool read_file(const fs::path& path, size_t limit, std::string* text,
               diagnostics::SourceManager& sources, diagnostics::DiagnosticSink& sink) {
  auto fail = [&](Kind kind, std::string message) {
    diagnostics::FileId id = sources.add(path.string(), "");
    sink.emit(kind, {id, 0, 0}, std::move(message));
    return false;
  };
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return fail(Kind::FileUnreadable,
                fmt::format("cannot read '{}': it is a directory", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(Kind::FileUnreadable,
                fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
  }
  // Read in chunks: a regular file's size may change under us, and a FIFO
  // or device has none. Past the limit the rest is never read.
  text->clear();
  char chunk[1 << 16];
  while (text->size() <= limit && in.read(chunk, sizeof chunk).gcount() > 0) {
    text->append(chunk, static_cast<size_t>(in.gcount()));
  }
  if (text->size() > limit) {
    text->clear();
    return fail(Kind::FileTooLarge,
                fmt::format("file is larger than the limit of {} bytes", limit));
  }
  if (in.bad()) {
    return fail(Kind::FileUnreadable,
                fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
  }
  return true;
}

// Reads the files that `list x: T = file("path")` declarations of `module`
// name, relative to the directory of the module's file, and registers each
// so that a bad line is reported at its own file, line and column.
void load_list_files(ast::Module& module, const fs::path& module_path, size_t limit,
                     diagnostics::SourceManager& sources, diagnostics::DiagnosticSink& sink) {
  for (auto& list : module.lists) {
    if (!list->source || list->source->text != "file") continue;
    fs::path path = module_path.parent_path() / list->file_path;
    std::string text;
    diagnostics::DiagnosticSink scratch;
    if (!read_file(path, limit, &text, sources, scratch)) {
      const diagnostics::Diagnostic& why = scratch.diagnostics().front();
      sink.emit(why.kind, list->file_span, why.message);
      continue;
    }
    list->file_id = sources.add(path.string(), text);
    list->file_text = std::move(text);
    list->file_loaded = true;
  }
}

// Names of the modules that files under `dir` would define, for "did you
// mean" on imports that name none of them.
void collect_module_names(const fs::path& dir, std::vector<std::string>& names) {
  walk_files(
      dir.string(), {".socc"},
      [&](const std::string& file) { names.push_back(module_name_for(file, dir)); },
      [](const std::string&, std::string_view) {});
}

// Translates Sigma files through one front end, so that the schemas their
// rules share are declared once. The pipeline is read on first use.
class SigmaLoader {
 public:
  SigmaLoader(const LoadOptions& options, diagnostics::SourceManager& sources,
              diagnostics::DiagnosticSink& sink)
      : options_(options), sources_(sources), sink_(sink) {}

  // The socc text of a Sigma file's rules; empty when none translated.
  std::string translate(diagnostics::FileId yaml) {
    if (!start()) return {};
    // With `skip_failed_sigma`, a rule's errors are reported as warnings and
    // only that rule is left out.
    diagnostics::DiagnosticSink scratch;
    if (options_.skip_failed_sigma) front_->set_sink(scratch);
    sigma::Translation translation = front_->translate(sources_, yaml);
    front_->set_sink(sink_);
    for (diagnostics::Diagnostic d : scratch.diagnostics()) {
      if (d.severity == diagnostics::Severity::Error) d.severity = diagnostics::Severity::Warning;
      sink_.append(std::move(d));
    }
    totals_.files += 1;
    totals_.rules += translation.rules;
    totals_.translated += translation.translated;
    totals_.correlations += translation.correlations;
    totals_.failed += translation.failed;
    return std::move(translation.text);
  }

  // Checks across files and registers the module of the schemas the rules
  // use; nullopt when no Sigma rule was translated.
  std::optional<diagnostics::FileId> finish() {
    if (!front_) return std::nullopt;
    front_->finish();
    if (totals_.translated == 0) return std::nullopt;
    return sources_.add(pipeline_->path + "#schemas", front_->schema_module());
  }

  const SigmaTotals& totals() const { return totals_; }

 private:
  bool start() {
    if (front_) return true;
    if (failed_) return false;
    std::string path = options_.sigma_pipeline.empty() ? options_.stdlib_dir + "/sigma/pipeline.yml"
                                                       : options_.sigma_pipeline;
    std::string text;
    size_t limit = parse::ParseLimits{}.max_file_bytes;
    if (!read_file(path, limit, &text, sources_, sink_)) {
      failed_ = true;
      return false;
    }
    diagnostics::FileId id = sources_.add(path, std::move(text));
    pipeline_ = sigma::parse_pipeline(sources_, id, sink_);
    if (!pipeline_ || options_.catalog == nullptr) {
      failed_ = true;
      return false;
    }
    front_ = std::make_unique<sigma::FrontEnd>(*pipeline_, *options_.catalog, sink_);
    return true;
  }

  const LoadOptions& options_;
  diagnostics::SourceManager& sources_;
  diagnostics::DiagnosticSink& sink_;
  std::optional<sigma::Pipeline> pipeline_;
  std::unique_ptr<sigma::FrontEnd> front_;
  bool failed_ = false;
  SigmaTotals totals_;
};

}  // namespace

LoadResult load_modules(const std::vector<std::string>& paths, const LoadOptions& options,
                        diagnostics::SourceManager& sources, diagnostics::DiagnosticSink& sink) {
  const std::string& stdlib_dir = options.stdlib_dir;
  const size_t limit = parse::ParseLimits{}.max_file_bytes;
  std::vector<SourceFile> roots;
  std::vector<fs::path> search_dirs{stdlib_dir};
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      roots.push_back({path, module_name_for(path, {})});
      continue;
    }
    search_dirs.push_back(path);
    walk_files(
        path, {".socc", ".yml", ".yaml"},
        [&](const std::string& file) {
          roots.push_back({file, module_name_for(file, path), true});
        },
        [&](const std::string& entry, std::string_view why) {
          diagnostics::FileId id = sources.add(entry, "");
          sink.emit(Kind::FileUnreadable, {id, 0, 0},
                    fmt::format("cannot read '{}': {}", entry, why));
        });
  }

  LoadResult result;
  for (const fs::path& dir : search_dirs) collect_module_names(dir, result.available_modules);
  std::set<std::string> loaded;
  auto load = [&](const fs::path& path, const std::string& name, bool from_import) {
    std::string text;
    if (!read_file(path, limit, &text, sources, sink)) return;
    diagnostics::FileId id = sources.add(path.string(), std::move(text));
    auto module = parse::parse_module(sources, id, sink);
    if (!module) {
      // The file's errors are reported; an empty stand-in keeps importers
      // from also being told that the module does not exist.
      module = std::make_unique<ast::Module>();
      module->file_id = id;
      module->broken = true;
    }
    load_list_files(*module, path, limit, sources, sink);
    module->name = module->header ? module->header->text : name;
    module->imported_only = from_import;
    if (from_import && module->name != name) {
      sink.emit(Kind::ModuleNameMismatch, module->header->span,
                fmt::format("file '{}' is imported as '{}' but declares module '{}'", path.string(),
                            name, module->name));
    }
    loaded.insert(module->name);
    result.modules.push_back(std::move(module));
  };

  // A file named twice (directly and through its directory) loads once.
  std::set<fs::path> seen_files;
  SigmaLoader sigma(options, sources, sink);
  for (const SourceFile& root : roots) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(root.path, ec);
    if (!seen_files.insert(ec ? root.path : canonical).second) continue;
    if (!is_sigma_path(root.path)) {
      load(root.path, root.module_name, false);
      continue;
    }
    std::string text;
    if (!read_file(root.path, limit, &text, sources, sink)) continue;
    if (root.walked && !looks_like_sigma(text)) continue;
    diagnostics::FileId yaml = sources.add(root.path.string(), std::move(text));
    std::string translated = sigma.translate(yaml);
    if (translated.empty()) continue;
    diagnostics::FileId id = sources.add(root.path.string() + "#socc", std::move(translated));
    result.sigma_translations.emplace_back(root.path.string(), id);
    if (auto module = parse::parse_module(sources, id, sink)) {
      // Nothing imports a translated rule, so its module name need only be
      // unique: two rule.yml in different folders named on the command
      // line must not collide.
      module->name = root.module_name;
      for (int n = 2; loaded.count(module->name); ++n) {
        module->name = fmt::format("{}_{}", root.module_name, n);
      }
      loaded.insert(module->name);
      result.modules.push_back(std::move(module));
    }
  }
  if (auto schemas = sigma.finish()) {
    result.sigma_schemas = schemas;
    if (auto module = parse::parse_module(sources, *schemas, sink)) {
      module->name = module->header ? module->header->text : "sigma";
      module->imported_only = true;
      loaded.insert(module->name);
      result.modules.push_back(std::move(module));
    }
  }
  result.sigma = sigma.totals();

  // Imports are resolved breadth-first; each module is loaded once.
  std::set<std::string> attempted;
  for (size_t i = 0; i < result.modules.size(); ++i) {
    std::vector<std::string> imports;
    for (const ast::Name& import : result.modules[i]->imports) imports.push_back(import.text);
    for (const std::string& import : imports) {
      if (loaded.count(import) || !attempted.insert(import).second) continue;
      std::string relative = import;
      std::replace(relative.begin(), relative.end(), '.', '/');
      for (const fs::path& dir : search_dirs) {
        fs::path candidate = dir / (relative + ".socc");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) {
          load(candidate, import, true);
          break;
        }
      }
      // A module found nowhere is reported by name resolution, with a
      // suggestion among `available_modules`.
    }
  }
  return result;
}

}  // namespace socc::driver
