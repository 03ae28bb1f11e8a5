#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace socc::driver {

// Calls `on_file` for every regular file below `root` whose name ends in
// one of `extensions`, in sorted order, and `on_error` (path, reason) for every
// entry that cannot be used: an unreadable directory, a symlink loop, a
// dangling link, a FIFO or device with the extension (reading it could block
// or never end). One bad entry never hides the others. Symbolic links to
// files are followed; links to directories are not, and a directory reached
// twice (through a bind mount) is walked once, so the walk always ends.
void walk_files(const std::string& root, const std::vector<std::string>& extensions,
                const std::function<void(const std::string& path)>& on_file,
                const std::function<void(const std::string& path, std::string_view why)>& on_error);

}  // namespace socc::driver
