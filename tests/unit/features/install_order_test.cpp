#include <catch2/catch.hpp>

#include <map>

#include "features/install_order.h"

using namespace envbuilder::features;
using Json = nlohmann::ordered_json;

namespace {

// Local features described by their devcontainer-feature.json, keyed by folder name.
class FakeFeatures {
  public:
    void add(const std::string& name, const std::string& json) { metadata_[name] = json; }

    FeatureResolver resolver() {
        return [this](const FeatureRef& ref) {
            ++fetches[ref.folder.filename().string()];
            auto found = metadata_.find(ref.folder.filename().string());
            if (found == metadata_.end()) throw std::runtime_error("no feature " + ref.user_id);
            auto parsed = parse_feature_metadata(found->second);
            REQUIRE(parsed.metadata);
            auto resolved = std::make_shared<ResolvedFeature>();
            resolved->metadata = *parsed.metadata;
            return std::shared_ptr<const ResolvedFeature>(resolved);
        };
    }

    std::vector<std::string> order(const std::vector<UserFeature>& features,
                                   const std::vector<std::string>& overrides = {}) {
        auto resolve = resolver();
        auto plan = plan_install_order(features, overrides, "/ws/.devcontainer", resolve);
        std::vector<std::string> ids;
        for (const auto& f : plan.order)
            ids.push_back(f.ref.user_id + (f.options.empty() ? "" : f.options.dump()));
        notes = plan.notes;
        return ids;
    }

    std::map<std::string, int> fetches;
    std::vector<std::string> notes;

  private:
    std::map<std::string, std::string> metadata_;
};

std::string feature(const std::string& id, const std::string& extra = "") {
    return R"({"id":")" + id + R"(","version":"1.0.0")" + (extra.empty() ? "" : "," + extra) + "}";
}

}  // namespace

TEST_CASE("install order: dependsOn comes first, breadth first, each feature once",
          "[features][install_order]") {
    FakeFeatures f;
    f.add("a", feature("a", R"("dependsOn":{"./d":{}})"));
    f.add("b", feature("b", R"("dependsOn":{"./d":{}})"));
    f.add("c", feature("c", R"("dependsOn":{"./a":{}})"));
    f.add("d", feature("d"));
    // The devcontainers CLI gives ./d, ./a, ./b, ./c for this diamond.
    CHECK(f.order({{"./c", Json::object()}, {"./b", Json::object()}}) ==
          std::vector<std::string>{"./d", "./a", "./b", "./c"});
    CHECK(f.fetches["d"] == 1);
}

TEST_CASE("install order: installsAfter orders only features in the build",
          "[features][install_order]") {
    FakeFeatures f;
    f.add("a", feature("a", R"("dependsOn":{"./b":{}})"));
    f.add("b", feature("b", R"("installsAfter":["./c", "./absent"])"));
    f.add("c", feature("c", R"("options":{"v":{"type":"string","default":"x"}})"));
    CHECK(f.order({{"./a", Json::object()}, {"./c", Json::parse(R"({"v":"y"})")}}) ==
          std::vector<std::string>{R"(./c{"v":"y"})", "./b", "./a"});
}

TEST_CASE("install order: overrideFeatureInstallOrder raises priority, first entry highest",
          "[features][install_order]") {
    FakeFeatures f;
    for (auto name : {"x", "y", "z"}) f.add(name, feature(name));
    CHECK(f.order({{"./x", Json::object()}, {"./y", Json::object()}, {"./z", Json::object()}}) ==
          std::vector<std::string>{"./x", "./y", "./z"});
    CHECK(f.order({{"./x", Json::object()}, {"./y", Json::object()}, {"./z", Json::object()}},
                  {"./z", "./y"}) == std::vector<std::string>{"./z", "./y", "./x"});
    f.order({{"./x", Json::object()}}, {"./nothing"});
    REQUIRE(f.notes.size() == 1);
    CHECK_THAT(f.notes[0], Catch::Contains("\"./nothing\""));
}

TEST_CASE("install order: the same feature with other options installs again",
          "[features][install_order]") {
    FakeFeatures f;
    f.add("a", feature("a", R"("dependsOn":{"./c":{"v":"1"}})"));
    f.add("c", feature("c", R"("options":{"v":{"type":"string","default":"0"}})"));
    auto order = f.order({{"./a", Json::object()}, {"./c", Json::parse(R"({"v":"2"})")}});
    CHECK(order == std::vector<std::string>{R"(./c{"v":"1"})", R"(./c{"v":"2"})", "./a"});
}

TEST_CASE("install order: a cycle is an error naming it", "[features][install_order]") {
    FakeFeatures f;
    f.add("a", feature("a", R"("dependsOn":{"./b":{}})"));
    f.add("b", feature("b", R"("dependsOn":{"./c":{}})"));
    f.add("c", feature("c", R"("installsAfter":["./a"])"));
    try {
        f.order({{"./a", Json::object()}});
        FAIL("no error");
    } catch (const std::runtime_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("cycle (./a → ./b → ./c → ./a)"));
    }
}

TEST_CASE("install order: unreadable ids and features fail naming them",
          "[features][install_order]") {
    FakeFeatures f;
    f.add("a", feature("a", R"("dependsOn":{"node":{}})"));
    CHECK_THROWS_WITH(f.order({{"./a", Json::object()}}), Catch::Contains("named by feature ./a"));
    CHECK_THROWS_WITH(f.order({{"./missing", Json::object()}}),
                      Catch::Contains("no feature ./missing"));
    f.add("plain", feature("plain"));
    CHECK_THROWS_WITH(f.order({{"./plain", Json::object()}}, {"not a feature"}),
                      Catch::Contains("overrideFeatureInstallOrder"));
}
