#include <catch2/catch.hpp>

#include "protocol/json_nesting.h"
#include "protocol/jsonrpc.h"

using namespace envbuilder::protocol;

TEST_CASE("json nesting: the first bracket beyond the limit is found without recursion",
          "[json_nesting]") {
    CHECK(!find_excess_nesting(R"({"a":[1,{"b":[]}]})", 4));
    CHECK(find_excess_nesting(R"({"a":[1,{"b":[]}]})", 3) == 13u);
    CHECK(find_excess_nesting(R"({"a":[1,{"b":[]}]})", 2) == 8u);
    // Brackets in strings (escaped quotes included) are text, not nesting.
    CHECK(!find_excess_nesting(R"(["[[[[", "\"[[[[", {}])", 2));
    CHECK(!find_excess_nesting("", 0));
    CHECK(find_excess_nesting("[", 0) == 0u);
    // Closers of a broken document never take the depth below zero.
    CHECK(!find_excess_nesting("]]]]][[", 2));
    CHECK(find_excess_nesting("]]]]][[[", 2) == 7u);
}

TEST_CASE("json nesting: 70,000 arrays and 1,000,000 objects are refused before parsing",
          "[json_nesting]") {
    const std::string arrays = R"({"jsonrpc":"2.0","id":1,"method":"x","params":)" +
                               std::string(70000, '[') + std::string(70000, ']') + "}";
    auto refused = parse_message(arrays);
    REQUIRE(std::holds_alternative<MessageError>(refused));
    CHECK(std::get<MessageError>(refused).code == ErrorCode::InvalidRequest);
    CHECK(std::get<MessageError>(refused).message.find("512") != std::string::npos);

    std::string objects;
    objects.reserve(7'000'010);
    for (int i = 0; i < 1'000'000; ++i) objects += R"({"a":)";
    objects += "1" + std::string(1'000'000, '}');
    CHECK(std::holds_alternative<MessageError>(parse_message(objects)));

    // At the limit a message is still read.
    std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"x","params":)" +
                       std::string(kMaxJsonDepth - 1, '[') + std::string(kMaxJsonDepth - 1, ']') +
                       "}";
    CHECK(std::holds_alternative<Message>(parse_message(deep)));
}
