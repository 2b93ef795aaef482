#include "lsp/params.h"

namespace envbuilder::lsp {

using protocol::ErrorCode;
using protocol::Json;

namespace {
[[noreturn]] void refuse(std::string_view where, const std::string& what) {
    throw RpcError{ErrorCode::InvalidParams, std::string(where) + " " + what};
}
}  // namespace

int64_t read_integer(const Json& object, std::string_view key, std::string_view where, int64_t min,
                     int64_t max) {
    if (!object.is_object()) refuse(where, "belongs in an object, which is missing");
    auto it = object.find(key);
    if (it == object.end()) refuse(where, "is missing");
    const std::string range = "from " + std::to_string(min) + " to " + std::to_string(max);
    // An unsigned above INT64_MAX is out of range too; a float with an integral value is not an
    // integer in JSON-RPC terms either, so both are refused.
    if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(max))
        refuse(where, "must be an integer " + range + ", got " + it->dump());
    if (!it->is_number_integer())
        refuse(where, "must be an integer " + range + ", got " + std::string(it->type_name()));
    int64_t value = it->get<int64_t>();
    if (value < min || value > max)
        refuse(where, "must be an integer " + range + ", got " + std::to_string(value));
    return value;
}

int64_t read_integer_or(const Json& object, std::string_view key, std::string_view where,
                        int64_t min, int64_t max, int64_t fallback) {
    if (object.is_object() && !object.contains(key)) return fallback;
    return read_integer(object, key, where, min, max);
}

bool read_bool_or(const Json& object, std::string_view key, std::string_view where, bool fallback) {
    if (!object.is_object()) refuse(where, "belongs in an object, which is missing");
    auto it = object.find(key);
    if (it == object.end()) return fallback;
    if (!it->is_boolean())
        refuse(where, "must be true or false, got " + std::string(it->type_name()));
    return it->get<bool>();
}

Position read_position(const Json& position, std::string_view where) {
    if (!position.is_object()) refuse(where, "must be an object {line, character}");
    const std::string prefix(where);
    return Position{
        static_cast<uint32_t>(read_integer(position, "line", prefix + ".line", 0, kMaxUinteger)),
        static_cast<uint32_t>(
            read_integer(position, "character", prefix + ".character", 0, kMaxUinteger))};
}

}  // namespace envbuilder::lsp
