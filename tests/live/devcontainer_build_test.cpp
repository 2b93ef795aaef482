// What devcontainer.json means to a build besides its features, as the devcontainers CLI reads
// it: variables substituted in build.args (${localEnv:…} with its default, the folders, the id),
// build.options applied or refused by name, build.cacheFrom said to be unused, trailing commas
// accepted.
#include "build_test_support.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

const std::string kBinary = ENVBUILDER_BINARY;

std::string build(const fs::path& ws, const std::string& env, int* status) {
    return run(env + " " + kBinary + " build --workspace " + ws.string() +
                   " --no-push --cache-dir " + (ws / "cache").string() + " --oci-layout " +
                   (ws / "out").string() + " 2>&1",
               status);
}

}  // namespace

TEST_CASE("devcontainer build: variables in build.args, build.options applied, cacheFrom named",
          "[devcontainer-live]") {
    SKIP_UNLESS_ROOT();
    fs::path ws = fresh_temp_dir("dc-semantics");
    write(ws / ".devcontainer/Dockerfile", "FROM oci:" + busybox_layout().string() + R"(:latest
ARG WHO
ARG WHERE
ARG ID
ARG EXTRA
RUN echo "$WHO|$WHERE|$ID|$EXTRA" > /args
)");
    write(ws / ".devcontainer/devcontainer.json", R"({
  "build": {
    "dockerfile": "Dockerfile",
    "args": {"WHO": "${localEnv:EB_TEST_WHO:nobody}",
             "WHERE": "${localWorkspaceFolderBasename}:${containerWorkspaceFolder}",
             "ID": "${devcontainerId}", "EXTRA": "from args"},
    "options": ["--label", "org.example.from=options", "--build-arg=EXTRA=from options"],
    "cacheFrom": "registry.example/team/cache",
  },
})");  // trailing commas: the CLI accepts them, and so does the build (lint warns)
    int status;
    std::string out = build(ws, "EB_TEST_WHO=alice", &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(
        out.find("devcontainer.json:8: build.cacheFrom registry.example/team/cache is not used") !=
        std::string::npos);
    json config = layout_config(ws / "out");
    CHECK(config["config"]["Labels"]["org.example.from"] == "options");
    std::string args = run("umoci unpack --image " + (ws / "out").string() + ":latest " +
                               (ws / "bundle").string() + " >/dev/null && cat " +
                               (ws / "bundle/rootfs/args").string(),
                           &status);
    INFO(args);
    CHECK(status == 0);
    const std::string base = ws.filename().string();
    CHECK(args.rfind("alice|" + base + ":/workspaces/" + base + "|", 0) == 0);
    CHECK(args.find("|from options\n") != std::string::npos);  // options after build.args win
    const size_t id_start = args.find('|', args.find('|') + 1) + 1;
    CHECK(args.find('|', id_start) - id_start == 52);  // ${devcontainerId}

    // The default when the variable is unset; an option that means nothing here is refused.
    fs::remove_all(ws / "out");
    fs::remove_all(ws / "bundle");
    out = build(ws, "env -u EB_TEST_WHO", &status);
    INFO(out);
    REQUIRE(status == 0);
    args = run("umoci unpack --image " + (ws / "out").string() + ":latest " +
                   (ws / "bundle").string() + " >/dev/null && cat " +
                   (ws / "bundle/rootfs/args").string(),
               &status);
    CHECK(args.rfind("nobody|", 0) == 0);
    write(ws / ".devcontainer/devcontainer.json",
          R"({"build": {"dockerfile": "Dockerfile", "options": ["--add-host=db:10.0.0.2"]}})");
    out = build(ws, "", &status);
    INFO(out);
    CHECK(status != 0);
    CHECK(out.find("build.options: \"--add-host=db:10.0.0.2\" is not supported") !=
          std::string::npos);
    fs::remove_all(ws);
}
