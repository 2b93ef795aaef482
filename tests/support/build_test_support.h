#pragma once
// What the build tests share: the busybox base image made locally, files written in one call,
// and a subordinate id range for rootless builds.
#include <map>

#include "live_registry.h"

namespace envbuilder::testing {

// A base image layout of tests/support/base_images.sh ("busybox" or "debian", the latter a
// debootstrap'd bookworm), made once per machine and byte-identical every time.
inline fs::path base_layout(const std::string& kind) {
    static std::map<std::string, fs::path> made;
    if (!made.count(kind)) {
        fs::path images = fs::temp_directory_path() / "envbuilder-test-images";
        int status;
        std::string out = run("bash " + std::string(ENVBUILDER_SOURCE_DIR) +
                                  "/tests/support/base_images.sh " + images.string() + " " + kind,
                              &status);
        INFO(out);
        REQUIRE(status == 0);
        made[kind] = images / kind;
    }
    return made[kind];
}

inline fs::path busybox_layout() {
    return base_layout("busybox");
}

inline void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// Adds a subordinate id range for `user` to /etc/subuid and /etc/subgid for the life of the object.
struct SubordinateIds {
    std::string saved_uid, saved_gid;
    explicit SubordinateIds(const std::string& user) {
        saved_uid = read_file("/etc/subuid");
        saved_gid = read_file("/etc/subgid");
        std::ofstream("/etc/subuid", std::ios::app) << user << ":300000:65536\n";
        std::ofstream("/etc/subgid", std::ios::app) << user << ":300000:65536\n";
    }
    ~SubordinateIds() {
        std::ofstream("/etc/subuid", std::ios::trunc) << saved_uid;
        std::ofstream("/etc/subgid", std::ios::trunc) << saved_gid;
    }
};

}  // namespace envbuilder::testing
