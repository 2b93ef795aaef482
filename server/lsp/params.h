#pragma once
// Strict reading of request params. Every number a client sends is checked before it sizes
// anything (an indentation unit, a position, a range), and a bad one is refused with
// InvalidParams naming the field and the allowed values, rather than silently converted (a
// tabSize of -4 read as unsigned would be a 4 GB indentation string).
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "protocol/jsonrpc.h"
#include "syntax/source_text.h"

namespace envbuilder::lsp {

// A handler's way of answering with a JSON-RPC error. A std::exception too, so that a
// notification handler (which has no one to answer) logs it like any other failure.
struct RpcError : std::runtime_error {
    RpcError(protocol::ErrorCode code, std::string message)
        : std::runtime_error(message), code(code), message(std::move(message)) {}
    protocol::ErrorCode code;
    std::string message;
};

// LSP's `uinteger` (0 .. 2^31 - 1).
inline constexpr int64_t kMaxUinteger = 2147483647;

// `object[key]` as an integer in [min, max]; `where` names the field in the error (e.g.
// "options.tabSize"). Throws RpcError(InvalidParams) if it is missing, not an integer or out
// of range.
int64_t read_integer(const protocol::Json& object, std::string_view key, std::string_view where,
                     int64_t min, int64_t max);
// Like read_integer, but a missing key gives `fallback`.
int64_t read_integer_or(const protocol::Json& object, std::string_view key, std::string_view where,
                        int64_t min, int64_t max, int64_t fallback);
// `object[key]` as a boolean, `fallback` when missing; anything else is refused.
bool read_bool_or(const protocol::Json& object, std::string_view key, std::string_view where,
                  bool fallback);
// An LSP Position {line, character}, each a uinteger; `where` names it (e.g. "position").
Position read_position(const protocol::Json& position, std::string_view where);

}  // namespace envbuilder::lsp
