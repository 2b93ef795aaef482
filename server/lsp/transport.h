#pragma once
// stdin/stdout for the language server. A reader thread does the blocking reads (stdin may be a
// pipe, a file or a terminal, and not all of them can be polled) and posts the bytes to the
// io_context; every write happens on the io_context thread, one message at a time, so output never
// interleaves. stderr is for logs only.
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"

namespace envbuilder::lsp {

class StdioTransport {
  public:
    using BodyHandler = std::function<void(std::vector<std::string> bodies)>;
    using EndHandler = std::function<void(bool mid_message)>;

    StdioTransport(boost::asio::io_context& io, int in_fd, int out_fd);
    ~StdioTransport();

    // Starts reading. The complete message bodies of each read reach `on_bodies` together, in
    // order, on the io thread; framing errors (and oversized messages, which are skipped without
    // being held in memory) reach `on_framing_error`; end of input reaches `on_end`, with whether
    // it cut a message off.
    void start(BodyHandler on_body, EndHandler on_end,
               std::function<void(std::string)> on_framing_error);

    // Sends one message. Must be called on the io thread. Returns false once the client is gone.
    bool send(const protocol::Json& message);

  private:
    boost::asio::io_context& io_;
    int in_fd_, out_fd_;
    protocol::MessageReader reader_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    bool broken_ = false;
    BodyHandler on_body_;
    EndHandler on_end_;
    std::function<void(std::string)> on_framing_error_;
    void consume(std::string chunk);
};

}  // namespace envbuilder::lsp
