#pragma once
// The one way bytes become JSON text. Strings in our values can hold any bytes (a Latin-1
// comment in a Dockerfile, a RUN that prints ISO-8859-1, a file name), but JSON text must be
// UTF-8 and nlohmann's dump() throws type_error.316 on the first invalid byte. Every JSON we
// write (build events, lint and SARIF output, LSP messages, image configs) goes through here,
// where each invalid byte becomes U+FFFD; the raw bytes stay untouched wherever they are data
// (the RUN argv, file contents).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace envbuilder {

// `value` as JSON text, compact (indent < 0) or pretty-printed; never throws on bad UTF-8.
std::string json_text(const nlohmann::json& value, int indent = -1);

// Whether `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// `bytes` with every byte that does not belong to a well-formed UTF-8 sequence replaced by
// U+FFFD; for text that must become UTF-8 before it is parsed as JSON.
std::string replace_invalid_utf8(std::string_view bytes);

// A lossless, unambiguous text for a string or an array of strings that may not be UTF-8, for
// cache keys: their JSON when all are UTF-8 (so existing keys do not change), otherwise that
// JSON followed by the hex of every string's bytes, so that two strings differing only in
// invalid bytes (both U+FFFD in JSON) never share a key.
std::string exact_key_text(const nlohmann::json& strings);

}  // namespace envbuilder
