#pragma once
// The language server without a process, for unit tests: messages go in through on_bodies, and
// what the server writes is read back from a pipe.
#include <fcntl.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "lsp/server.h"
#include "protocol/framing.h"

namespace lsp_test {
using namespace envbuilder;
struct Harness {
    int in[2], out[2];
    boost::asio::io_context io;
    std::unique_ptr<lsp::StdioTransport> transport;
    std::unique_ptr<lsp::LanguageServer> server;
    protocol::MessageReader reader;

    Harness() {
        REQUIRE(pipe(in) == 0);
        REQUIRE(pipe(out) == 0);
        fcntl(out[0], F_SETFL, O_NONBLOCK);
        transport = std::make_unique<lsp::StdioTransport>(io, in[0], out[1]);
        server = std::make_unique<lsp::LanguageServer>(io, *transport);
    }
    ~Harness() {
        for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
    }
    // Sends a batch as if it came in one read, runs what it queued, returns what came out.
    std::vector<protocol::Json> send(std::vector<protocol::Json> messages) {
        std::vector<std::string> bodies;
        for (auto& m : messages) bodies.push_back(m.dump());
        return send_raw(std::move(bodies));
    }
    // The same with message bodies as bytes (which need not be valid JSON, nor UTF-8). Whatever
    // the server writes must be valid JSON in UTF-8: protocol::Json::parse throws otherwise.
    std::vector<protocol::Json> send_raw(std::vector<std::string> bodies) {
        server->on_bodies(std::move(bodies));
        io.restart();
        io.poll();
        char buf[65536];
        ssize_t n;
        while ((n = read(out[0], buf, sizeof buf)) > 0)
            reader.feed(std::string_view(buf, static_cast<size_t>(n)));
        std::vector<protocol::Json> got;
        while (auto e = reader.next()) got.push_back(protocol::Json::parse(e->body));
        return got;
    }
};

inline protocol::Json request(int id, const std::string& method,
                              protocol::Json params = protocol::Json::object()) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
}
inline protocol::Json notification(const std::string& method,
                                   protocol::Json params = protocol::Json::object()) {
    return {{"jsonrpc", "2.0"}, {"method", method}, {"params", params}};
}
}  // namespace lsp_test
