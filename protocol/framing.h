#pragma once
// The LSP base protocol: each message is a header block (`Content-Length: N`, optionally
// `Content-Type`), an empty line, and N bytes of UTF-8 JSON. The reader is incremental: feed it
// whatever a read returned (half a header, three messages, anything) and take complete bodies out.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace envbuilder::protocol {

class MessageReader {
public:
    // Bodies larger than this are refused (the header is reported as an error and the body
    // skipped without being held in memory).
    explicit MessageReader(size_t max_body = 256u * 1024 * 1024) : max_body_(max_body) {}

    void feed(std::string_view bytes) { buffer_.append(bytes); }

    struct Event {
        enum class Kind { Message, HeaderError, Oversized } kind;
        std::string body;     // the JSON text of a message
        std::string problem;  // what was wrong with a header
    };
    // The next complete message or framing problem, or nullopt when more bytes are needed. After
    // a HeaderError the reader has skipped to the next plausible header, so reading can go on.
    std::optional<Event> next();

    // Bytes received but not yet consumed (for detecting a client that vanished mid-message).
    size_t pending() const { return buffer_.size() - consumed_ + skip_remaining_; }

private:
    std::string buffer_;
    size_t consumed_ = 0;
    size_t max_body_;
    size_t skip_remaining_ = 0;  // body bytes of an oversized message still to discard
    void compact();
};

// Frames a JSON body for sending.
std::string frame(std::string_view body);

}  // namespace envbuilder::protocol
