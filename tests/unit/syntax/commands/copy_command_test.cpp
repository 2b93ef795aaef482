#include <catch2/catch.hpp>

#include "command_test_support.h"
#include "syntax/commands/copy_command.h"

using namespace envbuilder::dockerfile;
using namespace envbuilder::dockerfile::testing;
using Kind = CommandError::Kind;

TEST_CASE("COPY: flags typed, the expanded ones kept as written", "[syntax][commands][copy]") {
    auto line = parse_line(
        "COPY --from=build --chown=$USER:staff --chmod=0755 --link --parents=false "
        "--exclude=*.md --exclude=tmp a b /dst/");
    auto copy = parse_copy_command(line.ins());
    CHECK(copy.ok());
    CHECK(!copy.value.is_add);
    REQUIRE(copy.value.from);
    CHECK(copy.value.from->text == "build");
    CHECK(copy.value.from->range == columns(12, 17));
    REQUIRE(copy.value.chown);
    CHECK(copy.value.chown->text == "$USER:staff");
    REQUIRE(copy.value.chmod);
    CHECK(copy.value.chmod->text == "0755");
    CHECK(copy.value.link);
    CHECK(!copy.value.parents);
    REQUIRE(copy.value.excludes.size() == 2);
    CHECK(copy.value.excludes[1].text == "tmp");
    REQUIRE(copy.value.words.size() == 3);
    CHECK(copy.value.words.back().text == "/dst/");
    CHECK(!copy.value.exec_form);
}

TEST_CASE("ADD: its own flags; COPY's --from is unknown to it", "[syntax][commands][copy]") {
    auto add = parse_copy_command(
        parse_line("ADD --checksum=sha256:" + std::string(64, 'a') +
                   " --keep-git-dir --unpack=false --from=x https://example.com/a /a")
            .ins());
    CHECK(add.value.is_add);
    CHECK(add.value.keep_git_dir);
    CHECK(add.value.unpack == false);
    REQUIRE(add.value.checksum);
    REQUIRE(add.errors.size() == 1);
    CHECK(add.errors[0].kind == Kind::unknown_flag);
    CHECK(add.errors[0].message == "unknown flag --from");
}

TEST_CASE("COPY/ADD: bad values with their ranges; variables left for after expansion",
          "[syntax][commands][copy]") {
    auto copy = parse_copy_command(
        parse_line("COPY --chmod=abc --link=maybe --from=-x --chmod=$MODE a /").ins());
    REQUIRE(copy.errors.size() == 4);
    CHECK(copy.errors[0].flag == "chmod");
    CHECK(copy.errors[0].range == columns(13, 16));
    CHECK_THAT(copy.errors[0].message, Catch::Contains("octal mode up to 07777"));
    CHECK(copy.errors[1].message == "--link takes true or false, not 'maybe'");
    CHECK(copy.errors[1].range == columns(24, 29));
    CHECK_THAT(copy.errors[2].message, Catch::StartsWith("--from takes a stage name"));
    // The second --chmod is a duplicate (its value, a variable, is not read here).
    CHECK(copy.errors[3].kind == Kind::duplicate_flag);

    auto add = parse_copy_command(parse_line("ADD --checksum=md5:abc --link= x /").ins());
    REQUIRE(add.errors.size() == 2);
    CHECK_THAT(add.errors[0].message, Catch::StartsWith("--checksum takes sha256:<64 hex>"));
    CHECK(add.errors[1].kind == Kind::missing_value);
}

TEST_CASE("COPY/ADD: the expanded values go through the same parsers", "[syntax][commands][copy]") {
    auto line = parse_line("COPY --chmod=$MODE --chown=$OWNER --from=$STAGE a /");
    auto copy = parse_copy_command(line.ins());
    CHECK(copy.ok());
    const std::string mode = "u+x", bad_mode = "u+q";
    auto chmod = parse_chmod(*copy.value.chmod, &mode);
    CHECK(chmod.ok());
    REQUIRE(chmod.value);
    CHECK(!chmod.value->is_octal());
    auto wrong = parse_chmod(*copy.value.chmod, &bad_mode);
    REQUIRE(wrong.errors.size() == 1);
    CHECK(wrong.errors[0].range == copy.value.chmod->range);
    CHECK(wrong.errors[0].value == "u+q");
    CHECK(!parse_chmod(*copy.value.chmod).value);  // unexpanded: nothing to say yet

    const std::string by_name = "app:staff", by_number = "1000:", stage = "0";
    auto named = parse_chown(*copy.value.chown, &by_name);
    CHECK(named.value.user == "app");
    CHECK(named.value.group == "staff");
    CHECK(named.value.names_an_owner());
    CHECK(!parse_chown(*copy.value.chown, &by_number).value.names_an_owner());
    CHECK(parse_copy_from(*copy.value.from, &stage).value == "0");
    const std::string empty;
    CHECK(!parse_copy_from(*copy.value.from, &empty).ok());
}

TEST_CASE("COPY: exec form and heredocs", "[syntax][commands][copy]") {
    auto exec = parse_copy_command(parse_line("COPY [\"a b\", \"/dst\"]").ins());
    CHECK(exec.value.exec_form);
    REQUIRE(exec.value.words.size() == 2);
    CHECK(exec.value.words[0].text == "a b");
    auto heredoc = parse_copy_command(parse_line("COPY <<EOF /greeting\nhello\nEOF").ins());
    REQUIRE(heredoc.value.heredocs.size() == 1);
    CHECK(heredoc.value.heredocs[0].delimiter == "EOF");
}
