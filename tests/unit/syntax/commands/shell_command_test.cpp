#include <catch2/catch.hpp>

#include "command_test_support.h"
#include "syntax/commands/shell_command.h"

using namespace envbuilder::dockerfile;
using namespace envbuilder::dockerfile::testing;

TEST_CASE("SHELL: the JSON form only, naming a program", "[syntax][commands][shell]") {
    auto shell = parse_shell_command(parse_line(R"(SHELL ["/bin/bash", "-c"])").ins());
    CHECK(shell.ok());
    CHECK(shell.value.shell == std::vector<std::string>{"/bin/bash", "-c"});

    auto words = parse_shell_command(parse_line("SHELL /bin/bash -c").ins());
    REQUIRE(words.errors.size() == 1);
    CHECK(words.errors[0].range == columns(6, 18));
    CHECK(words.errors[0].message ==
          "SHELL must be a JSON array of strings, e.g. SHELL [\"/bin/bash\", \"-c\"]");
    auto broken = parse_shell_command(parse_line("SHELL ['/bin/bash']").ins());
    REQUIRE(broken.errors.size() == 1);
    CHECK_THAT(broken.errors[0].message, Catch::EndsWith("looks like one but is not valid JSON"));
    auto empty = parse_shell_command(parse_line("SHELL []").ins());
    REQUIRE(empty.errors.size() == 1);
    CHECK_THAT(empty.errors[0].message, Catch::StartsWith("SHELL [] names no shell"));
}
