#include "syntax/json_bounded.h"

namespace envbuilder {

nlohmann::json parse_json_bounded(std::string_view text, size_t max_depth) {
    bool too_deep = false;
    // The callback sees each value's depth as the parser (iteratively) reaches it; refusing the
    // deep ones keeps them out of the tree, and the flag refuses the document.
    auto limit = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
        if ((event == nlohmann::json::parse_event_t::object_start ||
             event == nlohmann::json::parse_event_t::array_start) &&
            static_cast<size_t>(depth) >= max_depth) {
            too_deep = true;
            return false;
        }
        return !too_deep;
    };
    nlohmann::json value =
        nlohmann::json::parse(text.begin(), text.end(), limit, /*allow_exceptions=*/false);
    if (too_deep) return nlohmann::json(nlohmann::json::value_t::discarded);
    return value;
}

}  // namespace envbuilder
