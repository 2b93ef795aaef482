#include "lsp/transport.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <iostream>
#include <utility>

#include <boost/asio/post.hpp>

#include "syntax/json_text.h"

namespace envbuilder::lsp {

StdioTransport::StdioTransport(boost::asio::io_context& io, int in_fd, int out_fd)
    : io_(io), in_fd_(in_fd), out_fd_(out_fd) {
    // A client that closes its end must not kill us with SIGPIPE; the write reports EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
}

StdioTransport::~StdioTransport() {
    stopping_ = true;
    // The reader may be blocked in read(); it is detached so that exiting does not wait on input.
    if (thread_.joinable()) thread_.detach();
}

void StdioTransport::start(BodyHandler on_body, EndHandler on_end,
                           std::function<void(std::string)> on_framing_error) {
    on_body_ = std::move(on_body);
    on_end_ = std::move(on_end);
    on_framing_error_ = std::move(on_framing_error);
    thread_ = std::thread([this] {
        std::string buffer(64 * 1024, '\0');
        while (!stopping_) {
            ssize_t n = ::read(in_fd_, buffer.data(), buffer.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                boost::asio::post(io_, [this] {
                    bool mid_message = reader_.pending() > 0;
                    on_end_(mid_message);
                });
                return;
            }
            boost::asio::post(
                io_, [this, chunk = std::string(buffer.data(), static_cast<size_t>(n))]() mutable {
                    consume(std::move(chunk));
                });
        }
    });
}

void StdioTransport::consume(std::string chunk) {
    reader_.feed(chunk);
    std::vector<std::string> bodies;
    while (auto event = reader_.next()) {
        switch (event->kind) {
            case protocol::MessageReader::Event::Kind::Message:
                bodies.push_back(std::move(event->body));
                break;
            case protocol::MessageReader::Event::Kind::HeaderError:
            case protocol::MessageReader::Event::Kind::Oversized:
                if (!bodies.empty()) on_body_(std::exchange(bodies, {}));
                on_framing_error_(event->problem);
                break;
        }
    }
    if (!bodies.empty()) on_body_(std::move(bodies));
}

bool StdioTransport::send(const protocol::Json& message) {
    if (broken_) return false;
    // Document text and build output may hold bytes that are not UTF-8; they go out as U+FFFD.
    std::string framed = protocol::frame(json_text(message));
    size_t written = 0;
    while (written < framed.size()) {
        ssize_t n = ::write(out_fd_, framed.data() + written, framed.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            broken_ = true;
            return false;
        }
        written += static_cast<size_t>(n);
    }
    return true;
}

}  // namespace envbuilder::lsp
