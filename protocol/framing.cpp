#include "framing.h"

#include <cctype>
#include <charconv>

namespace envbuilder::protocol {

namespace {
bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}
}  // namespace

void MessageReader::compact() {
    // Drop consumed bytes now and then rather than on every message.
    if (consumed_ > 64 * 1024 && consumed_ * 2 > buffer_.size()) {
        buffer_.erase(0, consumed_);
        consumed_ = 0;
    }
}

std::optional<MessageReader::Event> MessageReader::next() {
    if (skip_remaining_) {
        size_t available = buffer_.size() - consumed_;
        size_t n = std::min(available, skip_remaining_);
        consumed_ += n;
        skip_remaining_ -= n;
        compact();
        if (skip_remaining_) return std::nullopt;
    }
    std::string_view data(buffer_);
    data.remove_prefix(consumed_);
    // Tolerate stray line breaks between messages.
    size_t lead = 0;
    while (lead < data.size() && (data[lead] == '\r' || data[lead] == '\n')) ++lead;
    size_t end = data.find("\r\n\r\n", lead);
    if (end == std::string_view::npos) {
        // A header block this long is no header: report it and drop what we have.
        if (data.size() > 64 * 1024) {
            consumed_ = buffer_.size();
            compact();
            return Event{Event::Kind::HeaderError, {}, "no end of header within 64 KiB"};
        }
        return std::nullopt;
    }
    std::string_view header = data.substr(lead, end - lead);
    size_t body_start = end + 4;
    std::optional<size_t> length;
    std::string problem;
    size_t pos = 0;
    while (pos <= header.size()) {
        size_t eol = header.find("\r\n", pos);
        if (eol == std::string_view::npos) eol = header.size();
        std::string_view line = header.substr(pos, eol - pos);
        pos = eol + 2;
        if (line.empty()) continue;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            problem = "header line without ':': '" + std::string(line.substr(0, 80)) + "'";
            break;
        }
        std::string_view name = trim(line.substr(0, colon));
        std::string_view value = trim(line.substr(colon + 1));
        if (iequals(name, "Content-Length")) {
            size_t n = 0;
            auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || ptr != value.data() + value.size()) {
                problem = "Content-Length is not a number: '" + std::string(value.substr(0, 40)) + "'";
                break;
            }
            length = n;
        } else if (iequals(name, "Content-Type")) {
            // Only UTF-8 is defined; "utf8" is accepted for compatibility, as the spec asks.
            auto charset = value.find("charset=");
            if (charset != std::string_view::npos) {
                std::string_view cs = trim(value.substr(charset + 8));
                if (!iequals(cs, "utf-8") && !iequals(cs, "utf8")) {
                    problem = "unsupported charset '" + std::string(cs) + "' (only utf-8)";
                    break;
                }
            }
        }
    }
    if (problem.empty() && !length) problem = "missing Content-Length header";
    if (!problem.empty()) {
        consumed_ += body_start;
        compact();
        return Event{Event::Kind::HeaderError, {}, problem};
    }
    if (*length > max_body_) {
        consumed_ += body_start;
        skip_remaining_ = *length;
        size_t available = buffer_.size() - consumed_;
        size_t n = std::min(available, skip_remaining_);
        consumed_ += n;
        skip_remaining_ -= n;
        compact();
        return Event{Event::Kind::Oversized, {}, "message of " + std::to_string(*length) + " bytes exceeds the limit"};
    }
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
