// The install order of Dev Container Features, ours against the devcontainers CLI's
// (`devcontainer features resolve-dependencies`, npm @devcontainers/cli, run offline on local
// features): fixed shapes (chains, diamonds, soft dependencies, overrides, options, cycles) and
// random ones.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "features/install_order.h"
#include "features/local_feature.h"
#include "live_registry.h"
#include "skip.h"

using namespace envbuilder;
using namespace envbuilder::features;
using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

const fs::path kCli =
    fs::path(ENVBUILDER_SOURCE_DIR) / "node_modules/@devcontainers/cli/devcontainer.js";

struct Scenario {
    // folder name → devcontainer-feature.json
    std::vector<std::pair<std::string, Json>> features;
    Json config;  // devcontainer.json
};

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

fs::path lay_out(const Scenario& s, const std::string& name) {
    fs::path ws =
        fs::temp_directory_path() / ("envbuilder-order-" + std::to_string(::getpid())) / name;
    fs::remove_all(ws);
    for (const auto& [folder, meta] : s.features) {
        write(ws / ".devcontainer" / folder / "devcontainer-feature.json", meta.dump(2));
        write(ws / ".devcontainer" / folder / "install.sh", "#!/bin/sh\n");
    }
    write(ws / ".devcontainer/devcontainer.json", s.config.dump(2));
    return ws;
}

// The CLI's order as "id options" lines, or "error" when it finds none.
std::vector<std::string> cli_order(const fs::path& ws) {
    int status = 0;
    std::string out = testing::run("node " + kCli.string() +
                                       " features resolve-dependencies --workspace-folder " +
                                       ws.string() + " --log-level error 2>/dev/null",
                                   &status);
    if (status != 0) return {"error"};
    size_t start = out.find("\n{");
    REQUIRE(start != std::string::npos);
    Json result = Json::parse(out.substr(start + 1));
    std::vector<std::string> order;
    for (const auto& f : result["installOrder"])
        order.push_back(f["id"].get<std::string>() + " " + f["options"].dump());
    return order;
}

std::vector<std::string> our_order(const fs::path& ws, const Json& config) {
    std::vector<UserFeature> features;
    for (const auto& [id, options] : config["features"].items()) features.push_back({id, options});
    std::vector<std::string> overrides;
    if (config.contains("overrideFeatureInstallOrder"))
        for (const auto& id : config["overrideFeatureInstallOrder"])
            overrides.push_back(id.get<std::string>());
    FeatureResolver resolve = [](const FeatureRef& ref) { return read_feature_folder(ref.folder); };
    try {
        auto plan = plan_install_order(features, overrides, ws / ".devcontainer", resolve);
        std::vector<std::string> order;
        for (const auto& f : plan.order)
            order.push_back(f.ref.user_id + " " +
                            (f.options.is_object() ? f.options : Json::object()).dump());
        return order;
    } catch (const std::runtime_error&) {
        return {"error"};
    }
}

Json feature(const std::string& id, Json extra = Json::object()) {
    Json meta = {{"id", id}, {"version", "1.0.0"}, {"name", id}};
    for (const auto& [k, v] : extra.items()) meta[k] = v;
    return meta;
}

// Returns whether an order was found (false: both found a cycle).
bool check_same_order(const Scenario& s, const std::string& name) {
    fs::path ws = lay_out(s, name);
    INFO("scenario " << name << ": " << s.config.dump());
    for (const auto& [folder, meta] : s.features) INFO(folder << ": " << meta.dump());
    auto theirs = cli_order(ws);
    auto ours = our_order(ws, s.config);
    CHECK(ours == theirs);
    fs::remove_all(ws);
    return theirs != std::vector<std::string>{"error"};
}

#define SKIP_WITHOUT_CLI()                                \
    if (!fs::exists(kCli) || !testing::have_tool("node")) \
    SKIP_TEST("needs node and npm @devcontainers/cli (npm ci)")

}  // namespace

TEST_CASE("feature order agrees with the devcontainers CLI on fixed shapes",
          "[features][cli_oracle]") {
    SKIP_WITHOUT_CLI();
    const Json empty = Json::object();
    Scenario chain{{{"a", feature("a", {{"dependsOn", {{"./b", empty}}}})},
                    {"b", feature("b", {{"dependsOn", {{"./c", empty}}}})},
                    {"c", feature("c")}},
                   {{"image", "busybox"}, {"features", {{"./a", empty}}}}};
    check_same_order(chain, "chain");

    Scenario diamond{{{"a", feature("a", {{"dependsOn", {{"./d", empty}}}})},
                      {"b", feature("b", {{"dependsOn", {{"./d", empty}}}})},
                      {"c", feature("c", {{"dependsOn", {{"./a", empty}}}})},
                      {"d", feature("d")}},
                     {{"image", "busybox"}, {"features", {{"./c", empty}, {"./b", empty}}}}};
    check_same_order(diamond, "diamond");

    Json option = {{"options", {{"v", {{"type", "string"}, {"default", "x"}}}}}};
    Scenario soft{{{"a", feature("a", {{"dependsOn", {{"./b", empty}}}})},
                   {"b", feature("b", {{"installsAfter", {"./c", "./absent"}}})},
                   {"c", feature("c", option)}},
                  {{"image", "busybox"}, {"features", {{"./a", empty}, {"./c", {{"v", "y"}}}}}}};
    check_same_order(soft, "soft");

    Scenario overrides{{{"x", feature("x", {{"dependsOn", {{"./w", empty}}}})},
                        {"y", feature("y")},
                        {"z", feature("z")},
                        {"w", feature("w")}},
                       {{"image", "busybox"},
                        {"features", {{"./x", empty}, {"./y", empty}, {"./z", empty}}},
                        {"overrideFeatureInstallOrder", {"./z", "./x"}}}};
    check_same_order(overrides, "overrides");

    Scenario options{{{"a", feature("a", {{"dependsOn", {{"./c", {{"v", "1"}}}}}})},
                      {"c", feature("c", option)}},
                     {{"image", "busybox"}, {"features", {{"./a", empty}, {"./c", {{"v", "2"}}}}}}};
    check_same_order(options, "options");

    Scenario cycle{{{"a", feature("a", {{"dependsOn", {{"./b", empty}}}})},
                    {"b", feature("b", {{"installsAfter", {"./a"}}})}},
                   {{"image", "busybox"}, {"features", {{"./a", empty}}}}};
    check_same_order(cycle, "cycle");
}

TEST_CASE("feature order agrees with the devcontainers CLI on random graphs",
          "[features][cli_oracle]") {
    SKIP_WITHOUT_CLI();
    std::mt19937 random(20261202);
    auto chance = [&](int percent) { return static_cast<int>(random() % 100) < percent; };
    const std::vector<std::string> names = {"alpha", "beta", "gamma", "delta", "eps", "zeta"};
    const std::vector<std::string> values = {"1", "2", "x"};
    int ordered = 0, cycles = 0;
    for (int round = 0; round < 24; ++round) {
        const size_t count = 3 + random() % 4;
        Scenario s;
        s.config = {{"image", "busybox"}, {"features", Json::object()}};
        for (size_t i = 0; i < count; ++i) {
            Json extra = Json::object();
            if (chance(60))
                extra["options"] = {{"v", {{"type", "string"}, {"default", values[random() % 3]}}}};
            // Mostly edges to later features (acyclic); now and then one back, which may close a
            // cycle.
            for (size_t j = 0; j < count; ++j) {
                if (j == i || (j < i && !chance(8))) continue;
                if (chance(25)) {
                    Json opts = Json::object();
                    if (chance(40)) opts["v"] = values[random() % 3];
                    extra["dependsOn"]["./" + names[j]] = opts;
                } else if (chance(20)) {
                    extra["installsAfter"].push_back("./" + names[j]);
                }
            }
            s.features.push_back({names[i], feature(names[i], extra)});
            if (chance(70)) {
                Json opts = Json::object();
                if (chance(30)) opts["v"] = values[random() % 3];
                s.config["features"]["./" + names[i]] = opts;
            }
        }
        if (s.config["features"].empty()) s.config["features"]["./" + names[0]] = Json::object();
        if (chance(35)) {
            Json order = Json::array();
            for (size_t i = 0; i < count; ++i)
                if (chance(40)) order.push_back("./" + names[i]);
            s.config["overrideFeatureInstallOrder"] = order;
        }
        (check_same_order(s, "random-" + std::to_string(round)) ? ordered : cycles)++;
    }
    // The seed gives both outcomes, so both paths were compared.
    CHECK(ordered >= 12);
    CHECK(cycles >= 1);
}
