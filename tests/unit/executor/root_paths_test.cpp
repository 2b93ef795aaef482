#include <catch2/catch.hpp>

#include <fstream>

#include "executor/root_paths.h"

using namespace envbuilder::executor;
namespace fs = std::filesystem;

namespace {
struct FakeRoot {
    fs::path root = fs::temp_directory_path() / ("root-paths-test-" + std::to_string(::getpid()));
    FakeRoot() {
        fs::create_directories(root / "etc");
        fs::create_directories(root / "real/dir");
        std::ofstream(root / "etc/passwd")
            << "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n";
        std::ofstream(root / "etc/group") << "root:x:0:\nstaff:x:50:app\napp:x:1001:\n";
        fs::create_symlink("/real", root / "abs");
        fs::create_symlink("../../../../real", root / "up");
        fs::create_symlink("loop2", root / "loop1");
        fs::create_symlink("loop1", root / "loop2");
    }
    ~FakeRoot() { fs::remove_all(root); }
};
}  // namespace

TEST_CASE("paths inside a root: symlinks resolve as the container sees them",
          "[executor][root-paths]") {
    FakeRoot f;
    CHECK(resolve_in_root(f.root, "/abs/dir") == f.root / "real/dir");
    CHECK(resolve_in_root(f.root, "/up/dir") == f.root / "real/dir");  // ".." stops at the root
    CHECK(resolve_in_root(f.root, "/missing/file") == f.root / "missing/file");
    CHECK(resolve_in_root(f.root, "/abs", false) == f.root / "abs");
    CHECK_THROWS(resolve_in_root(f.root, "/loop1/x"));
}

TEST_CASE("users inside a root: names, ids, groups, and Docker's --chown rule",
          "[executor][root-paths]") {
    FakeRoot f;
    UserIds app = resolve_user(f.root, "app");
    CHECK(app.uid == 1000);
    CHECK(app.gid == 1001);
    CHECK(std::find(app.groups.begin(), app.groups.end(), 50u) != app.groups.end());
    CHECK(resolve_user(f.root, "app:staff").gid == 50);
    CHECK(resolve_user(f.root, "4242").gid == 0);  // not in passwd: gid 0, as runtimes do
    CHECK(resolve_chown(f.root, "4242").gid == 4242);
    CHECK(resolve_chown(f.root, "app").gid == 1001);
    CHECK_THROWS_WITH(resolve_user(f.root, "nobody-here"), Catch::Contains("nobody-here"));
}
