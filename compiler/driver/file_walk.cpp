#include "compiler/driver/file_walk.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>
#include <vector>

namespace socc::driver {

namespace fs = std::filesystem;

void walk_files(
    const std::string& root, const std::vector<std::string>& extensions,
    const std::function<void(const std::string& path)>& on_file,
    const std::function<void(const std::string& path, std::string_view why)>& on_error) {
  std::vector<fs::path> pending{root};
  std::set<std::pair<dev_t, ino_t>> visited;
  std::vector<std::string> found;
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    struct stat info;
    if (::stat(dir.c_str(), &info) != 0) {
      on_error(dir.string(), std::strerror(errno));
      continue;
    }
    if (!visited.insert({info.st_dev, info.st_ino}).second) continue;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
      const fs::directory_entry& entry = *it;
      std::error_code entry_ec;
      fs::file_status own = entry.symlink_status(entry_ec);
      if (entry_ec) {
        on_error(entry.path().string(), entry_ec.message());
        continue;
      }
      if (fs::is_directory(own)) {
        pending.push_back(entry.path());
        continue;
      }
      std::string extension = entry.path().extension().string();
      if (std::find(extensions.begin(), extensions.end(), extension) == extensions.end()) continue;
      fs::file_status target = entry.status(entry_ec);
      if (entry_ec) {
        on_error(entry.path().string(), entry_ec.message());
      } else if (!fs::is_regular_file(target)) {
        on_error(entry.path().string(), "not a regular file");
      } else {
        found.push_back(entry.path().string());
      }
    }
    // An error while listing ends this directory's listing, not the walk.
    if (ec) on_error(dir.string(), ec.message());
  }
  std::sort(found.begin(), found.end());
  for (const std::string& file : found) on_file(file);
}

}  // namespace socc::driver
