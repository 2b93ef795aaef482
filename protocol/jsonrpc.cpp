#include "jsonrpc.h"

#include "json_nesting.h"

namespace envbuilder::protocol {

std::variant<Message, MessageError> parse_message(std::string_view body) {
    if (auto at = find_excess_nesting(body))
        return MessageError{ErrorCode::InvalidRequest,
                            "the message nests deeper than " + std::to_string(kMaxJsonDepth) +
                                " levels of arrays and objects (at byte " + std::to_string(*at) +
                                ")",
                            nullptr};
    Json j = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded())
        return MessageError{ErrorCode::ParseError, "the message body is not valid JSON", nullptr};
    if (!j.is_object())
        return MessageError{ErrorCode::InvalidRequest, "a message must be a JSON object", nullptr};
    RequestId id = nullptr;
    bool has_id = j.contains("id");
    if (has_id) {
        id = j["id"];
        if (!id.is_number_integer() && !id.is_string() && !id.is_null())
            return MessageError{ErrorCode::InvalidRequest, "\"id\" must be an integer or a string",
                                nullptr};
    }
    if (!j.contains("jsonrpc") || j["jsonrpc"] != "2.0")
        return MessageError{ErrorCode::InvalidRequest, "\"jsonrpc\" must be \"2.0\"", id};
    Json params = j.contains("params") ? j["params"] : Json();
    if (!params.is_null() && !params.is_object() && !params.is_array())
        return MessageError{ErrorCode::InvalidRequest, "\"params\" must be an object or an array",
                            id};
    if (j.contains("method")) {
        if (!j["method"].is_string())
            return MessageError{ErrorCode::InvalidRequest, "\"method\" must be a string", id};
        std::string method = j["method"];
        if (has_id && !id.is_null())
            return Message{Request{id, std::move(method), std::move(params)}};
        return Message{Notification{std::move(method), std::move(params)}};
    }
    if (has_id && (j.contains("result") || j.contains("error"))) {
        Response r{id, std::nullopt, std::nullopt};
        if (j.contains("error")) {
            const Json& e = j["error"];
            if (!e.is_object() || !e.contains("code") || !e["code"].is_number_integer())
                return MessageError{ErrorCode::InvalidRequest,
                                    "\"error\" must be an object with an integer code", id};
            r.error = ResponseError{static_cast<ErrorCode>(e["code"].get<int>()),
                                    e.value("message", std::string()),
                                    e.contains("data") ? e["data"] : Json()};
        } else {
            r.result = j["result"];
        }
        return Message{std::move(r)};
    }
    return MessageError{ErrorCode::InvalidRequest,
                        "a message needs a \"method\" or a \"result\"/\"error\"", id};
}

Json to_json(const Request& r) {
    Json j = {{"jsonrpc", "2.0"}, {"id", r.id}, {"method", r.method}};
    if (!r.params.is_null()) j["params"] = r.params;
    return j;
}

Json to_json(const Notification& n) {
    Json j = {{"jsonrpc", "2.0"}, {"method", n.method}};
    if (!n.params.is_null()) j["params"] = n.params;
    return j;
}

Json to_json(const Response& r) {
    Json j = {{"jsonrpc", "2.0"}, {"id", r.id}};
    if (r.error) {
        Json e = {{"code", static_cast<int>(r.error->code)}, {"message", r.error->message}};
        if (!r.error->data.is_null()) e["data"] = r.error->data;
        j["error"] = std::move(e);
    } else {
        j["result"] = r.result ? *r.result : Json();
    }
    return j;
}

Response success(const RequestId& id, Json result) {
    return Response{id, std::move(result), std::nullopt};
}

Response failure(const RequestId& id, ErrorCode code, std::string message, Json data) {
    return Response{id, std::nullopt, ResponseError{code, std::move(message), std::move(data)}};
}

}  // namespace envbuilder::protocol
