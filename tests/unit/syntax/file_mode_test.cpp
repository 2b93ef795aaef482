#include <catch2/catch.hpp>

#include "syntax/file_mode.h"

using envbuilder::dockerfile::FileMode;

TEST_CASE("--chmod: octal modes replace the bits, up to 07777", "[syntax][file-mode]") {
    CHECK(FileMode::parse("755")->apply(0600, false) == 0755);
    CHECK(FileMode::parse("0644")->is_octal());
    CHECK(FileMode::parse("4755")->apply(0, false) == 04755);
    std::string problem;
    CHECK(!FileMode::parse("10000", &problem));
    CHECK(problem.find("above 07777") != std::string::npos);
    CHECK(!FileMode::parse("", &problem));
    CHECK(!FileMode::parse("0x1ff", &problem));
}

TEST_CASE("--chmod: symbolic modes change the bits as chmod(1) does", "[syntax][file-mode]") {
    auto apply = [](const char* text, uint32_t mode, bool directory = false) {
        auto parsed = FileMode::parse(text);
        REQUIRE(parsed);
        return parsed->apply(mode, directory);
    };
    CHECK(apply("u+x", 0644) == 0744);
    CHECK(apply("+x", 0644) == 0755);
    CHECK(apply("go-rwx", 0755) == 0700);
    CHECK(apply("a=r", 0777) == 0444);
    CHECK(apply("u=rwx,g=rx,o=", 0) == 0750);
    CHECK(apply("a+X", 0644) == 0644);        // a plain file stays non-executable
    CHECK(apply("a+X", 0744) == 0755);        // but one executable by someone gets it all
    CHECK(apply("a+X", 0644, true) == 0755);  // directories always do
    CHECK(apply("g=u", 0640) == 0660);
    CHECK(apply("u+s,o+t", 0755) == 05755);
    CHECK(!FileMode::parse("u"));
    CHECK(!FileMode::parse("u+x,"));
    CHECK(!FileMode::parse("z+x"));
}
