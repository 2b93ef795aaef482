#include "layers/unpacked_store.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

#include "layers/apply.h"

namespace envbuilder::layers {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view temporary_prefix = "tmp-";

std::string read_first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

bool process_alive(pid_t pid) {
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

void remove_quietly(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
}

}  // namespace

UnpackedLayers::UnpackedLayers(fs::path dir, bool user_attributes)
    : dir_(std::move(dir)), user_attributes_(user_attributes) {
    fs::create_directories(dir_);
    boot_id_ = read_first_line("/proc/sys/kernel/random/boot_id");
    // tmp-<pid>-<n>: an unpacking or a removal its process did not live to finish.
    for (const auto& entry : fs::directory_iterator(dir_)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(temporary_prefix, 0) != 0) continue;
        pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + temporary_prefix.size()));
        if (!process_alive(pid)) remove_quietly(entry.path());
    }
}

fs::path UnpackedLayers::tree_of(const oci::Digest& layer) const {
    return dir_ / (layer.algorithm + "-" + layer.hex);
}

fs::path UnpackedLayers::temporary() const {
    static std::mt19937_64 random{std::random_device{}()};
    return dir_ / (std::string(temporary_prefix) + std::to_string(::getpid()) + "-" +
                   std::to_string(random()));
}

std::optional<fs::path> UnpackedLayers::find(const oci::Digest& layer) const {
    const fs::path tree = tree_of(layer);
    std::error_code ec;
    if (!fs::is_directory(tree, ec)) return std::nullopt;
    fs::path boot = tree;
    boot += ".boot";
    if (!boot_id_.empty() && read_first_line(boot) == boot_id_) return tree;
    // From an earlier boot (or its record lost): moved aside first so no other build mounts
    // it half removed.
    const fs::path aside = temporary();
    if (::rename(tree.c_str(), aside.c_str()) == 0) remove_quietly(aside);
    return std::nullopt;
}

bool UnpackedLayers::install(const oci::Digest& layer, const fs::path& tree) {
    const fs::path target = tree_of(layer);
    fs::path boot = target;
    boot += ".boot";
    const fs::path boot_temporary = temporary();
    {
        std::ofstream out(boot_temporary);
        out << boot_id_ << "\n";
        if (!out)
            throw std::system_error(errno, std::generic_category(),
                                    "cannot write " + boot.string());
    }
    fs::rename(boot_temporary, boot);
    if (::rename(tree.c_str(), target.c_str()) == 0) return true;
    if (errno != EEXIST && errno != ENOTEMPTY)
        throw std::system_error(errno, std::generic_category(),
                                "cannot move the unpacked layer to " + target.string());
    return false;
}

fs::path UnpackedLayers::ensure(const oci::Digest& layer, const fs::path& blob,
                                const std::vector<fs::path>& lowers,
                                std::vector<std::string>& warnings) {
    if (auto tree = find(layer)) return *tree;
    const fs::path scratch = temporary();
    fs::create_directories(scratch);
    try {
        ApplyOptions options;
        options.overlay_format = true;
        options.overlay_user_attributes = user_attributes_;
        options.lower_roots = lowers;
        auto result = apply_layer(blob, scratch, options);
        warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
        if (!install(layer, scratch)) remove_quietly(scratch);
    } catch (...) {
        remove_quietly(scratch);
        throw;
    }
    return tree_of(layer);
}

fs::path UnpackedLayers::adopt(const oci::Digest& layer, const fs::path& tree) {
    if (find(layer) || !install(layer, tree)) remove_quietly(tree);
    return tree_of(layer);
}

}  // namespace envbuilder::layers
