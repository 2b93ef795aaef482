#include "devcontainer/find_configs.h"

#include <algorithm>
#include <system_error>

namespace envbuilder::devcontainer {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFolder = ".devcontainer";
constexpr const char* kFileName = "devcontainer.json";
constexpr const char* kRootFileName = ".devcontainer.json";

bool is_file(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

std::string list(const std::vector<fs::path>& paths) {
    std::string out;
    for (const fs::path& p : paths) out += "\n  " + p.string();
    return out;
}

}  // namespace

std::vector<fs::path> find_configs(const fs::path& workspace) {
    std::vector<fs::path> found;
    const fs::path folder = workspace / kFolder;
    for (const fs::path& candidate : {folder / kFileName, workspace / kRootFileName})
        if (is_file(candidate)) found.push_back(candidate);
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) return found;
    std::vector<fs::path> named;
    // The increment's error_code form: a folder that vanishes mid-walk ends the walk, no throw.
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code entry_ec;
        if (it->is_directory(entry_ec) && is_file(it->path() / kFileName))
            named.push_back(it->path() / kFileName);
    }
    std::sort(named.begin(), named.end());  // directory order is the file system's whim
    found.insert(found.end(), named.begin(), named.end());
    return found;
}

bool is_config_location(const fs::path& path) {
    const std::string name = path.filename().string();
    if (name == kRootFileName) return true;
    if (name != kFileName) return false;
    const fs::path dir = path.parent_path();
    return dir.filename() == kFolder || dir.parent_path().filename() == kFolder;
}

fs::path workspace_of_config(const fs::path& config) {
    const fs::path dir = config.parent_path();
    if (config.filename() == kFileName) {
        if (dir.filename() == kFolder) return dir.parent_path();
        if (dir.parent_path().filename() == kFolder) return dir.parent_path().parent_path();
    }
    return dir;
}

ConfigChoice choose_config(const fs::path& workspace, const std::string& option) {
    ConfigChoice choice;
    std::vector<fs::path> found = find_configs(workspace);
    if (found.empty()) return choice;
    const fs::path folder = workspace / kFolder;
    bool preferred =
        found.front() == folder / kFileName || found.front() == workspace / kRootFileName;
    if (!preferred && found.size() > 1) {
        choice.error = workspace.string() + ": " + std::to_string(found.size()) +
                       " dev container configurations and none at .devcontainer/devcontainer.json "
                       "or .devcontainer.json; pick one with " +
                       option + " PATH:" + list(found);
        return choice;
    }
    choice.config = found.front();
    if (found.size() > 1) {
        std::vector<fs::path> others(found.begin() + 1, found.end());
        choice.note = "using " + choice.config.string() + " (also found, pick one with " + option +
                      " PATH:" + list(others) + ")";
    } else if (!preferred) {
        choice.note = "using " + choice.config.string();  // not where the CLI looks by default
    }
    return choice;
}

}  // namespace envbuilder::devcontainer
