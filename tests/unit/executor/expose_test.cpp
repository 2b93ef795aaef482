#include <catch2/catch.hpp>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;

TEST_CASE("EXPOSE adds tcp by default, lower-cases the protocol, sorts the history",
          "[executor][expose]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    Step step = apply(ctx, s, "EXPOSE 8080 53/UDP 443/tcp");
    const auto& ports = *config(s).exposed_ports;
    CHECK(ports.size() == 3);
    CHECK(ports.count("8080/tcp"));
    CHECK(ports.count("53/udp"));
    CHECK(ports.count("443/tcp"));
    CHECK(ports.at("8080/tcp") == nlohmann::json::object());
    CHECK(step.created_by == "EXPOSE map[443/tcp:{} 53/udp:{} 8080/tcp:{}]");
}
