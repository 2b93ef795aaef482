// What the devcontainer editor features know (engine/language/devcontainer/catalog.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "language/devcontainer/catalog.h"

using namespace envbuilder::language::devcontainer_editor;

namespace {

bool holds(const std::vector<PropertyInfo>* table, std::string_view name) {
    return table && std::any_of(table->begin(), table->end(),
                                [&](const PropertyInfo& p) { return p.name == name; });
}

}  // namespace

TEST_CASE("devcontainer catalog: paths lead through the property tree", "[devcontainer-features]") {
    CHECK(holds(members_at({}), "image"));
    CHECK(holds(members_at({"build"}), "dockerfile"));
    CHECK_FALSE(holds(members_at({"build"}), "image"));
    // Map keys and array items are skipped: any port's attributes, any mount's fields.
    CHECK(members_at({"portsAttributes"}) == nullptr);
    CHECK(holds(members_at({"portsAttributes", "^python .*"}), "onAutoForward"));
    CHECK(holds(members_at({"mounts", "*"}), "target"));
    CHECK(members_at({"nosuchproperty"}) == nullptr);

    const PropertyInfo* dockerfile = property_at({"build"}, "dockerfile");
    REQUIRE(dockerfile);
    CHECK(dockerfile->name == "dockerfile");
    CHECK(property_at({"build"}, "nope") == nullptr);
}

TEST_CASE("devcontainer catalog: variables and well-known features", "[devcontainer-features]") {
    const auto& vars = variables();
    auto local_env = std::find_if(vars.begin(), vars.end(),
                                  [](const VariableInfo& v) { return v.name == "localEnv"; });
    REQUIRE(local_env != vars.end());
    CHECK(local_env->takes_name);
    auto id = std::find_if(vars.begin(), vars.end(),
                           [](const VariableInfo& v) { return v.name == "devcontainerId"; });
    REQUIRE(id != vars.end());
    CHECK_FALSE(id->takes_name);

    REQUIRE_FALSE(well_known_features().empty());
    for (const FeatureInfo& f : well_known_features()) {
        std::string feature = feature_id(f);
        INFO(feature);
        CHECK(feature.rfind("ghcr.io/devcontainers/features/", 0) == 0);
        CHECK(envbuilder::devcontainer::classify_feature_id(feature) ==
              envbuilder::devcontainer::FeatureIdKind::Oci);
    }
}
