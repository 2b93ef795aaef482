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
    reader.feed(
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}");
    CHECK(reader.next()->body == "{}");
    reader.feed("Content-Length: abc\r\n\r\n");
    auto bad = reader.next();
    REQUIRE(bad);
    CHECK(bad->kind == MessageReader::Event::Kind::HeaderError);
    // Until the next Content-Length everything is skipped, this header block too.
    reader.feed("X-Other: 1\r\n\r\n");
    CHECK(!reader.next());
    reader.feed(frame("{}") + "X-Other: 1\r\n\r\n");
    CHECK(reader.next()->body == "{}");
    auto missing = reader.next();
    REQUIRE(missing);
    CHECK(missing->kind == MessageReader::Event::Kind::HeaderError);
    CHECK(missing->problem.find("missing Content-Length") != std::string::npos);
    reader.feed("Content-Length: 2\r\nContent-Type: x; charset=latin1\r\n\r\n");
    auto charset = reader.next();
    REQUIRE(charset);
    CHECK(charset->kind == MessageReader::Event::Kind::HeaderError);
    CHECK(charset->problem.find("latin1") != std::string::npos);
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

namespace {
// Feeds `bytes` in pieces of `chunk` bytes and collects every event.
std::vector<MessageReader::Event> read_all(MessageReader& reader, std::string_view bytes,
                                           size_t chunk) {
    std::vector<MessageReader::Event> events;
    for (size_t at = 0; at < bytes.size(); at += chunk) {
        reader.feed(bytes.substr(at, chunk));
        while (auto e = reader.next()) events.push_back(std::move(*e));
    }
    return events;
}
}  // namespace

TEST_CASE("framing: after any bad header the reader resynchronises on the next message",
          "[protocol][framing]") {
    const std::string next = frame(R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})");
    struct Case {
        const char* name;
        std::string bytes;
        MessageReader::Event::Kind kind;
    };
    const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"x"})";
    const std::vector<Case> cases = {
        {"negative", "Content-Length: -5\r\n\r\n" + body, MessageReader::Event::Kind::HeaderError},
        {"exponent", "Content-Length: 1e3\r\n\r\n" + body, MessageReader::Event::Kind::HeaderError},
        {"2 GiB", "Content-Length: 2147483648\r\n\r\n" + body,
         MessageReader::Event::Kind::Oversized},
        {"1e17 spelled out", "Content-Length: 100000000000000000\r\n\r\n" + body,
         MessageReader::Event::Kind::Oversized},
        {"beyond 64 bits", "Content-Length: 99999999999999999999999\r\n\r\n" + body,
         MessageReader::Event::Kind::Oversized},
        {"empty", "Content-Length: \r\n\r\n" + body, MessageReader::Event::Kind::HeaderError},
        {"missing", "Content-Type: application/vscode-jsonrpc\r\n\r\n" + body,
         MessageReader::Event::Kind::HeaderError},
        {"garbage line", "hello world\r\n\r\n", MessageReader::Event::Kind::HeaderError},
        {"binary", std::string("\x00\xff\xfe{[", 5), MessageReader::Event::Kind::HeaderError},
    };
    for (const auto& c : cases) {
        for (size_t chunk : {size_t(1), size_t(7), size_t(1 << 20)}) {
            INFO(c.name << ", read in pieces of " << chunk);
            MessageReader reader;
            auto events = read_all(reader, c.bytes + next, chunk);
            REQUIRE(events.size() == 2);
            CHECK(events[0].kind == c.kind);
            CHECK(!events[0].problem.empty());
            CHECK(events[1].kind == MessageReader::Event::Kind::Message);
            CHECK(events[1].body == R"({"jsonrpc":"2.0","id":2,"method":"shutdown"})");
            CHECK(reader.pending() == 0);
        }
    }
}

TEST_CASE("framing: a Content-Length smaller than the body costs that message only",
          "[protocol][framing]") {
    MessageReader reader;
    // The first 10 bytes are handed out as a (broken) body; the rest is no header and is skipped.
    auto events = read_all(reader,
                           "Content-Length: 10\r\n\r\n"
                           R"({"jsonrpc":"2.0","id":1,"method":"x"})" +
                               frame("[1]"),
                           3);
    REQUIRE(events.size() == 3);
    CHECK(events[0].kind == MessageReader::Event::Kind::Message);
    CHECK(events[0].body == R"({"jsonrpc")");
    CHECK(events[1].kind == MessageReader::Event::Kind::HeaderError);
    CHECK(events[2].body == "[1]");
}

TEST_CASE("framing: a JSON body mentioning Content-Length cannot fake a header",
          "[protocol][framing]") {
    MessageReader reader(16);
    // The oversized body is discarded while searching for the next header; the header-like text
    // inside its string has no CR LF after the number, so it is not taken for one.
    const std::string big = R"({"text":"Content-Length: 5 and Content-Length: 7"})";
    auto events = read_all(reader, frame(big) + frame("{}"), 4);
    REQUIRE(events.size() >= 2);
    CHECK(events.front().kind == MessageReader::Event::Kind::Oversized);
    CHECK(events.back().kind == MessageReader::Event::Kind::Message);
    CHECK(events.back().body == "{}");
    for (size_t i = 1; i + 1 < events.size(); ++i)
        CHECK(events[i].kind != MessageReader::Event::Kind::Message);
}

TEST_CASE("framing: garbage is discarded as it arrives, never held", "[protocol][framing]") {
    MessageReader reader;
    reader.feed("Content-Length: 2147483648\r\n\r\n");
    auto first = reader.next();
    REQUIRE(first);
    CHECK(first->kind == MessageReader::Event::Kind::Oversized);
    const std::string junk(64 * 1024, 'x');
    size_t largest = 0;
    for (int i = 0; i < 160; ++i) {  // 10 MiB
        reader.feed(junk);
        CHECK(!reader.next());
        largest = std::max(largest, reader.pending());
    }
    CHECK(largest < 200 * 1024);
    reader.feed(frame("{}"));
    auto e = reader.next();
    REQUIRE(e);
    CHECK(e->body == "{}");
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
    auto bad_method =
        std::get<MessageError>(parse_message(R"({"jsonrpc":"2.0","id":4,"method":5})"));
    CHECK(bad_method.code == ErrorCode::InvalidRequest);
    CHECK(bad_method.id == 4);
    CHECK(std::get<MessageError>(parse_message(R"({"id":1,"method":"x"})")).code ==
          ErrorCode::InvalidRequest);
    CHECK(to_json(failure(9, ErrorCode::RequestCancelled, "cancelled")).dump() ==
          R"({"error":{"code":-32800,"message":"cancelled"},"id":9,"jsonrpc":"2.0"})");
}
