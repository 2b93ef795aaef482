// Userinfo in URLs never reaches a message.
#include <catch2/catch.hpp>

#include "registry/url_redaction.h"

using namespace envbuilder::registry;

TEST_CASE("redact_userinfo hides the userinfo of every URL in a text", "[registry][redact]") {
    CHECK(redact_userinfo("https://user:pa55@mirror.example.com/v2") ==
          "https://***@mirror.example.com/v2");
    CHECK(redact_userinfo("http://token@10.0.0.1:5000") == "http://***@10.0.0.1:5000");
    // A password holding '@' and ':' is hidden whole.
    CHECK(redact_userinfo("https://u:p@ss:w@host/x?y=1") == "https://***@host/x?y=1");
    // Several URLs in one message, quoted or not; text without URLs is unchanged.
    CHECK(redact_userinfo("mirror 'https://a:b@m1' failed, then https://c:d@m2/v2: refused") ==
          "mirror 'https://***@m1' failed, then https://***@m2/v2: refused");
    CHECK(redact_userinfo("https://m.example.com/v2/x@y") == "https://m.example.com/v2/x@y");
    CHECK(redact_userinfo("no url here: user@example.com") == "no url here: user@example.com");
    CHECK(redact_userinfo("") == "");
    CHECK(redact_userinfo("trailing https://") == "trailing https://");
    CHECK(redact_userinfo("https://u:secret@") == "https://***@");
}

TEST_CASE("url_authority: host and port without userinfo", "[registry][redact]") {
    CHECK(url_authority("https://u:p@Mirror.Example.com:8443/v2") == "mirror.example.com:8443");
    CHECK(url_authority("http://127.0.0.2:5000/token?x=1") == "127.0.0.2:5000");
    CHECK(url_authority("https://auth.docker.io") == "auth.docker.io");
    CHECK(url_authority("not a url") == "");
}
