#pragma once
// What the build tests share: the busybox base image made locally, files written in one call,
// and a subordinate id range for rootless builds.
#include "live_registry.h"

namespace envbuilder::testing {

// The busybox base image layout (tests/support/base_images.sh), made once per machine and
// byte-identical every time.
inline fs::path busybox_layout() {
    static fs::path dir;
    if (dir.empty()) {
        fs::path images = fs::temp_directory_path() / "envbuilder-test-images";
        int status;
        std::string out = run("bash " + std::string(ENVBUILDER_SOURCE_DIR) +
                                  "/tests/support/base_images.sh " + images.string() + " busybox",
                              &status);
        INFO(out);
        REQUIRE(status == 0);
        dir = images / "busybox";
    }
    return dir;
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
