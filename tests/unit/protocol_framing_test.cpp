#include <catch2/catch.hpp>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"

using namespace envbuilder::protocol;

TEST_CASE("framing: partial reads and several messages in one read", "[protocol]") {
    MessageReader reader;
    std::string two = frame(R"({"a":1})") + frame(R"({"b":"é"})");
    // Byte by byte: nothing until a message is complete.
    size_t messages = 0;
    for (char c : two) {
        reader.feed(std::string_view(&c, 1));
        while (auto e = reader.next()) {
            REQUIRE(e->kind == MessageReader::Event::Kind::Message);
            ++messages;
        }
    }
    CHECK(messages == 2);
    reader.feed(two + two);
    CHECK(reader.next()->body == R"({"a":1})");
    CHECK(reader.next()->body == R"({"b":"é"})");
    CHECK(reader.next()->body == R"({"a":1})");
    CHECK(reader.next()->body == R"({"b":"é"})");
    CHECK(!reader.next());
    CHECK(reader.pending() == 0);
}

TEST_CASE("framing: Content-Type and header problems", "[protocol]") {
    MessageReader reader;
    reader.feed("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}");
    CHECK(reader.next()->body == "{}");
    reader.feed("Content-Length: abc\r\n\r\n");
    auto bad = reader.next();
    REQUIRE(bad);
    CHECK(bad->kind == MessageReader::Event::Kind::HeaderError);
    reader.feed("X-Other: 1\r\n\r\n");
    CHECK(reader.next()->kind == MessageReader::Event::Kind::HeaderError);
    reader.feed("Content-Length: 2\r\nContent-Type: x; charset=latin1\r\n\r\n");
    CHECK(reader.next()->kind == MessageReader::Event::Kind::HeaderError);
    reader.feed(frame("[]"));
    CHECK(reader.next()->body == "[]");
}

TEST_CASE("framing: oversized bodies are skipped, not held", "[protocol]") {
    MessageReader reader(10);
    reader.feed("Content-Length: 20\r\n\r\n0123456789");
    auto e = reader.next();
    REQUIRE(e);
    CHECK(e->kind == MessageReader::Event::Kind::Oversized);
    reader.feed("0123456789" + frame("{}"));
    CHECK(reader.next()->body == "{}");
}

TEST_CASE("json-rpc: requests, notifications, responses, errors", "[protocol]") {
    auto req = parse_message(R"({"jsonrpc":"2.0","id":7,"method":"initialize","params":{}})");
    REQUIRE(std::holds_alternative<Message>(req));
    auto& r = std::get<Request>(std::get<Message>(req));
    CHECK(r.id == 7);
    CHECK(r.method == "initialize");
    auto note = parse_message(R"({"jsonrpc":"2.0","method":"initialized"})");
    CHECK(std::holds_alternative<Notification>(std::get<Message>(note)));
    auto resp = parse_message(R"({"jsonrpc":"2.0","id":"s1","result":null})");
    CHECK(std::get<Response>(std::get<Message>(resp)).id == "s1");
    auto err = parse_message(R"({"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no"}})");
    CHECK(std::get<Response>(std::get<Message>(err)).error->code == ErrorCode::MethodNotFound);

    CHECK(std::get<MessageError>(parse_message("{not json")).code == ErrorCode::ParseError);
    CHECK(std::get<MessageError>(parse_message("[1]")).code == ErrorCode::InvalidRequest);
    auto bad_method = std::get<MessageError>(parse_message(R"({"jsonrpc":"2.0","id":4,"method":5})"));
    CHECK(bad_method.code == ErrorCode::InvalidRequest);
    CHECK(bad_method.id == 4);
    CHECK(std::get<MessageError>(parse_message(R"({"id":1,"method":"x"})")).code == ErrorCode::InvalidRequest);
    CHECK(to_json(failure(9, ErrorCode::RequestCancelled, "cancelled")).dump() ==
          R"({"error":{"code":-32800,"message":"cancelled"},"id":9,"jsonrpc":"2.0"})");
}
