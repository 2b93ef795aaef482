#pragma once
// JSON-RPC 2.0 as LSP uses it: requests, notifications, responses, and the standard error codes.
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

namespace envbuilder::protocol {

using Json = nlohmann::json;

enum class ErrorCode : int {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    ServerNotInitialized = -32002,
    UnknownErrorCode = -32001,
    RequestFailed = -32803,
    ServerCancelled = -32802,
    ContentModified = -32801,
    RequestCancelled = -32800,
};

// A request id is a number or a string; kept as JSON so it round-trips exactly.
using RequestId = Json;

struct Request {
    RequestId id;
    std::string method;
    Json params;  // null when absent
};

struct Notification {
    std::string method;
    Json params;
};

struct ResponseError {
    ErrorCode code;
    std::string message;
    Json data;  // null when absent
};

struct Response {
    RequestId id;  // null when the request could not be read
    std::optional<Json> result;
    std::optional<ResponseError> error;
};

using Message = std::variant<Request, Notification, Response>;

struct MessageError {
    ErrorCode code;  // ParseError or InvalidRequest
    std::string message;
    RequestId id;  // when it could be read, so the error can be answered
};

// Reads one message body. Never throws. A body nested deeper than kMaxJsonDepth
// (json_nesting.h) is refused with InvalidRequest before it is parsed.
std::variant<Message, MessageError> parse_message(std::string_view body);

Json to_json(const Request& r);
Json to_json(const Notification& n);
Json to_json(const Response& r);

Response success(const RequestId& id, Json result);
Response failure(const RequestId& id, ErrorCode code, std::string message, Json data = nullptr);

}  // namespace envbuilder::protocol
