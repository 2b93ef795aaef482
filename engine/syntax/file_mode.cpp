#include "syntax/file_mode.h"

#include <algorithm>

namespace envbuilder::dockerfile {

namespace {

constexpr uint32_t kUser = 4, kGroup = 2, kOther = 1;

// The read, write and execute bits of the classes in `who`, from one class's rwx triple.
uint32_t spread(uint32_t who, uint32_t rwx) {
    return ((who & kUser) ? rwx << 6 : 0) | ((who & kGroup) ? rwx << 3 : 0) |
           ((who & kOther) ? rwx : 0);
}

// Every bit `=` clears for the classes in `who`: rwx and the class's special bit.
uint32_t class_bits(uint32_t who) {
    return spread(who, 07) | ((who & kUser) ? 04000 : 0) | ((who & kGroup) ? 02000 : 0) |
           ((who & kOther) ? 01000 : 0);
}

uint32_t class_of(char c) {
    return c == 'u' ? kUser : c == 'g' ? kGroup : c == 'o' ? kOther : 0;
}

}  // namespace

std::optional<FileMode> FileMode::parse(std::string_view text, std::string* problem) {
    FileMode mode;
    mode.text_ = std::string(text);
    auto refuse = [&](std::string why) -> std::optional<FileMode> {
        if (problem)
            *problem =
                "--chmod takes an octal mode up to 07777 (e.g. 0644) or a symbolic one "
                "(e.g. u+x), not '" +
                std::string(text) + "'" + (why.empty() ? "" : ": " + why);
        return std::nullopt;
    };
    if (text.empty()) return refuse("");
    if (std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '7'; })) {
        uint32_t value = 0;
        for (char c : text) {
            value = value * 8 + static_cast<uint32_t>(c - '0');
            if (value > 07777) return refuse("it is above 07777");
        }
        mode.octal_ = value;
        return mode;
    }
    // clause[,clause]..., clause = [ugoa]* (op (perms | one of ugo))+
    size_t i = 0;
    while (true) {
        uint32_t who = 0;
        for (; i < text.size() && std::string_view("ugoa").find(text[i]) != std::string_view::npos;
             ++i)
            who |= text[i] == 'a' ? (kUser | kGroup | kOther) : class_of(text[i]);
        if (who == 0) who = kUser | kGroup | kOther;
        bool any_action = false;
        while (i < text.size() && (text[i] == '+' || text[i] == '-' || text[i] == '=')) {
            Action action;
            action.op = text[i++];
            action.who = who;
            if (i < text.size() && class_of(text[i])) {
                action.copy_from = text[i++];
            } else {
                for (; i < text.size() &&
                       std::string_view("rwxXst").find(text[i]) != std::string_view::npos;
                     ++i)
                    action.perms.push_back(text[i]);
            }
            mode.actions_.push_back(action);
            any_action = true;
        }
        if (!any_action) return refuse("each clause needs +, - or =");
        if (i == text.size()) return mode;
        if (text[i] != ',') return refuse("unexpected '" + std::string(1, text[i]) + "'");
        ++i;
    }
}

uint32_t FileMode::apply(uint32_t current, bool directory) const {
    if (octal_) return *octal_;
    uint32_t mode = current & 07777;
    for (const Action& action : actions_) {
        uint32_t bits = 0;
        if (action.copy_from) {
            const uint32_t shift = action.copy_from == 'u' ? 6 : action.copy_from == 'g' ? 3 : 0;
            bits = spread(action.who, (mode >> shift) & 07);
        } else {
            for (char p : action.perms) {
                if (p == 'r') bits |= spread(action.who, 04);
                if (p == 'w') bits |= spread(action.who, 02);
                if (p == 'x') bits |= spread(action.who, 01);
                if (p == 'X' && (directory || (mode & 0111))) bits |= spread(action.who, 01);
                if (p == 's')
                    bits |=
                        ((action.who & kUser) ? 04000 : 0) | ((action.who & kGroup) ? 02000 : 0);
                if (p == 't' && (action.who & kOther)) bits |= 01000;
            }
        }
        if (action.op == '+') mode |= bits;
        if (action.op == '-') mode &= ~bits;
        if (action.op == '=') mode = (mode & ~class_bits(action.who)) | bits;
    }
    return mode;
}

}  // namespace envbuilder::dockerfile
