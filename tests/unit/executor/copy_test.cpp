#include <catch2/catch.hpp>

#include <fstream>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;
namespace fs = std::filesystem;

namespace {

struct CopyFixture {
    FakeStageContext ctx;
    StageState s = empty_stage();
    fs::path dir = ctx.scratch_path("copy-test-");
    CopyFixture() {
        fs::create_directories(dir / "context");
        fs::create_directories(dir / "root");
        std::ofstream(dir / "context" / "tool.sh") << "#!/bin/sh\n";
        fs::permissions(dir / "context" / "tool.sh", fs::perms(0644));
        ctx.build_request.context = dir / "context";
        s.root = dir / "root";
    }
    ~CopyFixture() { fs::remove_all(dir); }
    Step plan(const std::string& line) {
        parsed.push_back(parse_instruction(line));
        return handler_for(parsed.back().ins().kind)(ctx, s, parsed.back().ins());
    }
    std::vector<ParsedInstruction> parsed;  // the steps' instructions stay alive
};

}  // namespace

TEST_CASE("COPY --chmod takes the symbolic form lint accepts", "[executor][copy]") {
    CopyFixture f;
    Step step = f.plan("COPY --chmod=u+x,go-r tool.sh /usr/local/bin/");
    REQUIRE(step.change_root);
    CHECK(step.definition.find("chmod=u+x,go-r") != std::string::npos);
    step.change_root();
    const auto mode = fs::status(f.dir / "root/usr/local/bin/tool.sh").permissions();
    CHECK((static_cast<unsigned>(mode) & 07777) == 0700);
    CHECK(f.plan("COPY --chmod=755 tool.sh /bin/").definition.find("chmod=493") !=
          std::string::npos);
}

TEST_CASE("COPY refuses flags its table does not declare, and ADD-only sources",
          "[executor][copy]") {
    CopyFixture f;
    CHECK_THROWS_WITH(f.plan("COPY --checksum=sha256:00 tool.sh /"),
                      Catch::Contains("unknown flag --checksum"));
    CHECK_THROWS_WITH(f.plan("COPY --chmod=abc tool.sh /"),
                      Catch::Contains("octal mode up to 07777"));
    CHECK_THROWS_WITH(f.plan("COPY https://example.com/x /"), Catch::Contains("use ADD"));
    CHECK_THROWS_WITH(f.plan("COPY tool.sh"),
                      Catch::Contains("needs at least one source and a destination"));
    CHECK_THROWS_WITH(f.plan("ADD --from=build tool.sh /"), Catch::Contains("unknown flag --from"));
    CHECK_THROWS_WITH(f.plan("COPY --link=maybe tool.sh /"),
                      Catch::Contains("--link takes true or false, not 'maybe'"));
}

TEST_CASE("COPY reads its expanded flags with lint's parsers", "[executor][copy]") {
    CopyFixture f;
    f.s.args = {{"MODE", "0640"}, {"BAD", "u+q"}, {"OWNER", "12:34"}};
    Step step = f.plan("COPY --chmod=$MODE --chown=$OWNER tool.sh /bin/");
    CHECK(step.definition.find("chmod=416") != std::string::npos);
    CHECK(step.definition.find("chown=12:34") != std::string::npos);
    CHECK_THROWS_WITH(f.plan("COPY --chmod=$BAD tool.sh /"), Catch::Contains("u+q"));
}

TEST_CASE("COPY --link makes a layer of its own, keyed on nothing of the stage",
          "[executor][copy]") {
    CopyFixture f;
    f.s.cache_key = "parent";
    Step step = f.plan("COPY --link tool.sh /opt/");
    CHECK(!step.change_root);
    REQUIRE(step.fill_layer);
    CHECK(step.link_parent_key.empty());
    const fs::path layer = f.dir / "layer";
    fs::create_directories(layer);
    step.fill_layer(layer);
    CHECK(fs::is_regular_file(layer / "opt/tool.sh"));
    CHECK(f.plan("COPY --link --chown=app tool.sh /opt/").link_parent_key == "parent");
}
