// Dev Container Features installed by `envbuilder build`, end to end. The features are our own
// (tests/support/features/src), published to a real registry (Distribution, TLS and auth) by the
// devcontainers CLI itself (`devcontainer features publish`), so the artifacts are the ones real
// registries hold. The install order is checked against the CLI's `features resolve-dependencies`
// on the same configuration, and each image is run with crun (tests/support/run_image.sh) to show
// what the features did: a user exists, a tool is on PATH, the environment is set.
#include <regex>

#include "build_test_support.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::testing;

namespace {

const std::string kSource = ENVBUILDER_SOURCE_DIR;
const std::string kBinary = ENVBUILDER_BINARY;
const fs::path kCli = fs::path(kSource) / "node_modules/@devcontainers/cli/devcontainer.js";

#define SKIP_WITHOUT_CLI()                                \
    if (!fs::exists(kCli) || !testing::have_tool("node")) \
    SKIP_TEST("needs node and npm @devcontainers/cli (npm ci)")

// What envbuilder, skopeo and the CLI need to reach the registry: its CA and the test account.
std::string env_for(const LiveRegistry& reg) {
    return "DOCKER_CONFIG=" + reg.docker_config().parent_path().string() +
           " ENVBUILDER_CERTS_DIR=" + (reg.dir / "certs.d").string() +
           " NODE_EXTRA_CA_CERTS=" + (reg.dir / "ca.crt").string() + " DEVCONTAINERS_OCI_AUTH='" +
           reg.host + "|" + kTestUser + "|" + kTestPassword + "'";
}

// The test features, published under HOST/envbuilder-test/<id> by the devcontainers CLI.
void publish_features(const LiveRegistry& reg) {
    fs::path src = reg.dir / "features-src";
    fs::copy(kSource + "/tests/support/features/src", src, fs::copy_options::recursive);
    int status;
    std::string out = run("sed -i 's#REGISTRY#" + reg.host + "#g' " + src.string() +
                              "/*/devcontainer-feature.json && " + env_for(reg) + " node " +
                              kCli.string() + " features publish --log-level info -r " + reg.host +
                              " -n envbuilder-test " + src.string() + " 2>&1",
                          &status);
    INFO(out);
    REQUIRE(status == 0);
}

std::string build(const LiveRegistry& reg, const fs::path& ws, const std::string& options,
                  int* status) {
    return run(env_for(reg) + " " + kBinary + " build --workspace " + ws.string() +
                   " --no-push --cache-dir " + (ws / "cache").string() + " " + options + " 2>&1",
               status);
}

// "FEATURE <id>" of each feature step, in the order the build ran them, with CACHED or not.
struct StepLine {
    std::string id;
    bool cached = false;
};
std::vector<StepLine> feature_steps(const std::string& out) {
    std::vector<StepLine> steps;
    std::regex started(R"(^\[(\d+)/\d+\] FEATURE (\S+))");
    std::regex finished(R"(^\[(\d+)/\d+\] (CACHED|done in))");
    std::map<std::string, size_t> by_step;
    std::istringstream lines(out);
    std::string line;
    std::smatch m;
    while (std::getline(lines, line)) {
        if (std::regex_search(line, m, started)) {
            by_step[m[1]] = steps.size();
            steps.push_back({m[2], false});
        } else if (std::regex_search(line, m, finished) && by_step.count(m[1])) {
            steps[by_step[m[1]]].cached = m[2] == "CACHED";
        }
    }
    return steps;
}

// The CLI's install order for the workspace's configuration (ids as the user wrote them).
std::vector<std::string> cli_order(const LiveRegistry& reg, const fs::path& ws) {
    int status;
    std::string out = run(env_for(reg) + " node " + kCli.string() +
                              " features resolve-dependencies --workspace-folder " + ws.string() +
                              " --log-level error 2>/dev/null",
                          &status);
    INFO(out);
    REQUIRE(status == 0);
    size_t start = out.find("\n{");
    REQUIRE(start != std::string::npos);
    json result = json::parse(out.substr(start + 1));
    std::vector<std::string> order;
    for (const auto& f : result["installOrder"]) order.push_back(f["id"].get<std::string>());
    return order;
}

// "host/ns/name" of "host/ns/name:tag" or "host/ns/name@sha256:…" (the CLI answers with the
// digest it resolved); local folders as they are.
std::vector<std::string> repositories(const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (std::string id : ids) {
        id = id.substr(0, id.find('@'));
        size_t slash = id.rfind('/'), colon = id.rfind(':');
        if (id.rfind("./", 0) != 0 && colon != std::string::npos &&
            (slash == std::string::npos || colon > slash))
            id.resize(colon);
        out.push_back(id);
    }
    return out;
}

std::string run_layout(const fs::path& layout, const std::string& command, int* status) {
    return run("bash " + kSource + "/tests/support/run_image.sh oci:" + layout.string() +
                   ":latest -- sh -c '" + command + "' 2>&1",
               status);
}

std::string dockerfile_on(const fs::path& base) {
    return "FROM oci:" + base.string() + ":latest\nUSER app\nRUN echo built > /tmp/built\n";
}

}  // namespace

TEST_CASE(
    "features: OCI features published by the devcontainers CLI, a dependency and a local feature, "
    "installed in the CLI's order on busybox; crun runs the result; a warm rebuild runs nothing; "
    "a changed option reruns from that feature",
    "[features-live]") {
    SKIP_UNLESS_ROOT();
    SKIP_WITHOUT_CLI();
    LiveRegistry reg;
    publish_features(reg);
    fs::path ws = fresh_temp_dir("features-busybox");
    const std::string ns = reg.host + "/envbuilder-test/";
    write(ws / ".devcontainer/Dockerfile", dockerfile_on(busybox_layout()));
    write(ws / ".devcontainer/local-note/devcontainer-feature.json",
          R"({"id": "local-note", "version": "0.0.1", "name": "Local note",
              "options": {"text": {"type": "string", "default": "none"}}})");
    write(ws / ".devcontainer/local-note/install.sh",
          "#!/bin/sh\nset -e\nmkdir -p /opt\necho \"$TEXT\" > /opt/local-note.txt\n");
    auto config_with = [&](const std::string& username) {
        return "{\n  \"build\": {\"dockerfile\": \"Dockerfile\"},\n  \"features\": {\n    \"" + ns +
               "needs-greeter:1\": {},\n    \"" + ns + "after-account:0\": {},\n    \"" + ns +
               "account:2\": {\"username\": \"" + username +
               "\"},\n    \"./local-note\": {\"text\": \"from the workspace\"}\n  },\n"
               "  \"remoteUser\": \"robin\"\n}\n";
    };
    write(ws / ".devcontainer/devcontainer.json", config_with("robin"));

    int status;
    std::string out = build(reg, ws, "--oci-layout " + (ws / "out").string(), &status);
    INFO(out);
    REQUIRE(status == 0);
    auto steps = feature_steps(out);
    std::vector<std::string> ours;
    for (const auto& s : steps) ours.push_back(s.id);
    // The CLI's order, and the dependency (greeter) that nobody named in devcontainer.json.
    CHECK(repositories(ours) == repositories(cli_order(reg, ws)));
    CHECK(std::find(ours.begin(), ours.end(), ns + "greeter:1") != ours.end());
    CHECK(ours.size() == 5);

    std::string ran = run_layout(ws / "out",
                                 "greet; cat /opt/needs-greeter.txt /opt/after-account.txt "
                                 "/opt/local-note.txt /opt/greeter/installed-by; id robin; "
                                 "echo user=$(id -un) home=$GREETER_HOME path=$PATH; "
                                 "ls /tmp/dev-container-features 2>&1; true",
                                 &status);
    INFO(ran);
    CHECK(status == 0);
    // greeter installed once, with the options needs-greeter's dependsOn gave it.
    CHECK(ran.find("hello dependency (plain)") != std::string::npos);
    CHECK(ran.find("GREETER_HOME=/opt/greeter") != std::string::npos);  // containerEnv, seen later
    CHECK(ran.find("uid=1500(robin)") != std::string::npos);            // the user-creating feature
    CHECK(ran.find("app\nrobin") != std::string::npos);  // after-account ran after account
    CHECK(ran.find("from the workspace") != std::string::npos);
    CHECK(ran.find("uid=0 container=app remote=robin") != std::string::npos);  // install.sh as root
    CHECK(ran.find("user=app home=/opt/greeter path=/opt/greeter/bin:") !=
          std::string::npos);                                           // the image's USER is kept
    CHECK(ran.find("No such file or directory") != std::string::npos);  // the files are gone

    json config = layout_config(ws / "out");
    CHECK(config["config"]["User"] == "app");
    CHECK(config["rootfs"]["diff_ids"].size() == 2 + 5);  // base, RUN, one layer per feature
    size_t feature_entries = 0;
    for (const auto& h : config["history"])
        if (h["created_by"].get<std::string>().rfind("FEATURE ", 0) == 0) ++feature_entries;
    CHECK(feature_entries == 5);

    // Warm: every step, each feature included, comes from the cache.
    out = build(reg, ws, "--oci-layout " + (ws / "out2").string(), &status);
    INFO(out);
    REQUIRE(status == 0);
    steps = feature_steps(out);
    REQUIRE(steps.size() == 5);
    for (const auto& s : steps) CHECK(s.cached);

    // One option changed: the features before `account` stay cached, it and those after rerun.
    write(ws / ".devcontainer/devcontainer.json", config_with("kim"));
    out = build(reg, ws, "--oci-layout " + (ws / "out3").string(), &status);
    INFO(out);
    REQUIRE(status == 0);
    steps = feature_steps(out);
    REQUIRE(steps.size() == 5);
    bool seen_account = false;
    for (const auto& s : steps) {
        INFO(s.id);
        if (s.id == ns + "account:2") seen_account = true;
        CHECK(s.cached == !seen_account);
    }
    fs::remove_all(ws);
}

TEST_CASE(
    "features: a bad option stops the build before any step runs; a failing install.sh is "
    "reported on the feature's line in devcontainer.json, with its last output",
    "[features-live]") {
    SKIP_UNLESS_ROOT();
    SKIP_WITHOUT_CLI();
    LiveRegistry reg;
    publish_features(reg);
    fs::path ws = fresh_temp_dir("features-errors");
    const std::string ns = reg.host + "/envbuilder-test/";
    write(ws / ".devcontainer/Dockerfile", dockerfile_on(busybox_layout()));
    write(ws / ".devcontainer/devcontainer.json",
          "{\n  \"build\": {\"dockerfile\": \"Dockerfile\"},\n  \"features\": {\n    \"" + ns +
              "greeter:1\": {\"style\": \"bold\", \"colour\": \"red\"}\n  }\n}\n");
    int status;
    std::string out = build(reg, ws, "", &status);
    INFO(out);
    CHECK(status != 0);
    CHECK(out.find("devcontainer.json:4") != std::string::npos);
    CHECK(out.find("colour") != std::string::npos);
    CHECK(out.find("plain") != std::string::npos);  // the allowed values of `style`
    CHECK(out.find("fancy") != std::string::npos);
    CHECK(out.find("] RUN") == std::string::npos);  // nothing ran

    write(ws / ".devcontainer/devcontainer.json",
          "{\n  \"build\": {\"dockerfile\": \"Dockerfile\"},\n  \"features\": {\n    \"" + ns +
              "greeter:1\": \"latest\",\n    \"" + ns + "broken:1\": {\"code\": \"7\"}\n  }\n}\n");
    out = build(reg, ws, "", &status);
    INFO(out);
    CHECK(status != 0);
    CHECK(out.find("devcontainer.json:5: feature " + ns +
                   "broken:1: install.sh failed with exit code 7") != std::string::npos);
    CHECK(out.find("broken: giving up") != std::string::npos);

    // The editor's form: the error event names devcontainer.json and the feature's key.
    fs::path events = ws / "events.jsonl";
    out = run(env_for(reg) + " " + kBinary + " build --workspace " + ws.string() +
                  " --no-push --cache-dir " + (ws / "cache").string() + " --progress json > " +
                  events.string() + " 2>/dev/null",
              &status);
    CHECK(status != 0);
    bool error_seen = false;
    for (const auto& e : read_json_lines(events)) {
        if (e.value("type", "") != "error") continue;
        error_seen = true;
        CHECK(e["file"] == (ws / ".devcontainer/devcontainer.json").string());
        CHECK(e["range"]["start"]["line"] == 4);
        CHECK(e["exitCode"] == 7);
    }
    CHECK(error_seen);
    fs::remove_all(ws);
}

TEST_CASE(
    "features: an image configuration with features on debootstrap'd Debian (useradd, options of "
    "both types); crun runs the result",
    "[features-live][debian]") {
    SKIP_UNLESS_ROOT();
    SKIP_WITHOUT_CLI();
    const fs::path debian = base_layout("debian");
    int status;
    std::string out;
    LiveRegistry reg;
    publish_features(reg);
    fs::path ws = fresh_temp_dir("features-debian");
    const std::string ns = reg.host + "/envbuilder-test/";
    write(ws / ".devcontainer.json",
          "{\"image\": \"oci:" + debian.string() + ":bookworm\", \"features\": {\"" + ns +
              "greeter:1.2\": {\"loud\": true, \"who\": \"team\"}, \"" + ns + "account\": {}}}");
    out = build(reg, ws, "--oci-layout " + (ws / "out").string(), &status);
    INFO(out);
    REQUIRE(status == 0);
    CHECK(feature_steps(out).size() == 2);
    std::string ran = run_layout(ws / "out", "greet; id dev; ls -d /home/dev", &status);
    INFO(ran);
    CHECK(status == 0);
    CHECK(ran.find("HELLO TEAM (PLAIN)") != std::string::npos);
    CHECK(ran.find("uid=1500(dev)") != std::string::npos);
    CHECK(ran.find("/home/dev") != std::string::npos);
    fs::remove_all(ws);
}

namespace {

// Stands in for docker in `devcontainer read-configuration`: `inspect` answers from
// DIR/image.json or DIR/container.json, `ps` finds the container when there is one.
void write_docker_stand_in(const fs::path& dir) {
    write(dir / "docker", R"(#!/bin/sh
type=""; prev=""
for a in "$@"; do [ "$prev" = "--type" ] && type=$a; prev=$a; done
case "$1" in
    inspect) if [ "$type" = container ]; then cat ")" +
                              (dir / "container.json").string() + R"("; else cat ")" +
                              (dir / "image.json").string() + R"("; fi ;;
    ps) [ -f ")" + (dir / "container.json").string() +
                              R"(" ] && echo standincontainer ;;
esac
exit 0
)");
    fs::permissions(dir / "docker", fs::perms::owner_all);
}

// The CLI's merged configuration for the workspace (what `devcontainer up` would apply).
json merged_configuration(const LiveRegistry& reg, const fs::path& ws, const fs::path& docker_dir,
                          const std::string& extra) {
    int status;
    std::string out = run(
        env_for(reg) + " node " + kCli.string() + " read-configuration --workspace-folder " +
            ws.string() + " --docker-path " + (docker_dir / "docker").string() +
            " --include-merged-configuration " + extra + " 2>" + (docker_dir / "cli.log").string(),
        &status);
    INFO(out);
    INFO(read_file(docker_dir / "cli.log"));
    REQUIRE(status == 0);
    size_t start = out.rfind("\n{");
    json result = json::parse(start == std::string::npos ? out : out.substr(start + 1));
    REQUIRE(result.contains("mergedConfiguration"));
    return result["mergedConfiguration"];
}

}  // namespace

TEST_CASE(
    "features: the devcontainer.metadata label reads back in the devcontainers CLI as the "
    "configuration it computes itself from the base image, the features and devcontainer.json",
    "[features-live][metadata]") {
    SKIP_UNLESS_ROOT();
    SKIP_WITHOUT_CLI();
    LiveRegistry reg;
    publish_features(reg);
    const std::string ns = reg.host + "/envbuilder-test/";
    int status;
    // A base image that already carries metadata (as images the CLI built do).
    fs::path base_ws = fresh_temp_dir("features-label-base");
    const std::string base_label = R"([{"remoteUser":"app","postStartCommand":"echo base"}])";
    write(base_ws / "Dockerfile", "FROM oci:" + busybox_layout().string() +
                                      ":latest\nLABEL devcontainer.metadata='" + base_label +
                                      "'\n");
    std::string out = build(reg, base_ws, "--oci-layout " + (base_ws / "out").string(), &status);
    INFO(out);
    REQUIRE(status == 0);

    fs::path ws = fresh_temp_dir("features-label");
    write(ws / ".devcontainer/Dockerfile", "FROM oci:" + (base_ws / "out").string() + ":latest\n");
    write(
        ws / ".devcontainer/devcontainer.json",
        "{\n  \"build\": {\"dockerfile\": \"Dockerfile\"},\n"
        "  \"features\": {\"" +
            ns + "needs-greeter:1\": {}, \"" + ns +
            "greeter:1\": {\"who\": \"label\"}},\n"
            R"(  "remoteUser": "root", "containerUser": "app", "containerEnv": {"EDITOR": "vi", "WHERE": "${localWorkspaceFolderBasename}"},
  "remoteEnv": {"R": "1"}, "forwardPorts": [3000, "db:5432"], "portsAttributes": {"3000": {"label": "web"}},
  "postCreateCommand": ["echo", "config"], "updateContentCommand": "true", "waitFor": "updateContentCommand",
  "customizations": {"vscode": {"settings": {"a": 1}, "extensions": ["x.y"]}},
  "init": false, "privileged": false, "capAdd": ["NET_ADMIN"], "securityOpt": ["seccomp=unconfined"],
  "mounts": ["source=v,target=/v,type=volume"], "overrideCommand": true, "shutdownAction": "none",
  "updateRemoteUserUID": false, "userEnvProbe": "loginShell", "hostRequirements": {"cpus": 1},
  "runArgs": ["--cap-add=SYS_ADMIN"]
})"
            "\n");
    out = build(reg, ws, "--oci-layout " + (ws / "out").string(), &status);
    INFO(out);
    REQUIRE(status == 0);
    json image = layout_config(ws / "out");
    json labels = image["config"]["Labels"];
    REQUIRE(labels.contains("devcontainer.metadata"));
    json ours = json::parse(labels["devcontainer.metadata"].get<std::string>());
    INFO("our label: " << ours.dump(1));
    // The base's, three features' (greeter twice: the user's options and the dependency's differ,
    // so the CLI installs both), the configuration's.
    REQUIRE(ours.size() == 5);
    CHECK(ours[0]["postStartCommand"] == "echo base");
    CHECK(ours[1]["id"] == ns + "greeter:1");
    CHECK(ours[1]["capAdd"] == json::array({"SYS_PTRACE"}));
    CHECK(ours[3]["id"] == ns + "needs-greeter:1");
    CHECK(ours[4]["remoteUser"] == "root");
    CHECK(ours[4]["containerEnv"]["WHERE"] == "${localWorkspaceFolderBasename}");  // as written
    bool editor_set = false;
    for (const auto& e : image["config"]["Env"]) editor_set |= e == "EDITOR=vi";
    CHECK(editor_set);  // containerEnv is in the image too

    // The CLI, from the base image and devcontainer.json (no container yet) ...
    fs::path docker_dir = ws / "stand-in";
    fs::create_directories(docker_dir);
    write_docker_stand_in(docker_dir);
    json base_config = layout_config(base_ws / "out");
    write(docker_dir / "image.json", json::array({{{"Id", "sha256:" + std::string(64, 'a')},
                                                   {"Os", "linux"},
                                                   {"Architecture", "amd64"},
                                                   {"Config", base_config["config"]}}})
                                         .dump());
    json theirs = merged_configuration(reg, ws, docker_dir, "");
    // ... and from a container of our image, whose labels are all it reads.
    json container_labels = labels;
    container_labels["devcontainer.local_folder"] = ws.string();
    container_labels["devcontainer.config_file"] =
        (ws / ".devcontainer/devcontainer.json").string();
    json container_config = image["config"];
    container_config["Labels"] = container_labels;
    container_config["Image"] = "ours";
    write(docker_dir / "container.json",
          json::array({{{"Id", "standincontainer"},
                        {"Name", "/standin"},
                        {"Created", "2026-12-01T00:00:00Z"},
                        {"State", {{"Status", "running"}, {"StartedAt", "2026-12-01T00:00:00Z"}}},
                        {"Config", container_config},
                        {"Mounts", json::array()},
                        {"NetworkSettings", {{"Ports", json::object()}}}}})
              .dump());
    json from_label = merged_configuration(reg, ws, docker_dir, "--container-id standincontainer");
    INFO("CLI without a container: " << theirs.dump(1));
    INFO("CLI from our label: " << from_label.dump(1));
    for (const auto& [key, value] : theirs.items()) {
        INFO("field " << key);
        CHECK(from_label[key] == value);
    }
    CHECK(from_label.size() == theirs.size());
    CHECK(theirs["postStartCommands"].size() == 1);  // the base's entry counted
    CHECK(theirs["capAdd"].size() == 2);             // NET_ADMIN and the feature's SYS_PTRACE
    fs::remove_all(ws);
    fs::remove_all(base_ws);
}
