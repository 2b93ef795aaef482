#include <catch2/catch.hpp>

#include "command_test_support.h"
#include "syntax/commands/stopsignal_command.h"

using namespace envbuilder::dockerfile;
using namespace envbuilder::dockerfile::testing;

TEST_CASE("STOPSIGNAL: the argument kept as written, read by name or number",
          "[syntax][commands][stopsignal]") {
    auto command = parse_stopsignal_command(parse_line("STOPSIGNAL $SIG").ins());
    CHECK(command.ok());
    CHECK(command.value.signal.text == "$SIG");
    CHECK(command.value.signal.range == columns(11, 15));
    for (std::string ok : {"SIGTERM", "sigquit", "9", "+15", "RTMIN+3", "SIGRTMAX-14", "WINCH"})
        CHECK(parse_stop_signal(command.value.signal, ok).ok());
    auto typo = parse_stop_signal(command.value.signal, "SIGTREM");
    REQUIRE(typo.errors.size() == 1);
    CHECK(typo.errors[0].range == command.value.signal.range);
    CHECK(typo.errors[0].suggestion == "SIGTERM");
    CHECK(typo.errors[0].message ==
          "unknown signal 'SIGTREM' (did you mean SIGTERM?); expected a name such as SIGTERM or "
          "SIGQUIT, or a number 1-64");
    for (std::string bad : {"0", "65", "100", "RTMIN+16", "RTMAX-0"})
        CHECK(!parse_stop_signal(command.value.signal, bad).ok());
}
