#include <catch2/catch.hpp>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "devcontainer/find_configs.h"

using namespace envbuilder::devcontainer;
namespace fs = std::filesystem;

namespace {

// A fresh, empty workspace folder per test, removed at the end.
struct Workspace {
    fs::path root;
    Workspace() {
        root =
            fs::temp_directory_path() / ("envbuilder-find-configs-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter()++));
        fs::remove_all(root);
        fs::create_directories(root);
    }
    ~Workspace() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    fs::path add(const std::string& relative) {
        fs::path p = root / relative;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << "{}";
        return p;
    }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

}  // namespace

TEST_CASE("find_configs finds every location the devcontainers CLI accepts, in a fixed order",
          "[find_configs]") {
    Workspace ws;
    CHECK(find_configs(ws.root).empty());
    // Created in the reverse of the expected order: the order must not come from creation time.
    fs::path zeta = ws.add(".devcontainer/zeta/devcontainer.json");
    fs::path alpha = ws.add(".devcontainer/alpha/devcontainer.json");
    fs::path root_file = ws.add(".devcontainer.json");
    fs::path folder_file = ws.add(".devcontainer/devcontainer.json");
    CHECK(find_configs(ws.root) == std::vector<fs::path>{folder_file, root_file, alpha, zeta});
}

TEST_CASE("find_configs ignores what the CLI ignores", "[find_configs]") {
    Workspace ws;
    ws.add("devcontainer.json");                    // beside .devcontainer, not in it
    ws.add(".devcontainer/a/b/devcontainer.json");  // two levels deep
    ws.add(".devcontainer/other.json");             // another name
    fs::create_directories(ws.root / ".devcontainer/empty");
    fs::create_directories(ws.root / ".devcontainer.json.d");
    fs::create_directories(ws.root /
                           ".devcontainer/dir/devcontainer.json");  // a folder, not a file
    CHECK(find_configs(ws.root).empty());
    CHECK(find_configs(ws.root / "no-such-folder").empty());
}

TEST_CASE("is_config_location and workspace_of_config agree with find_configs", "[find_configs]") {
    Workspace ws;
    for (const char* relative : {".devcontainer/devcontainer.json", ".devcontainer.json",
                                 ".devcontainer/python/devcontainer.json"}) {
        fs::path config = ws.add(relative);
        INFO(relative);
        CHECK(is_config_location(config));
        CHECK(workspace_of_config(config) == ws.root);
        auto found = find_configs(workspace_of_config(config));
        CHECK(std::find(found.begin(), found.end(), config) != found.end());
    }
    CHECK_FALSE(is_config_location("/w/devcontainer.json"));
    CHECK_FALSE(is_config_location("/w/.devcontainer/a/b/devcontainer.json"));
    CHECK_FALSE(is_config_location("/w/.devcontainer/Dockerfile"));
    CHECK(is_config_location("/anywhere/deep/.devcontainer.json"));
    CHECK(workspace_of_config("/w/sub/devcontainer.json") == fs::path("/w/sub"));
}

TEST_CASE("choose_config takes the CLI's default and says so when there were others",
          "[find_configs]") {
    Workspace ws;
    CHECK(choose_config(ws.root, "--devcontainer").config.empty());
    CHECK(
        choose_config(ws.root, "--devcontainer").error.empty());  // the caller may use a Dockerfile

    fs::path root_file = ws.add(".devcontainer.json");
    ConfigChoice only = choose_config(ws.root, "--devcontainer");
    CHECK(only.config == root_file);
    CHECK(only.note.empty());
    CHECK(only.error.empty());

    fs::path named = ws.add(".devcontainer/go/devcontainer.json");
    fs::path folder_file = ws.add(".devcontainer/devcontainer.json");
    ConfigChoice several = choose_config(ws.root, "--devcontainer");
    CHECK(several.config == folder_file);
    CHECK(several.error.empty());
    CHECK_THAT(several.note, Catch::Contains("using " + folder_file.string()) &&
                                 Catch::Contains(root_file.string()) &&
                                 Catch::Contains(named.string()) &&
                                 Catch::Contains("--devcontainer PATH"));
}

TEST_CASE("choose_config uses a lone named configuration and refuses to guess among several",
          "[find_configs]") {
    Workspace ws;
    fs::path go = ws.add(".devcontainer/go/devcontainer.json");
    ConfigChoice one = choose_config(ws.root, "--devcontainer");
    CHECK(one.config == go);
    CHECK(one.note == "using " + go.string());
    CHECK(one.error.empty());

    fs::path rust = ws.add(".devcontainer/rust/devcontainer.json");
    ConfigChoice two = choose_config(ws.root, "--devcontainer");
    CHECK(two.config.empty());
    CHECK(two.note.empty());
    CHECK_THAT(two.error, Catch::Contains("pick one with --devcontainer PATH") &&
                              Catch::Contains(go.string()) && Catch::Contains(rust.string()));
}
