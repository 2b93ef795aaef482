#include "framing.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace envbuilder::protocol {

namespace {

constexpr std::string_view kContentLength = "content-length";

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [](char x, char y) { return lower(x) == lower(y); });
}

size_t ifind(std::string_view haystack, std::string_view needle, size_t from) {
    if (from >= haystack.size()) return std::string_view::npos;
    auto it = std::search(haystack.begin() + static_cast<std::ptrdiff_t>(from), haystack.end(),
                          needle.begin(), needle.end(),
                          [](char x, char y) { return lower(x) == lower(y); });
    return it == haystack.end() ? std::string_view::npos
                                : static_cast<size_t>(it - haystack.begin());
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// An HTTP header name character (RFC 9110 "tchar").
bool is_token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c));
}

// Whether `line` is, or (when not yet complete) can still become, a `Name: value` header line.
bool plausible_header_line(std::string_view line, bool complete) {
    size_t i = 0;
    while (i < line.size() && is_token_char(line[i])) ++i;
    if (i == 0) return !complete && line.empty();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) return !complete;
    return line[i] == ':';
}

// A short quote of client bytes for an error message: control and non-ASCII bytes as \xNN.
std::string quote(std::string_view bytes, size_t limit = 40) {
    static const char* hex = "0123456789abcdef";
    std::string out = "'";
    for (unsigned char c : bytes.substr(0, limit)) {
        if (c >= 0x20 && c < 0x7f) {
            out.push_back(static_cast<char>(c));
        } else {
            out += "\\x";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    out += bytes.size() > limit ? "'..." : "'";
    return out;
}

}  // namespace

void MessageReader::compact() {
    // Drop consumed bytes now and then rather than on every message.
    if (consumed_ > 64 * 1024 && consumed_ * 2 > buffer_.size()) {
        buffer_.erase(0, consumed_);
        consumed_ = 0;
    }
}

MessageReader::Event MessageReader::fail(Event::Kind kind, size_t header_start,
                                         std::string problem) {
    consumed_ += header_start + 1;
    resyncing_ = true;
    compact();
    return Event{kind, {}, std::move(problem) + "; skipped to the next Content-Length header"};
}

bool MessageReader::resync() {
    std::string_view data(buffer_);
    data.remove_prefix(consumed_);
    size_t from = 0;
    while (true) {
        size_t at = ifind(data, kContentLength, from);
        if (at == std::string_view::npos) {
            // Keep only what could be the beginning of a header split across reads.
            size_t keep = std::min(data.size(), kContentLength.size() - 1);
            consumed_ += data.size() - keep;
            compact();
            return false;
        }
        size_t i = at + kContentLength.size();
        while (i < data.size() && i - at < 64 && (data[i] == ' ' || data[i] == '\t')) ++i;
        if (i == data.size()) {  // the colon may be in the next read
            consumed_ += at;
            compact();
            return false;
        }
        if (data[i] == ':') {
            consumed_ += at;
            resyncing_ = false;
            compact();
            return true;
        }
        from = at + 1;
    }
}

std::optional<MessageReader::Event> MessageReader::next() {
    if (resyncing_ && !resync()) return std::nullopt;
    std::string_view data(buffer_);
    data.remove_prefix(consumed_);
    // Tolerate stray line breaks between messages.
    size_t lead = 0;
    while (lead < data.size() && (data[lead] == '\r' || data[lead] == '\n')) ++lead;
    // Every line must look like a header, checked as soon as it arrives, so that garbage is
    // noticed at once rather than after waiting for a blank line that may never come.
    size_t pos = lead;
    while (true) {
        size_t eol = data.find("\r\n", pos);
        if (eol == std::string_view::npos) {
            std::string_view partial = data.substr(pos);
            if (!partial.empty() && partial.back() == '\r') partial.remove_suffix(1);
            if (!plausible_header_line(partial, false))
                return fail(
                    Event::Kind::HeaderError, lead,
                    "expected a header line such as 'Content-Length: 42', got " + quote(partial));
            if (data.size() - lead > kMaxHeaderBlock)
                return fail(Event::Kind::HeaderError, lead,
                            "no end of the header block within 64 KiB");
            return std::nullopt;
        }
        if (eol == pos) break;  // the blank line that ends the header block
        std::string_view line = data.substr(pos, eol - pos);
        if (!plausible_header_line(line, true))
            return fail(Event::Kind::HeaderError, lead,
                        "expected a header line such as 'Content-Length: 42', got " + quote(line));
        pos = eol + 2;
        if (pos - lead > kMaxHeaderBlock)
            return fail(Event::Kind::HeaderError, lead, "no end of the header block within 64 KiB");
    }
    std::string_view header = data.substr(lead, pos - lead);
    const size_t body_start = pos + 2;
    std::optional<size_t> length;
    for (size_t at = 0; at < header.size();) {
        size_t eol = header.find("\r\n", at);
        std::string_view line = header.substr(at, eol - at);
        at = eol + 2;
        size_t colon = line.find(':');
        std::string_view name = trim(line.substr(0, colon));
        std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "Content-Length")) {
            size_t n = 0;
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec == std::errc::result_out_of_range)
                return fail(Event::Kind::Oversized, lead,
                            "Content-Length " + quote(value) + " exceeds the limit of " +
                                std::to_string(max_body_) + " bytes");
            if (ec != std::errc() || ptr != value.data() + value.size())
                return fail(Event::Kind::HeaderError, lead,
                            "Content-Length must be a decimal byte count, got " + quote(value));
            if (length && *length != n)
                return fail(Event::Kind::HeaderError, lead, "two different Content-Length headers");
            length = n;
        } else if (iequals(name, "Content-Type")) {
            // Only UTF-8 is defined; "utf8" is accepted for compatibility, as the spec asks.
            auto charset = value.find("charset=");
            if (charset != std::string_view::npos) {
                std::string_view cs = trim(value.substr(charset + 8));
                if (!iequals(cs, "utf-8") && !iequals(cs, "utf8"))
                    return fail(Event::Kind::HeaderError, lead,
                                "unsupported charset " + quote(cs) + " (only utf-8)");
            }
        }
    }
    if (!length) return fail(Event::Kind::HeaderError, lead, "missing Content-Length header");
    if (*length > max_body_)
        return fail(Event::Kind::Oversized, lead,
                    "message of " + std::to_string(*length) + " bytes exceeds the limit of " +
                        std::to_string(max_body_) + " bytes");
    if (data.size() - body_start < *length) return std::nullopt;
    Event event{Event::Kind::Message, std::string(data.substr(body_start, *length)), {}};
    consumed_ += body_start + *length;
    compact();
    return event;
}

std::string frame(std::string_view body) {
    std::string out = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out.append(body);
    return out;
}

}  // namespace envbuilder::protocol
