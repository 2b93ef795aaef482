// Drives the real `envbuilder lint` binary: output formats, exit codes, bad paths.
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {
struct Result {
    int status;
    std::string out;
};

Result run(const std::string& args) {
    std::string cmd = std::string(ENVBUILDER_BINARY) + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

fs::path temp_dir() {
    auto dir = fs::temp_directory_path() / ("eb-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    return dir;
}
}  // namespace

TEST_CASE("lint text output and exit codes", "[cli]") {
    auto dir = temp_dir();
    std::ofstream(dir / "Dockerfile") << "FROM alpine as build\nRUN make\n";
    std::ofstream(dir / "bad.Dockerfile") << "FROM alpine\nRUNN make\n";
    auto warn = run("lint " + (dir / "Dockerfile").string());
    CHECK(warn.status == 0);
    CHECK(warn.out ==
          (dir / "Dockerfile").string() +
              ":1:13: warning: 'as' and 'FROM' keywords' casing do not match [FromAsCasing]\n");
    auto err = run("lint " + (dir / "bad.Dockerfile").string());
    CHECK(err.status == 1);
    CHECK(err.out.find(":2:1: error: unknown instruction 'RUNN'") != std::string::npos);
    CHECK(run("lint " + (dir / "missing").string()).status == 2);
    CHECK(run("lint --format yaml " + (dir / "Dockerfile").string()).status == 2);
    CHECK(run("lint").status == 2);
    fs::remove_all(dir);
}

TEST_CASE("lint json output uses LSP positions", "[cli]") {
    auto dir = temp_dir();
    std::ofstream(dir / "Dockerfile") << "FROM alpine AS Build\n";
    auto r = run("lint --format json " + (dir / "Dockerfile").string());
    CHECK(r.status == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 1);
    CHECK(j[0]["code"] == "StageNameCasing");
    CHECK(j[0]["severity"] == "warning");
    CHECK(j[0]["range"]["start"]["line"] == 0);
    CHECK(j[0]["range"]["start"]["character"] == 15);
    CHECK(j[0]["range"]["end"]["character"] == 20);
    CHECK(j[0]["file"] == (dir / "Dockerfile").string());
    fs::remove_all(dir);
}

TEST_CASE("lint sarif output has the fields code scanning requires", "[cli]") {
    auto dir = temp_dir();
    std::ofstream(dir / "Dockerfile") << "FROM alpine AS Build\nRUNN x\n";
    auto r = run("lint --format=sarif " + (dir / "Dockerfile").string());
    CHECK(r.status == 1);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["version"] == "2.1.0");
    auto& run0 = j["runs"][0];
    CHECK(run0["tool"]["driver"]["name"] == "envbuilder");
    REQUIRE(run0["results"].size() == 2);
    for (auto& result : run0["results"]) {
        CHECK(result["message"]["text"].is_string());
        auto& region = result["locations"][0]["physicalLocation"]["region"];
        CHECK(region["startLine"].get<int>() >= 1);
        CHECK(region["startColumn"].get<int>() >= 1);
        size_t index = result["ruleIndex"];
        CHECK(run0["tool"]["driver"]["rules"][index]["id"] == result["ruleId"]);
    }
    fs::remove_all(dir);
}

TEST_CASE("lint json and sarif of a Latin-1 Dockerfile: valid UTF-8, 0xE9 as U+FFFD",
          "[cli][utf8]") {
    auto dir = temp_dir();
    // Latin-1 in a comment, a stage name quoted by StageNameCasing, an unknown instruction.
    std::ofstream(dir / "Dockerfile", std::ios::binary)
        << "# caf\xe9\nFROM alpine AS Caf\xe9\nRUNN caf\xe9\n";
    for (const char* format : {"json", "sarif"}) {
        INFO(format);
        auto r = run(std::string("lint --format ") + format + " " + (dir / "Dockerfile").string());
        CHECK(r.status == 1);  // RUNN is an error; before, the process aborted on type_error.316
        nlohmann::json j = nlohmann::json::parse(r.out);  // refuses ill-formed UTF-8
        CHECK(r.out.find("\xEF\xBF\xBD") != std::string::npos);
        CHECK(!j.empty());
    }
    fs::remove_all(dir);
}

TEST_CASE("lint a workspace directory follows devcontainer.json to its Dockerfile", "[cli]") {
    auto dir = temp_dir();
    fs::create_directories(dir / ".devcontainer");
    std::ofstream(dir / ".devcontainer/devcontainer.json")
        << "{\n  // comment\n  \"build\": { \"dockerfile\": \"Dockerfile\", \"args\": { \"V\": "
           "\"1\" } }\n}\n";
    std::ofstream(dir / ".devcontainer/Dockerfile") << "FROM alpine AS Dev\n";
    auto r = run("lint --format json " + dir.string());
    auto j = nlohmann::json::parse(r.out);
    bool saw_dockerfile = false;
    for (auto& d : j)
        if (d["code"] == "StageNameCasing") saw_dockerfile = true;
    CHECK(saw_dockerfile);
    CHECK(r.status == 0);
    fs::remove_all(dir);
}

TEST_CASE("lint a workspace directory finds the configs find_configs finds, and no others",
          "[cli]") {
    auto dir = temp_dir();
    fs::create_directories(dir / ".devcontainer/python");
    fs::create_directories(dir / ".devcontainer/a/b");
    const char* config = "{ \"image\": \"alpine\", \"nosuchproperty\": 1 }\n";  // one finding each
    for (const char* relative :
         {".devcontainer/devcontainer.json", ".devcontainer/python/devcontainer.json",
          ".devcontainer/a/b/devcontainer.json", "devcontainer.json"})
        std::ofstream(dir / relative) << config;
    std::set<std::string> files;
    for (auto& d : nlohmann::json::parse(run("lint --format json " + dir.string()).out))
        files.insert(fs::path(d["file"].get<std::string>()).lexically_relative(dir).string());
    CHECK(files == std::set<std::string>{".devcontainer/devcontainer.json",
                                         ".devcontainer/python/devcontainer.json"});

    // The .devcontainer folder itself means the config in it.
    files.clear();
    for (auto& d :
         nlohmann::json::parse(run("lint --format json " + (dir / ".devcontainer").string()).out))
        files.insert(fs::path(d["file"].get<std::string>()).lexically_relative(dir).string());
    CHECK(files.count(".devcontainer/devcontainer.json") == 1);
    fs::remove_all(dir);
}

TEST_CASE("lint checks a local feature's options against its devcontainer-feature.json", "[cli]") {
    auto dir = temp_dir() / "local-feature";
    fs::create_directories(dir / ".devcontainer/tool");
    std::ofstream(dir / ".devcontainer/tool/devcontainer-feature.json")
        << R"({"id":"tool","version":"1.0.0","options":{"mode":{"type":"string","enum":["a","b"]}}})";
    std::ofstream(dir / ".devcontainer/tool/install.sh") << "#!/bin/sh\n";
    std::ofstream(dir / ".devcontainer/devcontainer.json")
        << "{\n  \"image\": \"debian\",\n  \"features\": {\"./tool\": {\"mode\": \"z\"}},\n}\n";
    auto r = run("lint " + dir.string());
    CHECK(r.status == 1);  // the option is an error; the trailing comma only a warning
    CHECK(r.out.find("devcontainer.json:3:26: error: option \"mode\" of feature ./tool must be "
                     "one of \"a\", \"b\", not \"z\" [InvalidFeatureOption]") != std::string::npos);
    CHECK(r.out.find("warning: Trailing comma") != std::string::npos);
    fs::remove_all(dir);
}
