#pragma once
// The LSP base protocol: each message is a header block (`Content-Length: N`, optionally
// `Content-Type`), an empty line, and N bytes of UTF-8 JSON. The reader is incremental: feed it
// whatever a read returned (half a header, three messages, anything) and take complete bodies out.
//
// A bad header never ends the connection. After one (a Content-Length that is not a plain decimal
// number, one beyond the size limit, a header block without one, bytes that are no header at all,
// e.g. the rest of a body whose Content-Length was too small) the problem is reported once and the
// reader resynchronises: it discards bytes up to the next `Content-Length:` and reads on from
// there. A valid JSON body cannot fake a header, since a header line ends with a raw CR LF, which
// JSON allows only between tokens, never next to a `Content-Length:` inside a string.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace envbuilder::protocol {

// The largest message body the server accepts (64 MiB: far beyond any real document, small
// enough that parsing it stays within a few hundred MB).
inline constexpr size_t kMaxMessageBody = 64u * 1024 * 1024;
// The longest header block; anything longer is garbage.
inline constexpr size_t kMaxHeaderBlock = 64u * 1024;

class MessageReader {
  public:
    // Bodies larger than `max_body` are refused: the header is reported and the body discarded
    // as it arrives, never held in memory.
    explicit MessageReader(size_t max_body = kMaxMessageBody) : max_body_(max_body) {}

    void feed(std::string_view bytes) { buffer_.append(bytes); }

    struct Event {
        enum class Kind { Message, HeaderError, Oversized } kind;
        std::string body;     // the JSON text of a message
        std::string problem;  // what was wrong with a header
    };
    // The next complete message or framing problem, or nullopt when more bytes are needed. After
    // a HeaderError or Oversized the reader skips to the next `Content-Length:` header.
    std::optional<Event> next();

    // Bytes received but not yet consumed (for detecting a client that vanished mid-message).
    size_t pending() const { return buffer_.size() - consumed_; }

  private:
    std::string buffer_;
    size_t consumed_ = 0;
    size_t max_body_;
    bool resyncing_ = false;  // discarding bytes until the next Content-Length header

    // Consumes bytes up to the next Content-Length header; false when more bytes are needed.
    bool resync();
    // Reports `problem` and resynchronises from the byte after `header_start`.
    Event fail(Event::Kind kind, size_t header_start, std::string problem);
    void compact();
};

// Frames a JSON body for sending.
std::string frame(std::string_view body);

}  // namespace envbuilder::protocol
