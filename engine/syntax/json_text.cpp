#include "syntax/json_text.h"

#include <cstdint>
#include <vector>

namespace envbuilder {

std::string json_text(const nlohmann::json& value, int indent) {
    return value.dump(indent, ' ', /*ensure_ascii=*/false,
                      nlohmann::json::error_handler_t::replace);
}

namespace {
// The length of the well-formed UTF-8 sequence at bytes[i], or 0 if there is none.
size_t sequence_at(std::string_view bytes, size_t i) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    if (lead < 0x80) return 1;
    size_t length;
    uint32_t code_point;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        code_point = lead & 0x07;
    } else {
        return 0;
    }
    if (i + length > bytes.size()) return 0;
    for (size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(bytes[i + k]);
        if ((next & 0xC0) != 0x80) return 0;
        code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallest[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF))
        return 0;
    return length;
}
}  // namespace

bool is_valid_utf8(std::string_view bytes) {
    for (size_t i = 0; i < bytes.size();) {
        size_t n = sequence_at(bytes, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string replace_invalid_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        size_t n = sequence_at(bytes, i);
        if (n == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        } else {
            out.append(bytes.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string exact_key_text(const nlohmann::json& strings) {
    std::string text = json_text(strings);
    // The strings: `strings` itself or the items of an array of them (one level, no recursion).
    std::vector<const std::string*> items;
    if (strings.is_string()) items.push_back(&strings.get_ref<const std::string&>());
    if (strings.is_array())
        for (const auto& item : strings)
            if (item.is_string()) items.push_back(&item.get_ref<const std::string&>());
    bool all_valid = true;
    for (const std::string* item : items) all_valid = all_valid && is_valid_utf8(*item);
    if (all_valid) return text;
    static const char* hex = "0123456789abcdef";
    text += " bytes:";
    for (const std::string* item : items) {
        text += ' ';
        for (unsigned char c : *item) {
            text.push_back(hex[c >> 4]);
            text.push_back(hex[c & 15]);
        }
        text += '.';  // ends every string, so that where one ends and the next begins is fixed
    }
    return text;
}

}  // namespace envbuilder
