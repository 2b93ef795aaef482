#include "layers/unpacked_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <random>
#include <stdexcept>
#include <system_error>

#include "layers/apply.h"
#include "layers/confined_root.h"

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

void remove_quietly(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
}

// A scratch directory in the store, with a lock held for as long as the object lives: a
// directory whose lock nobody holds was left by a process that died (whatever its PID
// namespace), and goes.
class Temporary {
  public:
    explicit Temporary(const fs::path& store) {
        static std::mt19937_64 random{std::random_device{}()};
        path_ = store / (std::string(temporary_prefix) + std::to_string(random()));
        lock_ = UniqueFd(
            ::open((path_.string() + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        if (!lock_ || ::flock(lock_.get(), LOCK_EX) != 0)
            throw std::system_error(errno, std::generic_category(),
                                    "cannot lock " + path_.string() + ".lock");
    }
    ~Temporary() {
        remove_quietly(path_);
        ::unlink((path_.string() + ".lock").c_str());
    }
    Temporary(const Temporary&) = delete;
    Temporary& operator=(const Temporary&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
    UniqueFd lock_;
};

}  // namespace

UnpackedLayers::UnpackedLayers(fs::path dir, bool user_attributes)
    : dir_(std::move(dir)), user_attributes_(user_attributes) {
    fs::create_directories(dir_);
    // Image trees hold setuid programs owned by root: no other user may reach them.
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::replace);
    boot_id_ = read_first_line("/proc/sys/kernel/random/boot_id");
    if (boot_id_.empty())
        throw std::runtime_error(
            "cannot read /proc/sys/kernel/random/boot_id, which tells whether "
            "unpacked layers survived a reboot");
    for (const auto& entry : fs::directory_iterator(dir_)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(temporary_prefix, 0) != 0 || !name.ends_with(".lock")) continue;
        UniqueFd lock(::open(entry.path().c_str(), O_RDWR | O_CLOEXEC));
        if (!lock || ::flock(lock.get(), LOCK_EX | LOCK_NB) != 0) continue;  // still in use
        remove_quietly(dir_ / name.substr(0, name.size() - 5));
        ::unlink(entry.path().c_str());
    }
}

fs::path UnpackedLayers::tree_of(const oci::Digest& layer, const std::string& chain) const {
    return dir_ / (layer.algorithm + "-" + layer.hex + (chain.empty() ? "" : "@" + chain));
}

std::optional<fs::path> UnpackedLayers::trusted(const fs::path& tree) const {
    std::error_code ec;
    if (!fs::is_directory(tree, ec)) return std::nullopt;
    if (read_first_line(tree.string() + ".boot") == boot_id_) return tree;
    // From an earlier boot (or its record lost): moved aside first so no other build mounts
    // it half removed.
    Temporary aside(dir_);
    ::rename(tree.c_str(), aside.path().c_str());
    return std::nullopt;
}

std::optional<fs::path> UnpackedLayers::find(const oci::Digest& layer,
                                             const std::string& chain) const {
    if (auto tree = trusted(tree_of(layer))) return tree;
    return trusted(tree_of(layer, chain));
}

namespace {
// Writes `content` to `file` by rename of a temporary of the store: complete or not at all.
void write_record(const fs::path& store, const fs::path& file, const std::string& content) {
    Temporary record(store);
    {
        std::ofstream out(record.path());
        out << content << "\n";
        if (!out)
            throw std::system_error(errno, std::generic_category(),
                                    "cannot write " + file.string());
    }
    fs::rename(record.path(), file);
}
}  // namespace

bool UnpackedLayers::install(const fs::path& tree, const fs::path& target,
                             const std::optional<oci::Digest>& diff_id) {
    if (diff_id) write_record(dir_, target.string() + ".diff_id", diff_id->str());
    write_record(dir_, target.string() + ".boot", boot_id_);
    if (::rename(tree.c_str(), target.c_str()) == 0) return true;
    if (errno != EEXIST && errno != ENOTEMPTY)
        throw std::system_error(errno, std::generic_category(),
                                "cannot move the unpacked layer to " + target.string());
    return false;
}

fs::path UnpackedLayers::ensure(const oci::Digest& layer, const fs::path& blob,
                                const std::string& chain,
                                const std::function<fs::path()>& lower_view,
                                std::vector<std::string>& warnings, const ApplyOptions& checks) {
    if (auto tree = find(layer, chain)) {
        if (!checks.expected_diff_id) return *tree;
        // The tree was unpacked from this very blob, whose diff_id was recorded then.
        const std::string recorded = read_first_line(tree->string() + ".diff_id");
        if (recorded == checks.expected_diff_id->str()) return *tree;
        if (!recorded.empty())
            throw LayerError("layer " + (checks.label.empty() ? layer.str() : checks.label) +
                             ": its uncompressed content has digest " + recorded +
                             ", but the image config gives its diff_id as " +
                             checks.expected_diff_id->str() +
                             "; the image is corrupt or was tampered with; refused");
        // Unpacked before diff_ids were recorded: unpacked again, which checks it.
        Temporary aside(dir_);
        ::rename(tree->c_str(), aside.path().c_str());
    }
    Temporary scratch(dir_);
    fs::create_directories(scratch.path());
    ApplyOptions options = checks;
    options.overlay_format = true;
    options.overlay_user_attributes = user_attributes_;
    options.lower_view = lower_view();
    auto result = apply_layer(blob, scratch.path(), options);
    warnings.insert(warnings.end(), result.warnings.begin(), result.warnings.end());
    const fs::path target = result.used_lower_view ? tree_of(layer, chain) : tree_of(layer);
    install(scratch.path(), target, result.diff_id);
    return target;
}

fs::path UnpackedLayers::adopt(const oci::Digest& layer, const fs::path& tree,
                               const oci::Digest& diff_id) {
    if (!trusted(tree_of(layer)) && install(tree, tree_of(layer), diff_id)) return tree_of(layer);
    remove_quietly(tree);
    return tree_of(layer);
}

}  // namespace envbuilder::layers
