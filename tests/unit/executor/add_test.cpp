#include <catch2/catch.hpp>

#include <fstream>

#include "fake_stage_context.h"

using namespace envbuilder::executor;
using namespace envbuilder::executor::testing;
namespace fs = std::filesystem;

TEST_CASE("ADD's flags: --checksum only for URLs, --keep-git-dir only for git, --unpack=false",
          "[executor][add]") {
    FakeStageContext ctx;
    StageState s = empty_stage();
    const fs::path dir = ctx.scratch_path("add-test-");
    fs::create_directories(dir / "context");
    std::ofstream(dir / "context" / "notes.txt") << "x";
    ctx.build_request.context = dir / "context";
    std::vector<ParsedInstruction> kept;
    auto plan = [&](const std::string& line) {
        kept.push_back(parse_instruction(line));
        return handler_for(kept.back().ins().kind)(ctx, s, kept.back().ins());
    };
    CHECK_THROWS_WITH(plan("ADD --checksum=sha256:" + std::string(64, 'a') + " notes.txt /"),
                      Catch::Contains("only for URL sources"));
    CHECK_THROWS_WITH(plan("ADD --keep-git-dir notes.txt /"),
                      Catch::Contains("only for git sources"));
    CHECK_THROWS_WITH(plan("ADD ftp://example.com/x /"), Catch::Contains("unsupported source URL"));
    Step step = plan("ADD notes.txt /srv/");
    CHECK(step.created_by == "ADD notes.txt /srv/ # buildkit");
    CHECK(step.definition.rfind("ADD ", 0) == 0);
    CHECK(plan("ADD --unpack=false notes.txt /srv/").change_root);
    fs::remove_all(dir);
}
