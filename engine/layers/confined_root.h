#pragma once
// File operations confined to a directory tree (internal to engine/layers). Every path is resolved
// by the kernel (openat2) from a descriptor of the root, so a symlink planted by a layer or by a
// RUN step can never lead a write, a read or a removal outside the tree.
#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::layers {

// Owns a file descriptor.
class UniqueFd {
  public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    ~UniqueFd() { reset(); }
    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release();
    void reset();

  private:
    int fd_ = -1;
};

// Splits an archive entry name ("./usr/bin/", "etc//passwd") into its components, dropping empty
// and "." ones. nullopt with `problem` set when the name is absolute or has a ".." component:
// such names are refused outright rather than cleaned, since no honest layer contains them.
std::optional<std::vector<std::string>> split_entry_name(std::string_view name,
                                                         std::string* problem);

std::string join_components(const std::vector<std::string>& components, size_t count);

// The directory holding an entry, and the entry's name in it.
struct ParentAndLeaf {
    UniqueFd parent;
    std::string leaf;
};

class ConfinedRoot {
  public:
    explicit ConfinedRoot(const std::filesystem::path& root);  // throws std::system_error

    int fd() const { return root_.get(); }
    const std::filesystem::path& path() const { return path_; }

    // Resolves the parent of `components` as a process chrooted into the root would (symlinks
    // followed, absolute targets taken from the root, ".." stopping at the root), creating
    // missing directories (0755) on the way, also where a dangling symlink points. The last
    // component itself is never followed. Throws std::system_error.
    ParentAndLeaf open_parent_in_root(const std::vector<std::string>& components) const;

    // The same resolution without creating anything: nullopt when a parent is missing or is not
    // a directory (for whiteouts and hard link targets, which name what must already exist).
    std::optional<ParentAndLeaf> find_parent_in_root(
        const std::vector<std::string>& components) const;

    // Opens the parent of `components` without following any symlink at all (for reading the
    // tree we build on, where a path either is what the snapshot saw or is an error).
    ParentAndLeaf open_parent_beneath(const std::vector<std::string>& components) const;

  private:
    std::filesystem::path path_;
    UniqueFd root_;
};

// lstat of `leaf` in `dir`; nullopt when it does not exist.
std::optional<struct stat> stat_leaf(int dir, const std::string& leaf);

// The names in the directory open as `dir` (without "." and ".."); `dir` may be an O_PATH fd.
std::vector<std::string> list_names(int dir);

// Removes `leaf` in `dir`, and everything under it when it is a directory, never following
// symlinks. Missing is fine.
void remove_tree_at(int dir, const std::string& leaf);

// A path naming `leaf` in `dir` for the xattr calls, which have no *at() form in glibc: the
// /proc magic link stands for the already confined directory, and the l*xattr calls do not
// follow `leaf` itself.
std::string xattr_path(int dir, const std::string& leaf);

[[noreturn]] void throw_errno(const std::string& what, int error);

}  // namespace envbuilder::layers
