#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "devcontainer/devcontainer.h"

using namespace envbuilder;
using namespace envbuilder::devcontainer;
namespace fs = std::filesystem;

namespace {

std::string show(Range r) {
    return std::to_string(r.start.line) + ":" + std::to_string(r.start.character) + "-" +
           std::to_string(r.end.line) + ":" + std::to_string(r.end.character);
}

// Where the `occurrence`-th (0-based) `needle` sits in an ASCII text, as "line:col-line:col".
std::string span(const std::string& text, std::string_view needle, int occurrence = 0) {
    size_t at = text.find(needle);
    for (int i = 0; i < occurrence && at != std::string::npos; ++i) at = text.find(needle, at + 1);
    REQUIRE(at != std::string::npos);
    uint32_t line = 0;
    size_t line_start = 0;
    for (size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    Range r{{line, static_cast<uint32_t>(at - line_start)},
            {line, static_cast<uint32_t>(at - line_start + needle.size())}};
    return show(r);
}

DevcontainerAnalysis analyze(const std::string& json, const fs::path& path = {}) {
    SourceText text(json);
    return analyze_devcontainer(text, path);
}

// Copies, so that tests may pass a temporary analysis.
std::vector<Diagnostic> with_code(const DevcontainerAnalysis& a, std::string_view code) {
    std::vector<Diagnostic> out;
    for (const Diagnostic& d : a.diagnostics) {
        if (d.code == code) out.push_back(d);
    }
    return out;
}

std::string all_messages(const DevcontainerAnalysis& a);

// The single diagnostic with `code`; fails the test when there are none or several.
Diagnostic only(const DevcontainerAnalysis& a, std::string_view code) {
    auto found = with_code(a, code);
    INFO("diagnostics with code " << code << ":\n" << all_messages(a));
    REQUIRE(found.size() == 1);
    return found[0];
}

bool has(const DevcontainerAnalysis& a, std::string_view code) { return !with_code(a, code).empty(); }

std::string all_messages(const DevcontainerAnalysis& a) {
    std::string out;
    for (const Diagnostic& d : a.diagnostics) out += d.code + " " + show(d.range) + " " + d.message + "\n";
    return out;
}

// A fresh folder under the system temp dir, removed again at the end of the test.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
        path_ = fs::temp_directory_path() /
                ("envbuilder-devc-" + std::to_string(stamp) + "-" + std::to_string(counter++));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    void write(const fs::path& relative, const std::string& content) const {
        fs::create_directories((path_ / relative).parent_path());
        std::ofstream(path_ / relative) << content;
    }

private:
    fs::path path_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The model

TEST_CASE("devcontainer: the model keeps values and ranges", "[devcontainer]") {
    const std::string json = R"({
  "name": "demo",
  "image": "debian:12",
  "features": {"ghcr.io/devcontainers/features/node:1": {"version": "20"}, "./local": true},
  "containerEnv": {"A": "1"},
  "remoteEnv": {"B": null},
  "mounts": ["type=volume,source=v,target=/v", {"type": "bind", "source": "/s", "target": "/t"}],
  "forwardPorts": [3000, "db:5432"],
  "appPort": 8080,
  "portsAttributes": {"3000": {"label": "web", "onAutoForward": "notify", "requireLocalPort": true}},
  "otherPortsAttributes": {"onAutoForward": "ignore"},
  "initializeCommand": "make init",
  "onCreateCommand": ["npm", "ci"],
  "postCreateCommand": {"a": "echo a", "b": ["echo", "b"]},
  "hostRequirements": {"cpus": 4, "memory": "8gb", "gpu": "optional"},
  "secrets": {"TOKEN": {"description": "a token"}},
  "customizations": {"vscode": {"extensions": []}},
  "waitFor": "postCreateCommand",
  "shutdownAction": "none",
  "updateRemoteUserUID": false,
  "runArgs": ["--init"]
})";
    auto a = analyze(json);
    const Devcontainer& c = a.config;
    REQUIRE(c.name);
    CHECK(c.name->value == "demo");
    REQUIRE(c.image);
    CHECK(c.image->value == "debian:12");
    CHECK(show(c.image->key_range) == span(json, "\"image\""));
    CHECK(show(c.image->value_range) == span(json, "\"debian:12\""));
    CHECK(c.image_source() == ImageSource::Image);

    REQUIRE(c.features);
    REQUIRE(c.features->value.size() == 2);
    CHECK(c.features->value[0].id == "ghcr.io/devcontainers/features/node:1");
    CHECK(show(c.features->value[0].id_range) == span(json, "\"ghcr.io/devcontainers/features/node:1\""));
    CHECK(c.features->value[0].options.find("version")->string == "20");
    CHECK(c.features->value[1].options.is_bool());

    REQUIRE(c.container_env);
    CHECK(c.container_env->value[0].name == "A");
    CHECK(c.container_env->value[0].value == "1");
    REQUIRE(c.remote_env);
    CHECK_FALSE(c.remote_env->value[0].value.has_value());

    REQUIRE(c.mounts);
    REQUIRE(c.mounts->value.size() == 2);
    CHECK(c.mounts->value[0].spec == "type=volume,source=v,target=/v");
    CHECK_FALSE(c.mounts->value[0].object_form);
    CHECK(c.mounts->value[1].object_form);
    CHECK(c.mounts->value[1].type == "bind");
    CHECK(c.mounts->value[1].target == "/t");

    REQUIRE(c.forward_ports);
    CHECK(c.forward_ports->value[0].number == 3000);
    CHECK(c.forward_ports->value[1].text == "db:5432");
    REQUIRE(c.app_port);
    CHECK(c.app_port->value[0].number == 8080);
    REQUIRE(c.ports_attributes);
    CHECK(c.ports_attributes->value[0].port == "3000");
    CHECK(c.ports_attributes->value[0].label == "web");
    CHECK(c.ports_attributes->value[0].require_local_port == true);
    REQUIRE(c.other_ports_attributes);
    CHECK(c.other_ports_attributes->value.on_auto_forward == "ignore");

    REQUIRE(c.initialize_command);
    CHECK(c.initialize_command->value.single->shell == "make init");
    REQUIRE(c.on_create_command);
    CHECK_FALSE(c.on_create_command->value.single->shell);
    REQUIRE(c.on_create_command->value.single->args.size() == 2);
    CHECK(c.on_create_command->value.single->args[1].value == "ci");
    REQUIRE(c.post_create_command);
    REQUIRE(c.post_create_command->value.parallel.size() == 2);
    CHECK(c.post_create_command->value.parallel[0].name == "a");
    CHECK(c.post_create_command->value.parallel[0].command.shell == "echo a");
    CHECK(c.post_create_command->value.parallel[1].command.args.size() == 2);

    REQUIRE(c.host_requirements);
    CHECK(c.host_requirements->value.cpus->value == 4);
    CHECK(c.host_requirements->value.memory->value == "8gb");
    CHECK(c.host_requirements->value.gpu->value.need == GpuRequirement::Need::Optional);
    REQUIRE(c.secrets);
    CHECK(c.secrets->value[0].description == "a token");
    REQUIRE(c.customizations);
    CHECK(c.customizations->value.find("vscode"));
    CHECK(c.wait_for->value == "postCreateCommand");
    CHECK(c.shutdown_action->value == "none");
    CHECK(c.update_remote_user_uid->value == false);
    CHECK(c.run_args->value[0].value == "--init");

    // Only appPort's deprecation: the rest is valid.
    REQUIRE(a.diagnostics.size() == 1);
    CHECK(a.diagnostics[0].code == "DeprecatedProperty");
    REQUIRE(a.json);
    CHECK(a.json->find("image"));
}

TEST_CASE("devcontainer: build, compose and deprecated spellings in the model", "[devcontainer]") {
    auto a = analyze(R"({"build": {"dockerfile": "Dockerfile", "context": "..", "target": "dev",
        "args": {"V": "1"}, "cacheFrom": "img:cache", "options": ["--pull"]}})");
    const Devcontainer& c = a.config;
    REQUIRE(c.build);
    CHECK(c.build->value.dockerfile->value == "Dockerfile");
    CHECK(c.build->value.context->value == "..");
    CHECK(c.build->value.target->value == "dev");
    CHECK(c.build->value.args->value[0].value == "1");
    REQUIRE(c.build->value.cache_from);
    CHECK(c.build->value.cache_from->value.size() == 1);
    CHECK(c.build->value.options->value[0].value == "--pull");
    CHECK(c.image_source() == ImageSource::Dockerfile);
    CHECK(c.dockerfile() == &*c.build->value.dockerfile);

    auto old = analyze(R"({"dockerFile": "Dockerfile", "context": "."})");
    CHECK(old.config.image_source() == ImageSource::Dockerfile);
    REQUIRE(old.config.dockerfile());
    CHECK(old.config.dockerfile()->value == "Dockerfile");
    CHECK(old.config.build_context()->value == ".");

    auto compose = analyze(R"({"dockerComposeFile": ["a.yml", "b.yml"], "service": "app", "workspaceFolder": "/w"})");
    CHECK(compose.config.image_source() == ImageSource::Compose);
    CHECK(compose.config.docker_compose_file->value.size() == 2);
    CHECK(compose.diagnostics.empty());
}

TEST_CASE("devcontainer: a trailing comma costs nothing in the model", "[devcontainer]") {
    const std::string json = "{\"image\": \"debian\", \"remoteUser\": \"dev\",}";
    auto a = analyze(json);
    REQUIRE(a.config.remote_user);
    CHECK(a.config.remote_user->value == "dev");
    const Diagnostic& d = only(a, "TrailingComma");
    CHECK(d.severity == Severity::Warning);
    size_t comma = json.find(",}");
    CHECK(show(d.range) == "0:" + std::to_string(comma) + "-0:" + std::to_string(comma + 1));
    CHECK(a.diagnostics.size() == 1);
}

// ---------------------------------------------------------------------------------------------
// Types, enums, values

TEST_CASE("devcontainer: InvalidType", "[devcontainer]") {
    SECTION("nested property, with the path in the message") {
        const std::string json = R"({"build": {"dockerfile": 5}})";
        const Diagnostic& d = only(analyze(json), "InvalidType");
        CHECK(d.severity == Severity::Error);
        CHECK(d.message == "\"build.dockerfile\" must be a string, got number");
        CHECK(show(d.range) == span(json, "5"));
    }
    SECTION("array element") {
        const std::string json = R"({"image": "x", "runArgs": ["--init", 7]})";
        const Diagnostic& d = only(analyze(json), "InvalidType");
        CHECK(d.message == "\"runArgs[1]\" must be a string, got number");
        CHECK(show(d.range) == span(json, "7"));
    }
    SECTION("map value") {
        const std::string json = R"({"image": "x", "containerEnv": {"A": true, "B": null}})";
        auto found = with_code(analyze(json), "InvalidType");
        REQUIRE(found.size() == 2);
        CHECK(found[0].message == "\"containerEnv.A\" must be a string, got boolean");
        CHECK(show(found[0].range) == span(json, "true"));
        CHECK(found[1].message == "\"containerEnv.B\" must be a string, got null");
    }
    SECTION("lifecycle command") {
        const std::string json = R"({"image": "x", "postCreateCommand": 5, "onCreateCommand": {"a": 1}})";
        auto found = with_code(analyze(json), "InvalidType");
        REQUIRE(found.size() == 2);
        CHECK(found[0].message ==
              "\"postCreateCommand\" must be a string, an array of strings or an object of named commands, got number");
        CHECK(found[1].message == "\"onCreateCommand.a\" must be a string or an array of strings, got number");
    }
    SECTION("integer expected") {
        const std::string json = R"({"image": "x", "hostRequirements": {"cpus": 1.5}})";
        const Diagnostic& d = only(analyze(json), "InvalidType");
        CHECK(d.message == "\"hostRequirements.cpus\" must be an integer, got number 1.5");
    }
    SECTION("feature values and options") {
        const std::string json =
            R"({"image": "x", "features": {"ghcr.io/a/b/c": 1, "ghcr.io/a/b/d": {"opt": [1]}}})";
        auto found = with_code(analyze(json), "InvalidType");
        REQUIRE(found.size() == 2);
        CHECK(found[0].message ==
              "\"features.ghcr.io/a/b/c\" must be an object of options, a version string or a boolean, got number");
        CHECK(found[1].message == "\"features.ghcr.io/a/b/d.opt\" must be a string or a boolean, got array");
    }
    SECTION("the document must be an object") {
        const Diagnostic& d = only(analyze("[1]"), "InvalidType");
        CHECK(show(d.range) == "0:0-0:3");
    }
    SECTION("valid types, including null in remoteEnv, raise nothing") {
        auto a = analyze(R"({"image": "x", "remoteEnv": {"A": null, "B": "b"}, "init": true, "capAdd": ["SYS_PTRACE"],
            "appPort": ["8000:8010", 3000], "build": {"cacheFrom": ["a", "b"]}})");
        CHECK_FALSE(has(a, "InvalidType"));
    }
}

TEST_CASE("devcontainer: InvalidEnumValue", "[devcontainer]") {
    SECTION("shutdownAction lists the allowed values") {
        const std::string json = R"({"image": "x", "shutdownAction": "stop"})";
        const Diagnostic& d = only(analyze(json), "InvalidEnumValue");
        CHECK(d.severity == Severity::Error);
        CHECK(d.message == "\"shutdownAction\" must be one of \"none\", \"stopContainer\" or \"stopCompose\", got \"stop\"");
        CHECK(show(d.range) == span(json, "\"stop\""));
    }
    SECTION("a wrong case gets a suggestion") {
        const std::string json = R"({"image": "x", "waitFor": "postcreatecommand"})";
        const Diagnostic& d = only(analyze(json), "InvalidEnumValue");
        CHECK(d.message.find("did you mean \"postCreateCommand\"?") != std::string::npos);
    }
    SECTION("userEnvProbe, protocol, mount type, gpu") {
        const std::string json = R"({"image": "x", "userEnvProbe": "bash",
            "portsAttributes": {"80": {"protocol": "tcp"}},
            "mounts": [{"type": "tmpfs", "target": "/t"}, "type=weird,target=/x"],
            "hostRequirements": {"gpu": "maybe"}})";
        auto found = with_code(analyze(json), "InvalidEnumValue");
        REQUIRE(found.size() == 5);
        CHECK(show(found[0].range) == span(json, "\"bash\""));
        CHECK(found[1].message == "\"portsAttributes.80.protocol\" must be \"http\" or \"https\", got \"tcp\"");
        CHECK(found[2].message.find("\"mounts[0].type\" must be \"bind\" or \"volume\"") == 0);
        CHECK(found[3].message.find("\"mounts[1]\" has mount type \"weird\"") == 0);
        CHECK(found[4].message == "\"hostRequirements.gpu\" must be true, false, \"optional\" or an object, got \"maybe\"");
    }
    SECTION("openBrowserOnce is for portsAttributes only") {
        const std::string json = R"({"image": "x", "portsAttributes": {"3000": {"onAutoForward": "openBrowserOnce"}},
            "otherPortsAttributes": {"onAutoForward": "openBrowserOnce"}})";
        const Diagnostic& d = only(analyze(json), "InvalidEnumValue");
        CHECK(show(d.range) == span(json, "\"openBrowserOnce\"", 1));
    }
    SECTION("stopCompose needs Compose, stopContainer does not fit it") {
        const std::string json = R"({"image": "x", "shutdownAction": "stopCompose"})";
        const Diagnostic& d = only(analyze(json), "InvalidEnumValue");
        CHECK(show(d.range) == span(json, "\"stopCompose\""));
        CHECK(d.message.find("only with \"dockerComposeFile\"") != std::string::npos);
        auto compose = analyze(R"({"dockerComposeFile": "c.yml", "service": "s", "workspaceFolder": "/w",
            "shutdownAction": "stopContainer"})");
        CHECK(has(compose, "InvalidEnumValue"));
    }
    SECTION("allowed values raise nothing") {
        auto a = analyze(R"({"image": "x", "shutdownAction": "stopContainer", "waitFor": "onCreateCommand",
            "userEnvProbe": "loginInteractiveShell", "hostRequirements": {"gpu": true},
            "portsAttributes": {"1": {"onAutoForward": "openPreview", "protocol": "https"}},
            "mounts": [{"type": "volume", "target": "/v"}, "type=tmpfs,destination=/tmp"]})");
        CHECK_FALSE(has(a, "InvalidEnumValue"));
        auto compose = analyze(R"({"dockerComposeFile": "c.yml", "service": "s", "workspaceFolder": "/w",
            "shutdownAction": "stopCompose"})");
        CHECK(compose.diagnostics.empty());
    }
}

TEST_CASE("devcontainer: InvalidValue", "[devcontainer]") {
    SECTION("sizes use lowercase units") {
        const std::string json = R"({"image": "x", "hostRequirements": {"memory": "4GB", "storage": "32gb"}})";
        const Diagnostic& d = only(analyze(json), "InvalidValue");
        CHECK(d.severity == Severity::Error);
        CHECK(show(d.range) == span(json, "\"4GB\""));
        CHECK(d.message.find("\"hostRequirements.memory\" must be a size such as \"4gb\"") == 0);
    }
    SECTION("at least one CPU") {
        const std::string json = R"({"image": "x", "hostRequirements": {"cpus": 0}})";
        CHECK(only(analyze(json), "InvalidValue").message == "\"hostRequirements.cpus\" must be at least 1, got 0");
    }
    SECTION("forwardPorts") {
        const std::string json = R"({"image": "x", "forwardPorts": ["3000", 70000, "DB:5432", "db:5432", 22]})";
        auto found = with_code(analyze(json), "InvalidValue");
        REQUIRE(found.size() == 3);
        CHECK(found[0].message == "\"forwardPorts[0]\" must be a number, not a string: write 3000 without quotes");
        CHECK(show(found[0].range) == span(json, "\"3000\""));
        CHECK(found[1].message == "\"forwardPorts[1]\" must be a port number from 0 to 65535, got 70000");
        CHECK(show(found[2].range) == span(json, "\"DB:5432\""));
        auto high = analyze(R"({"image": "x", "forwardPorts": ["db:70000"]})");
        CHECK(only(high, "InvalidValue").message == "\"forwardPorts[0]\" has a port above 65535");
    }
    SECTION("mount strings need a target") {
        const std::string json = R"({"image": "x", "mounts": ["source=a,type=volume", "src=b,dst=/b,type=volume"]})";
        const Diagnostic& d = only(analyze(json), "InvalidValue");
        CHECK(d.message == "\"mounts[0]\" has no target: add target=<path in the container>");
        CHECK(show(d.range) == span(json, "\"source=a,type=volume\""));
    }
    SECTION("secret names are environment variable names") {
        const std::string json = R"({"image": "x", "secrets": {"1BAD": {}, "GOOD_1": {}}})";
        CHECK(show(only(analyze(json), "InvalidValue").range) == span(json, "\"1BAD\""));
    }
}

TEST_CASE("devcontainer: MissingProperty", "[devcontainer]") {
    SECTION("mount objects need type and target") {
        const std::string json = R"({"image": "x", "mounts": [{"source": "/s"}]})";
        auto found = with_code(analyze(json), "MissingProperty");
        REQUIRE(found.size() == 2);
        CHECK(found[0].message == "\"mounts[0]\" needs \"type\"");
        CHECK(found[1].message == "\"mounts[0]\" needs \"target\"");
        CHECK(show(found[0].range) == span(json, "{\"source\": \"/s\"}"));
    }
    SECTION("build needs dockerfile") {
        const std::string json = R"({"build": {"context": ".."}})";
        auto a = analyze(json);
        const Diagnostic& d = only(a, "MissingProperty");
        CHECK(d.severity == Severity::Error);
        CHECK(show(d.range) == span(json, "\"build\""));
        CHECK_FALSE(has(a, "MissingImageSource"));
    }
}

// ---------------------------------------------------------------------------------------------
// Unknown and deprecated properties

TEST_CASE("devcontainer: UnknownProperty", "[devcontainer]") {
    SECTION("top level, with a suggestion") {
        const std::string json = R"({"imagee": "debian", "image": "debian"})";
        const Diagnostic& d = only(analyze(json), "UnknownProperty");
        CHECK(d.severity == Severity::Warning);
        CHECK(d.message == "Unknown property \"imagee\": did you mean \"image\"?");
        CHECK(show(d.range) == span(json, "\"imagee\""));
    }
    SECTION("nested objects") {
        const std::string json = R"({"build": {"dockerfile": "D", "dockerFile": "D"},
            "hostRequirements": {"ram": "1gb"}, "image": "x",
            "mounts": [{"type": "bind", "target": "/t", "readonly": true}],
            "portsAttributes": {"80": {"lable": "web"}}, "otherPortsAttributes": {"x": 1},
            "secrets": {"S": {"url": ""}}})";
        auto found = with_code(analyze(json), "UnknownProperty");
        REQUIRE(found.size() == 6);
        CHECK(found[0].message == "Unknown property \"build.dockerFile\": did you mean \"dockerfile\"?");
        CHECK(found[1].message == "Unknown property \"hostRequirements.ram\"");
        CHECK(found[2].message == "Unknown property \"mounts[0].readonly\"");
        CHECK(found[3].message == "Unknown property \"portsAttributes.80.lable\": did you mean \"label\"?");
        CHECK(found[4].message == "Unknown property \"otherPortsAttributes.x\"");
        CHECK(found[5].message == "Unknown property \"secrets.S.url\"");
    }
    SECTION("customizations, feature options and maps are free-form") {
        auto a = analyze(R"({"image": "x", "customizations": {"anything": {"goes": [1, 2]}},
            "features": {"ghcr.io/a/b/c:1": {"whatever": "x"}}, "containerEnv": {"ANY": "x"},
            "$schema": "https://example.com/s.json"})");
        CHECK_FALSE(has(a, "UnknownProperty"));
    }
}

TEST_CASE("devcontainer: DeprecatedProperty", "[devcontainer]") {
    const std::string json = R"({"dockerFile": "Dockerfile", "context": "..", "appPort": [3000],
        "features": {"maven": {}}})";
    auto found = with_code(analyze(json), "DeprecatedProperty");
    REQUIRE(found.size() == 4);
    CHECK(found[0].severity == Severity::Warning);
    CHECK(found[0].message == "\"dockerFile\" is deprecated: use \"build.dockerfile\" instead");
    CHECK(show(found[0].range) == span(json, "\"dockerFile\""));
    CHECK(found[1].message == "\"context\" is deprecated: use \"build.context\" instead");
    CHECK(found[2].message == "\"appPort\" is deprecated: use \"forwardPorts\" instead");
    CHECK(found[3].message.find("Feature \"maven\" is a retired short id") == 0);
    CHECK(show(found[3].range) == span(json, "\"maven\""));

    auto modern = analyze(R"({"build": {"dockerfile": "Dockerfile", "context": ".."}, "forwardPorts": [3000]})");
    CHECK_FALSE(has(modern, "DeprecatedProperty"));
}

// ---------------------------------------------------------------------------------------------
// Image sources and Compose

TEST_CASE("devcontainer: MissingImageSource and ConflictingImageSource", "[devcontainer]") {
    SECTION("nothing to start from") {
        const std::string json = "\n  {\"name\": \"x\"}";
        const Diagnostic& d = only(analyze(json), "MissingImageSource");
        CHECK(d.severity == Severity::Error);
        CHECK(show(d.range) == "1:2-1:3");  // the opening brace
    }
    SECTION("image and Compose") {
        const std::string json = R"({"image": "x", "dockerComposeFile": "c.yml", "service": "s", "workspaceFolder": "/w"})";
        const Diagnostic& d = only(analyze(json), "ConflictingImageSource");
        CHECK(d.severity == Severity::Error);
        CHECK(show(d.range) == span(json, "\"dockerComposeFile\""));
        CHECK(d.message == "\"dockerComposeFile\" conflicts with \"image\": use only one of \"image\", "
                           "\"build.dockerfile\" and \"dockerComposeFile\"");
    }
    SECTION("both spellings of the Dockerfile") {
        const std::string json = R"({"build": {"dockerfile": "A"}, "dockerFile": "B"})";
        const Diagnostic& d = only(analyze(json), "ConflictingImageSource");
        CHECK(show(d.range) == span(json, "\"dockerFile\""));
    }
    SECTION("exactly one source raises nothing") {
        CHECK_FALSE(has(analyze(R"({"image": "x"})"), "MissingImageSource"));
        auto a = analyze(R"({"build": {"dockerfile": "D"}})");
        CHECK_FALSE(has(a, "MissingImageSource"));
        CHECK_FALSE(has(a, "ConflictingImageSource"));
    }
    SECTION("build options next to an image are ignored") {
        const std::string json = R"({"image": "x", "build": {"args": {"A": "1"}}})";
        const Diagnostic& d = only(analyze(json), "IgnoredProperty");
        CHECK(show(d.range) == span(json, "\"build\""));
    }
}

TEST_CASE("devcontainer: Compose rules", "[devcontainer]") {
    SECTION("dockerComposeFile needs service") {
        const std::string json = R"({"dockerComposeFile": "docker-compose.yml", "workspaceFolder": "/w"})";
        const Diagnostic& d = only(analyze(json), "MissingProperty");
        CHECK(d.severity == Severity::Error);
        CHECK(d.message == "\"dockerComposeFile\" needs \"service\": the Compose service to connect to");
        CHECK(show(d.range) == span(json, "\"dockerComposeFile\""));
    }
    SECTION("workspaceFolder is expected") {
        const Diagnostic& d = only(analyze(R"({"dockerComposeFile": "c.yml", "service": "app"})"), "MissingProperty");
        CHECK(d.severity == Severity::Warning);
    }
    SECTION("docker run options do nothing with Compose") {
        const std::string json = R"({"dockerComposeFile": "c.yml", "service": "app", "workspaceFolder": "/w",
            "runArgs": ["--init"]})";
        const Diagnostic& d = only(analyze(json), "IgnoredProperty");
        CHECK(d.severity == Severity::Warning);
        CHECK(show(d.range) == span(json, "\"runArgs\""));
    }
    SECTION("service without Compose does nothing") {
        const std::string json = R"({"image": "x", "service": "app"})";
        CHECK(show(only(analyze(json), "IgnoredProperty").range) == span(json, "\"service\""));
    }
    SECTION("a complete Compose config raises nothing") {
        auto a = analyze(R"({"dockerComposeFile": ["a.yml"], "service": "app", "runServices": ["app"],
            "workspaceFolder": "/w"})");
        CHECK(a.diagnostics.empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Files on disk

TEST_CASE("devcontainer: DockerfileNotFound and ContextNotFound", "[devcontainer]") {
    TempDir dir;
    dir.write(".devcontainer/Dockerfile", "FROM debian\n");
    dir.write("Dockerfile.root", "FROM debian\n");
    fs::create_directories(dir.path() / ".devcontainer/folder");
    const fs::path config = dir.path() / ".devcontainer" / "devcontainer.json";

    SECTION("present files raise nothing; paths are relative to devcontainer.json") {
        auto a = analyze(R"({"build": {"dockerfile": "Dockerfile", "context": ".."}})", config);
        CHECK(a.diagnostics.empty());
        auto b = analyze(R"({"build": {"dockerfile": "../Dockerfile.root", "context": "folder"}})", config);
        CHECK(b.diagnostics.empty());
    }
    SECTION("a missing Dockerfile") {
        const std::string json = R"({"build": {"dockerfile": "Missing.Dockerfile"}})";
        const Diagnostic& d = only(analyze(json, config), "DockerfileNotFound");
        CHECK(d.severity == Severity::Error);
        CHECK(show(d.range) == span(json, "\"Missing.Dockerfile\""));
        CHECK(d.message.find((dir.path() / ".devcontainer" / "Missing.Dockerfile").string()) != std::string::npos);
    }
    SECTION("the deprecated dockerFile is checked too") {
        const std::string json = R"({"dockerFile": "Nope"})";
        CHECK(show(only(analyze(json, config), "DockerfileNotFound").range) == span(json, "\"Nope\""));
    }
    SECTION("a folder is not a Dockerfile") {
        const std::string json = R"({"build": {"dockerfile": "folder"}})";
        CHECK(only(analyze(json, config), "DockerfileNotFound").message.find("is a folder") != std::string::npos);
    }
    SECTION("a missing context") {
        const std::string json = R"({"build": {"dockerfile": "Dockerfile", "context": "../nowhere"}})";
        const Diagnostic& d = only(analyze(json, config), "ContextNotFound");
        CHECK(d.severity == Severity::Error);
        CHECK(show(d.range) == span(json, "\"../nowhere\""));
    }
    SECTION("a context that is a file") {
        const std::string json = R"({"build": {"dockerfile": "Dockerfile", "context": "Dockerfile"}})";
        CHECK(has(analyze(json, config), "ContextNotFound"));
    }
    SECTION("paths with variables and documents not on disk are not checked") {
        auto a = analyze(R"({"build": {"dockerfile": "${localWorkspaceFolder}/x/Dockerfile"}})", config);
        CHECK(a.diagnostics.empty());
        auto b = analyze(R"({"build": {"dockerfile": "Missing", "context": "nowhere"}})", fs::path{});
        CHECK(b.diagnostics.empty());
    }
}

TEST_CASE("devcontainer: resolve_build_paths", "[devcontainer]") {
    const fs::path config = fs::path("/work/repo/.devcontainer/devcontainer.json");
    auto with_context = analyze(R"({"build": {"dockerfile": "../docker/Dockerfile", "context": ".."}})");
    auto paths = resolve_build_paths(with_context.config, config);
    REQUIRE(paths);
    CHECK(paths->dockerfile == fs::path("/work/repo/docker/Dockerfile"));
    CHECK(paths->context == fs::path("/work/repo"));

    auto default_context = analyze(R"({"dockerFile": "Dockerfile"})");
    paths = resolve_build_paths(default_context.config, config);
    REQUIRE(paths);
    CHECK(paths->dockerfile == fs::path("/work/repo/.devcontainer/Dockerfile"));
    CHECK(paths->context == fs::path("/work/repo/.devcontainer"));

    auto relative = resolve_build_paths(default_context.config, fs::path(".devcontainer/devcontainer.json"));
    REQUIRE(relative);
    CHECK(relative->dockerfile.is_absolute());

    CHECK_FALSE(resolve_build_paths(analyze(R"({"image": "x"})").config, config));
}

// ---------------------------------------------------------------------------------------------
// Features

TEST_CASE("devcontainer: InvalidFeatureId", "[devcontainer]") {
    SECTION("reported on the key with the reason") {
        const std::string json = R"({"image": "x", "features": {"node": {}, "ghcr.io/devcontainers/features/node:1": {}}})";
        const Diagnostic& d = only(analyze(json), "InvalidFeatureId");
        CHECK(d.severity == Severity::Error);
        CHECK(show(d.range) == span(json, "\"node\""));
        CHECK(d.message == "Invalid feature id \"node\": expected registry/namespace/name, e.g. "
                           "ghcr.io/devcontainers/features/node");
    }
    SECTION("invalid forms") {
        for (const char* id : {"ghcr.io/node", "devcontainers/features/node", "ghcr.io/Dev/features/node",
                               "ghcr.io/a/b/c:", "ghcr.io/a/b/c:-x", "ghcr.io/a/b/c@sha256:abc",
                               "http://example.com/f.tgz", "https://example.com/feature", "/abs/feature",
                               ".\\win", "./", "ghcr.io/a//c", "ghcr.io/a/b-/c", ""}) {
            INFO(id);
            std::string problem;
            CHECK(classify_feature_id(id, &problem) == FeatureIdKind::Invalid);
            CHECK_FALSE(problem.empty());
        }
    }
    SECTION("valid forms") {
        CHECK(classify_feature_id("ghcr.io/devcontainers/features/node:1") == FeatureIdKind::Oci);
        CHECK(classify_feature_id("ghcr.io/devcontainers/features/node") == FeatureIdKind::Oci);
        CHECK(classify_feature_id("ghcr.io/devcontainers-contrib/features/pnpm:2.0.0") == FeatureIdKind::Oci);
        CHECK(classify_feature_id("localhost:5000/a/b") == FeatureIdKind::Oci);
        CHECK(classify_feature_id("my.registry.example:443/team/features/tool_x:latest") == FeatureIdKind::Oci);
        CHECK(classify_feature_id("ghcr.io/a/b/c@sha256:" + std::string(64, 'a')) == FeatureIdKind::Oci);
        CHECK(classify_feature_id("./local-feature") == FeatureIdKind::LocalPath);
        CHECK(classify_feature_id("../shared/feature") == FeatureIdKind::LocalPath);
        CHECK(classify_feature_id("https://example.com/releases/devcontainer-feature-go.tgz") ==
              FeatureIdKind::TarballUrl);
        auto a = analyze(R"({"image": "x", "features": {"./f": {}, "ghcr.io/a/b/c:1.2.3": "latest",
            "https://x.io/f.tgz": true}})");
        CHECK_FALSE(has(a, "InvalidFeatureId"));
    }
}

// ---------------------------------------------------------------------------------------------
// ${...} variables

TEST_CASE("devcontainer: InvalidVariable", "[devcontainer]") {
    SECTION("every supported form passes") {
        auto a = analyze(R"({"image": "x", "containerEnv": {
            "A": "${localEnv:HOME}", "B": "${localEnv:HOME:/root}", "C": "${containerEnv:PATH}",
            "D": "${containerEnv:PATH:/bin}", "E": "${localWorkspaceFolder}", "F": "${containerWorkspaceFolder}",
            "G": "${localWorkspaceFolderBasename}", "H": "${containerWorkspaceFolderBasename}",
            "I": "${devcontainerId}", "J": "$HOME and ${env:USER} and $ {x}"}})");
        CHECK_FALSE(has(a, "InvalidVariable"));
    }
    SECTION("a misspelt name, with the exact range inside the string") {
        const std::string json = R"({"image": "x", "workspaceFolder": "/w/${localworkspaceFolderBasename}/src"})";
        const Diagnostic& d = only(analyze(json), "InvalidVariable");
        CHECK(d.severity == Severity::Warning);
        CHECK(show(d.range) == span(json, "${localworkspaceFolderBasename}"));
        CHECK(d.message == "Unknown variable \"${localworkspaceFolderBasename}\": did you mean "
                           "${localWorkspaceFolderBasename}?");
    }
    SECTION("an unknown name that looks like an environment variable") {
        const std::string json = R"({"image": "x", "containerEnv": {"P": "${HOME}/bin"}})";
        const Diagnostic& d = only(analyze(json), "InvalidVariable");
        CHECK(show(d.range) == span(json, "${HOME}"));
        CHECK(d.message.find("${localEnv:HOME}") != std::string::npos);
    }
    SECTION("unterminated") {
        const std::string json = R"({"image": "x", "remoteEnv": {"P": "a ${localEnv:HOME"}})";
        const Diagnostic& d = only(analyze(json), "InvalidVariable");
        CHECK(show(d.range) == span(json, "${localEnv:HOME"));
        CHECK(d.message.find("is not closed") != std::string::npos);
    }
    SECTION("wrong arguments") {
        const std::string json = R"({"image": "x", "containerEnv": {"A": "${localWorkspaceFolder:x}", "B": "${localEnv:}"}})";
        auto found = with_code(analyze(json), "InvalidVariable");
        REQUIRE(found.size() == 2);
        CHECK(found[0].message == "\"${localWorkspaceFolder:x}\": ${localWorkspaceFolder} takes no argument");
        CHECK(show(found[1].range) == span(json, "${localEnv:}"));
    }
    SECTION("escapes earlier in the string do not shift the range") {
        const std::string json = R"({"image": "x", "containerEnv": {"A": "q\"\u00e9\\ ${nope} ${localEnv:OK}"}})";
        const Diagnostic& d = only(analyze(json), "InvalidVariable");
        CHECK(show(d.range) == span(json, "${nope}"));
    }
    SECTION("shell commands and tool settings only report near-misses") {
        const std::string json = R"({"image": "x",
            "postCreateCommand": "echo ${HOME} ${PATH:-/bin} ${#ARR[@]}",
            "postStartCommand": {"a": ["sh", "-c", "echo ${USER}"]},
            "onCreateCommand": "echo ${localWorkspacefolder}",
            "customizations": {"vscode": {"settings": {"x": "${workspaceFolder}/${env:HOME}"}}}})";
        const Diagnostic& d = only(analyze(json), "InvalidVariable");
        CHECK(show(d.range) == span(json, "${localWorkspacefolder}"));
    }
}

TEST_CASE("devcontainer: columns count UTF-16 code units", "[devcontainer]") {
    // "Ünïcödé 😀" is 10 UTF-16 units but 16 bytes.
    const std::string json = "{\"name\": \"Ünïcödé 😀\", \"shutdownAction\": \"bad\",\n \"containerEnv\": {\"é\": \"😀${nope}\"}}";
    auto a = analyze(json);
    const Diagnostic& d = only(a, "InvalidEnumValue");
    // {"name": "Ünïcödé 😀", → the value's quote is at 9, its closing quote at 20, the comma at 21.
    CHECK(show(d.range) == "0:41-0:46");
    const Diagnostic& v = only(a, "InvalidVariable");
    CHECK(show(v.range) == "1:26-1:33");  // after {"é": "😀 — the emoji takes two units
    REQUIRE(a.config.name);
    CHECK(show(a.config.name->value_range) == "0:9-0:21");
}

// ---------------------------------------------------------------------------------------------
// The property table

TEST_CASE("devcontainer: the property table", "[devcontainer]") {
    const auto& table = devcontainer_properties();
    CHECK(table.size() >= 40);
    for (const PropertyInfo& p : table) {
        INFO(p.name);
        CHECK_FALSE(p.description.empty());
        CHECK_FALSE(p.type.empty());
    }
    const PropertyInfo* shutdown = find_property("shutdownAction");
    REQUIRE(shutdown);
    CHECK(shutdown->allowed_values == std::vector<std::string_view>{"none", "stopContainer", "stopCompose"});
    REQUIRE(find_property("build.dockerfile"));
    CHECK(find_property("build.dockerfile")->shape == ValueShape::String);
    REQUIRE(find_property("hostRequirements.gpu.cores"));
    REQUIRE(find_property("portsAttributes.3000.onAutoForward"));
    CHECK(find_property("portsAttributes.3000.onAutoForward")->allowed_values.size() == 6);
    CHECK(find_property("otherPortsAttributes.onAutoForward")->allowed_values.size() == 5);
    REQUIRE(find_property("mounts.0.type"));
    CHECK(find_property("dockerFile")->replaced_by == "build.dockerfile");
    CHECK(find_property("appPort")->deprecated());
    CHECK_FALSE(find_property("image")->deprecated());
    CHECK(find_property("nope") == nullptr);
    CHECK(find_property("build.nope") == nullptr);
    CHECK(find_property("image.x") == nullptr);
}

// ---------------------------------------------------------------------------------------------
// Realistic files

TEST_CASE("devcontainer: the corpus samples are clean", "[devcontainer]") {
    const fs::path corpus = fs::path(ENVBUILDER_SOURCE_DIR) / "tests" / "corpus" / "devcontainer";
    int checked = 0;
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
        if (entry.path().filename() != "devcontainer.json") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto a = analyze(content, entry.path());
        INFO(entry.path().string() << "\n" << all_messages(a));
        CHECK(a.diagnostics.empty());
        CHECK(a.config.image_source() != ImageSource::None);
        ++checked;
    }
    CHECK(checked == 4);
}

TEST_CASE("devcontainer: never throws", "[devcontainer]") {
    const fs::path sample = fs::path(ENVBUILDER_SOURCE_DIR) / "tests/corpus/devcontainer/node-image/devcontainer.json";
    std::ifstream in(sample, std::ios::binary);
    const std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_FALSE(original.empty());
    std::mt19937 rng(99);
    const std::string noise = "{}[],:\"\\$ ${}x1\n";
    for (int round = 0; round < 400; ++round) {
        std::string text = original;
        for (int edits = 1 + rng() % 4; edits > 0; --edits) {
            size_t at = rng() % text.size();
            if (rng() % 2) text.erase(at, 1 + rng() % 8);
            else text.insert(at, 1, noise[rng() % noise.size()]);
        }
        CHECK_NOTHROW(analyze(text, sample));
    }
    CHECK_NOTHROW(analyze(""));
    CHECK_NOTHROW(analyze("null"));
    CHECK_NOTHROW(analyze("{\"features\": {\"\": {}}, \"mounts\": [\"\"], \"forwardPorts\": [\":\"]}"));
    CHECK(has(analyze(""), "JsonSyntax"));
}

TEST_CASE("devcontainer: diagnostics come sorted by position", "[devcontainer]") {
    auto a = analyze("{\"zzz\": 1,\n \"image\": 5,\n \"name\": \"${x}\"}");
    REQUIRE(a.diagnostics.size() >= 3);
    for (size_t i = 1; i < a.diagnostics.size(); ++i)
        CHECK_FALSE(a.diagnostics[i].range.start < a.diagnostics[i - 1].range.start);
    for (const Diagnostic& d : a.diagnostics) CHECK(d.url == "https://containers.dev/implementors/json_reference/");
}
