// The language server against hostile or broken input: nesting beyond the depth limit, options
// and positions that would size allocations, Latin-1 bytes. Each time the server answers with an
// error (or copes) and then serves the next request.
#include <catch2/catch.hpp>

#include "lsp_harness.h"
#include "syntax/json_text.h"

using namespace envbuilder;
using lsp_test::Harness;
using lsp_test::notification;
using lsp_test::request;
using protocol::Json;

namespace {
const std::string kUri = "file:///tmp/limits/Dockerfile";

void open_dockerfile(Harness& h, const std::string& text) {
    h.send({request(1, "initialize", {{"capabilities", Json::object()}})});
    h.send({notification(
        "textDocument/didOpen",
        {{"textDocument",
          {{"uri", kUri}, {"languageId", "dockerfile"}, {"version", 1}, {"text", text}}}})});
}

Json with_position(Json line, Json character) {
    return {{"textDocument", {{"uri", kUri}}},
            {"position", {{"line", line}, {"character", character}}}};
}

// The answer to request `id` among `out`.
Json answer(const std::vector<Json>& out, int id) {
    for (const auto& m : out)
        if (m.contains("id") && m["id"] == id) return m;
    FAIL("no answer to request " << id);
    return nullptr;
}
}  // namespace

TEST_CASE("lsp limits: params nested beyond the limit are refused, the next request is served",
          "[lsp][limits]") {
    Harness h;
    h.send({request(1, "initialize", {{"capabilities", Json::object()}})});
    const std::string arrays =
        R"({"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":)" +
        std::string(70000, '[') + std::string(70000, ']') + "}";
    std::string objects = R"({"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":)";
    for (int i = 0; i < 1'000'000; ++i) objects += R"({"a":)";
    objects += "1" + std::string(1'000'001, '}');
    auto out = h.send_raw({arrays, objects, request(4, "shutdown").dump()});
    REQUIRE(out.size() == 3);
    for (int i = 0; i < 2; ++i) {
        CHECK(out[i]["error"]["code"] == -32600);
        CHECK(out[i]["error"]["message"].get<std::string>().find("deeper than 512") !=
              std::string::npos);
    }
    CHECK(out[2]["id"] == 4);
    CHECK(out[2].contains("result"));
}

TEST_CASE("lsp limits: formatting options are validated", "[lsp][limits]") {
    Harness h;
    open_dockerfile(h, "from alpine\nRUN echo a && \\\n echo b\n");
    auto format = [&](int id, Json options) {
        return answer(h.send({request(id, "textDocument/formatting",
                                      {{"textDocument", {{"uri", kUri}}}, {"options", options}})}),
                      id);
    };
    for (Json bad : {Json(-4), Json(0), Json(65), Json(4294967292u), Json(1e9), Json(2.5),
                     Json("4"), Json(nullptr)}) {
        INFO("tabSize " << bad.dump());
        Json r = format(10, {{"tabSize", bad}, {"insertSpaces", true}});
        CHECK(r["error"]["code"] == -32602);
        CHECK(r["error"]["message"].get<std::string>().find("options.tabSize") !=
              std::string::npos);
    }
    Json r = format(11, {{"tabSize", 2}, {"insertSpaces", "yes"}});
    CHECK(r["error"]["code"] == -32602);
    CHECK(r["error"]["message"].get<std::string>().find("options.insertSpaces") !=
          std::string::npos);
    Json ok = format(12, {{"tabSize", 64}, {"insertSpaces", true}});
    REQUIRE(ok["result"].is_array());
    CHECK(!ok["result"].empty());  // `from` is upper-cased, the continuation re-indented
    CHECK(format(13, Json::object())["result"]
              .is_array());  // LSP requires both; missing means the defaults
}

TEST_CASE("lsp limits: positions far beyond the document are answered, invalid ones refused",
          "[lsp][limits]") {
    Harness h;
    open_dockerfile(h, "FROM alpine AS base\nRUN echo hi\n");
    const int64_t max = 2147483647;
    int id = 20;
    for (const char* method : {"textDocument/hover", "textDocument/completion",
                               "textDocument/definition", "textDocument/references"}) {
        INFO(method);
        for (auto [line, character] :
             {std::pair<int64_t, int64_t>{max, max}, {0, max}, {1, max}, {max, 0}}) {
            Json r = answer(h.send({request(++id, method, with_position(line, character))}), id);
            CHECK(r.contains("result"));
        }
        for (auto [line, character] :
             {std::pair<Json, Json>{-1, 0}, {0, -1}, {4294967296, 0}, {"0", 0}, {0.5, 0}}) {
            Json r = answer(h.send({request(++id, method, with_position(line, character))}), id);
            CHECK(r["error"]["code"] == -32602);
            CHECK(r["error"]["message"].get<std::string>().find("position.") != std::string::npos);
        }
    }
    Json range = {{"start", {{"line", max}, {"character", max}}},
                  {"end", {{"line", max}, {"character", max}}}};
    Json actions = answer(
        h.send({request(
            ++id, "textDocument/codeAction",
            {{"textDocument", {{"uri", kUri}}}, {"range", range}, {"context", Json::object()}})}),
        id);
    CHECK(actions["result"].is_array());
    range["end"]["line"] = -3;
    actions = answer(
        h.send({request(
            ++id, "textDocument/codeAction",
            {{"textDocument", {{"uri", kUri}}}, {"range", range}, {"context", Json::object()}})}),
        id);
    CHECK(actions["error"]["code"] == -32602);
    // An edit far beyond the end appends; a negative one is refused and the document kept.
    h.send({notification(
        "textDocument/didChange",
        {{"textDocument", {{"uri", kUri}, {"version", 2}}},
         {"contentChanges", Json::array({{{"range",
                                           {{"start", {{"line", max}, {"character", max}}},
                                            {"end", {{"line", max}, {"character", max}}}}},
                                          {"text", "USER app\n"}}})}})});
    auto symbols = answer(
        h.send({request(++id, "textDocument/documentSymbol", {{"textDocument", {{"uri", kUri}}}})}),
        id);
    CHECK(symbols["result"].dump().find("USER") != std::string::npos);
    auto out =
        h.send({notification(
                    "textDocument/didChange",
                    {{"textDocument", {{"uri", kUri}, {"version", 3}}},
                     {"contentChanges", Json::array({{{"range",
                                                       {{"start", {{"line", -1}, {"character", 0}}},
                                                        {"end", {{"line", 0}, {"character", 0}}}}},
                                                      {"text", "x"}}})}}),
                request(++id, "shutdown")});
    CHECK(answer(out, id).contains("result"));
}

TEST_CASE("lsp limits: a Latin-1 document gets diagnostics and hover, all output UTF-8",
          "[lsp][limits]") {
    Harness h;
    h.send({request(1, "initialize", {{"capabilities", Json::object()}})});
    // A client that sends the file's bytes as they are: 0xE9 is not UTF-8, so nlohmann alone
    // would refuse the whole message.
    const std::string text =
        "# caf\xe9\\nFROM alpine\\nLABEL note=\\\"caf\xe9\\\"\\nrun echo \xe9t\xe9\\n";
    const std::string open =
        R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":")" +
        kUri + R"(","languageId":"dockerfile","version":1,"text":")" + text + R"("}}})";
    REQUIRE_FALSE(is_valid_utf8(open));
    auto out = h.send_raw({open});  // Json::parse in the harness fails on any non-UTF-8 output
    REQUIRE(out.size() == 1);
    CHECK(out[0]["method"] == "textDocument/publishDiagnostics");
    const Json& diagnostics = out[0]["params"]["diagnostics"];
    CHECK(diagnostics.dump().find("run") != std::string::npos);  // lower-case `run` is reported
    Json hover = answer(h.send({request(2, "textDocument/hover", with_position(2, 1))}), 2);
    REQUIRE(hover["result"].is_object());
    CHECK(hover["result"]["contents"]["value"].get<std::string>().find("LABEL") !=
          std::string::npos);
    Json symbols = answer(
        h.send({request(3, "textDocument/documentSymbol", {{"textDocument", {{"uri", kUri}}}})}),
        3);
    CHECK(symbols["result"].dump().find("caf\xEF\xBF\xBD") != std::string::npos);
}
