// Dispatch of the language server, without a process: messages go in through on_bodies, and what
// the server writes is read back from a pipe.
#include <catch2/catch.hpp>

#include "lsp_harness.h"

using namespace envbuilder;
using lsp_test::Harness;
using lsp_test::notification;
using lsp_test::request;
using protocol::Json;

TEST_CASE("dispatch: lifecycle errors and method routing", "[lsp]") {
    Harness h;
    auto before = h.send({request(1, "textDocument/hover")});
    REQUIRE(before.size() == 1);
    CHECK(before[0]["error"]["code"] == -32002);
    auto init = h.send({request(2, "initialize", {{"capabilities", Json::object()}})});
    REQUIRE(init.size() == 1);
    CHECK(init[0]["result"]["capabilities"]["hoverProvider"] == true);
    auto unknown = h.send({request(3, "workspace/nothing")});
    CHECK(unknown[0]["error"]["code"] == -32601);
    auto bad = h.send({request(4, "textDocument/hover", {{"textDocument", 1}})});
    CHECK(bad[0]["error"]["code"] == -32602);
    auto shut = h.send({request(5, "shutdown"), request(6, "textDocument/hover")});
    CHECK(shut[0]["result"].is_null());
    CHECK(shut[1]["error"]["code"] == -32600);
}

TEST_CASE("dispatch: a cancel in the same batch cancels the request before it", "[lsp]") {
    Harness h;
    h.send({request(1, "initialize", {{"capabilities", Json::object()}})});
    auto out = h.send({request(7, "textDocument/hover", {{"textDocument", {{"uri", "file:///x"}}}}),
                       notification("$/cancelRequest", {{"id", 7}})});
    REQUIRE(out.size() == 1);
    CHECK(out[0]["id"] == 7);
    CHECK(out[0]["error"]["code"] == -32800);
}

TEST_CASE("dispatch: edits in one batch are analysed once, at the newest version", "[lsp]") {
    Harness h;
    h.send({request(1, "initialize", {{"capabilities", Json::object()}})});
    const std::string uri = "file:///tmp/dispatch/Dockerfile";
    std::vector<Json> batch{
        notification("textDocument/didOpen", {{"textDocument",
                                               {{"uri", uri},
                                                {"languageId", "dockerfile"},
                                                {"version", 1},
                                                {"text", "FROM a\nRUNN x\n"}}}})};
    for (int v = 2; v <= 5; ++v)
        batch.push_back(
            notification("textDocument/didChange",
                         {{"textDocument", {{"uri", uri}, {"version", v}}},
                          {"contentChanges",
                           Json::array({{{"text", v == 5 ? "FROM a\n" : "FROM a\nRUNN x\n"}}})}}));
    auto out = h.send(batch);
    REQUIRE(out.size() == 1);
    CHECK(out[0]["method"] == "textDocument/publishDiagnostics");
    CHECK(out[0]["params"]["version"] == 5);
    CHECK(out[0]["params"]["diagnostics"].empty());
}
