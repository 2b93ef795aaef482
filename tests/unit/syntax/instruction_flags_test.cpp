#include <catch2/catch.hpp>

#include "syntax/instruction_flags.h"

using namespace envbuilder::dockerfile;

TEST_CASE("one flag table: what each instruction takes, and of which type", "[syntax][flags]") {
    CHECK(find_flag(InstructionKind::Copy, "chmod")->type == FlagType::String);
    CHECK(find_flag(InstructionKind::Copy, "exclude")->type == FlagType::Strings);
    CHECK(find_flag(InstructionKind::Add, "keep-git-dir")->type == FlagType::Bool);
    CHECK(!find_flag(InstructionKind::Copy, "checksum"));
    CHECK(!find_flag(InstructionKind::Add, "from"));
    CHECK(find_flag(InstructionKind::Run, "mount")->type == FlagType::Strings);
    CHECK(find_flag(InstructionKind::Healthcheck, "start-interval"));
    CHECK(accepted_flags(InstructionKind::Env).empty());
    CHECK(accepted_flags(InstructionKind::From).size() == 1);
}
