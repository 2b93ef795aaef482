// Where the cursor is in a half-typed devcontainer.json (engine/language/devcontainer/context.h).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "language/devcontainer/context.h"

using namespace envbuilder;
using namespace envbuilder::language::devcontainer_editor;

namespace {

// The context at the `|` in `marked` (which is removed).
std::optional<Context> context_at(const std::string& marked, bool hover = false) {
    size_t bar = marked.find('|');
    REQUIRE(bar != std::string::npos);
    std::string text = marked;
    text.erase(bar, 1);
    return scan_context(text, bar, hover);
}

}  // namespace

TEST_CASE("devcontainer context: path, state and the keys already there",
          "[devcontainer-features]") {
    auto ctx = context_at(R"({ "name": "x", "build": { "dockerfile": "D", | "args": {} } })");
    REQUIRE(ctx);
    CHECK(ctx->path == std::vector<std::string>{"build"});
    CHECK(ctx->object);
    CHECK(ctx->state == State::Key);
    CHECK(ctx->present ==
          std::vector<std::string>{"dockerfile", "args"});  // the whole object's keys
    CHECK_FALSE(ctx->token);

    auto value = context_at(R"({ "mounts": [ { "type": "bi|" } ] })");
    REQUIRE(value);
    CHECK(value->path == std::vector<std::string>{"mounts", "*"});
    CHECK(value->state == State::Value);
    CHECK(value->key == "type");
    REQUIRE(value->token);
    CHECK(value->token->type == json::TokenType::String);
}

TEST_CASE("devcontainer context: half-typed text and comments", "[devcontainer-features]") {
    auto open_key = context_at("{ \"image\": \"x\"\n  \"bu|");  // a missing comma, an unclosed key
    REQUIRE(open_key);
    CHECK(open_key->path.empty());
    REQUIRE(open_key->token);
    CHECK(open_key->token->open);
    CHECK(open_key->present ==
          std::vector<std::string>{"image"});  // the key being typed is left out

    CHECK_FALSE(context_at("{ /* here | */ }"));
    CHECK_FALSE(context_at("{ // here |\n}"));
    CHECK_FALSE(context_at("| {}"));  // outside any object
}

TEST_CASE("devcontainer context: hover takes a token at either end", "[devcontainer-features]") {
    auto at_start = context_at(R"({ |"name": 1 })", /*hover=*/true);
    REQUIRE(at_start);
    REQUIRE(at_start->token);
    CHECK(at_start->token->begin == 2);
    auto completion = context_at(R"({ |"name": 1 })");
    REQUIRE(completion);
    CHECK_FALSE(completion->token);  // completion must be past the token's start
}

TEST_CASE("devcontainer context: keys are decoded with the shared JSON decoder",
          "[devcontainer-features]") {
    const std::string text = R"({"a\"b\u0063": 1, "open)";
    json::Tokenizer tokens(text);
    json::Token t;
    std::vector<std::string> keys;
    while (tokens.next(t))
        if (t.type == json::TokenType::String) keys.push_back(key_text(text, t));
    CHECK(keys == std::vector<std::string>{"a\"bc", "open"});
}
