#include "compiler/driver/loader.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/parse/parse.h"

namespace socc::driver {
namespace {

namespace fs = std::filesystem;
using diagnostics::Kind;

struct SourceFile {
  fs::path path;
  std::string module_name;
};

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

// Reads a file; reports and returns false when it cannot.
bool read_file(const fs::path& path, std::string* text, diagnostics::SourceManager& sources,
               diagnostics::DiagnosticSink& sink) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics::FileId id = sources.add(path.string(), "");
    sink.emit(Kind::FileUnreadable, {id, 0, 0}, fmt::format("cannot read '{}'", path.string()));
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

}  // namespace

LoadResult load_modules(const std::vector<std::string>& paths,
                        const std::string& stdlib_dir,
                        diagnostics::SourceManager& sources,
                        diagnostics::DiagnosticSink& sink) {
  std::vector<SourceFile> roots;
  std::vector<fs::path> search_dirs{stdlib_dir};
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      search_dirs.push_back(path);
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(path, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file() && it->path().extension() == ".socc") {
          found.push_back(it->path());
        }
      }
      std::sort(found.begin(), found.end());
      for (const auto& file : found) roots.push_back({file, module_name_for(file, path)});
    } else {
      roots.push_back({path, module_name_for(path, {})});
    }
  }

  LoadResult result;
  std::set<std::string> loaded;
  auto load = [&](const fs::path& path, const std::string& name,
                  bool from_import) -> ast::Module* {
    std::string text;
    if (!read_file(path, &text, sources, sink)) return nullptr;
    diagnostics::FileId id = sources.add(path.string(), std::move(text));
    auto module = parse::parse_module(sources, id, sink);
    if (!module) return nullptr;
    module->name = module->header ? module->header->text : name;
    if (from_import && module->name != name) {
      sink.emit(Kind::ModuleNameMismatch, module->header->span,
                fmt::format("file '{}' is imported as '{}' but declares module '{}'",
                            path.string(), name, module->name));
    }
    loaded.insert(module->name);
    result.modules.push_back(std::move(module));
    return result.modules.back().get();
  };

  // A file named twice (directly and through its directory) loads once.
  std::set<fs::path> seen_files;
  for (const SourceFile& root : roots) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(root.path, ec);
    if (!seen_files.insert(ec ? root.path : canonical).second) continue;
    load(root.path, root.module_name, false);
  }
  result.root_count = result.modules.size();

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
      // suggestion among the modules that do exist.
    }
  }
  return result;
}

}  // namespace socc::driver
