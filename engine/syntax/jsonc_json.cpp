#include "syntax/jsonc_json.h"

#include <cmath>

namespace envbuilder::jsonc {

nlohmann::ordered_json to_json(const Value& value) {
    switch (value.kind) {
        case Kind::Null:
        case Kind::Invalid:
            return nullptr;
        case Kind::Boolean:
            return value.boolean;
        case Kind::Number:
            // Integers stay integers, so that 18 is written back as 18, not 18.0.
            if (value.is_integer() && std::fabs(value.number) < 9.0e15)
                return static_cast<int64_t>(value.number);
            return value.number;
        case Kind::String:
            return value.string;
        case Kind::Array: {
            auto array = nlohmann::ordered_json::array();
            for (const Value& item : value.items) array.push_back(to_json(item));
            return array;
        }
        case Kind::Object: {
            auto object = nlohmann::ordered_json::object();
            for (const Member& member : value.members) object[member.key] = to_json(member.value);
            return object;
        }
    }
    return nullptr;
}

}  // namespace envbuilder::jsonc
