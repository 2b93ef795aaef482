#pragma once
// A build's scratch space under its cache directory (CACHE_DIR/work/<id>): stage roots, overlay
// upper and work directories, downloads, the RUN sandbox's private files. The directory is held
// by an flock for the builder's life, so a later build can tell the scratch of a killed build
// (no lock held: removed) from that of one still running (locked: left alone). Nothing of a
// build is ever written to /tmp.
#include <filesystem>

namespace envbuilder::executor {

class WorkDir {
  public:
    // Creates CACHE_DIR/work/<unique> (0700, as is CACHE_DIR/work) and locks it; first removes
    // what killed builds left there.
    explicit WorkDir(const std::filesystem::path& cache_dir);
    ~WorkDir();
    WorkDir(const WorkDir&) = delete;
    WorkDir& operator=(const WorkDir&) = delete;

    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    int lock_fd_ = -1;
};

// Removes the work directories under CACHE_DIR/work that no live build holds. Returns how many.
size_t remove_abandoned_work_dirs(const std::filesystem::path& cache_dir);

// Creates the cache directory if needed and makes it 0700: it holds image trees with setuid
// programs and device nodes, RUN cache mounts and credentials-free but private build state that
// no other local user may reach. Throws std::runtime_error when it is not ours to restrict.
void secure_cache_dir(const std::filesystem::path& cache_dir);

}  // namespace envbuilder::executor
