#include "syntax/commands/command_error.h"

#include <cctype>
#include <set>

#include "syntax/instruction_flags.h"

namespace envbuilder::dockerfile {

std::optional<std::string_view> text_to_parse(const RawValue& raw, const std::string* expanded) {
    if (expanded) return std::string_view(*expanded);
    if (raw.has_variable()) return std::nullopt;
    return std::string_view(raw.text);
}

CommandError value_error(std::string_view flag, const RawValue& raw, std::string_view text,
                         std::string message, size_t begin, size_t end) {
    CommandError e;
    e.kind = CommandError::Kind::invalid_value;
    e.flag = std::string(flag);
    e.range = raw.range;
    e.message = std::move(message);
    e.value = std::string(text);
    e.begin = begin;
    e.end = end;
    return e;
}

Parsed<std::string> parse_text_value(
    std::string_view flag, const RawValue& raw, const std::string* expanded,
    const std::function<std::optional<std::string>(std::string_view text)>& problem) {
    Parsed<std::string> out;
    auto text = text_to_parse(raw, expanded);
    if (!text) return out;
    out.value = std::string(*text);
    if (auto what = problem(*text)) out.errors.push_back(value_error(flag, raw, *text, *what));
    return out;
}

namespace {

CommandError error_of(CommandError::Kind kind, std::string flag, Range range, std::string message,
                      std::string value) {
    CommandError e;
    e.kind = kind;
    e.flag = std::move(flag);
    e.range = range;
    e.message = std::move(message);
    e.value = std::move(value);
    return e;
}

}  // namespace

void read_flags(const Instruction& ins, std::vector<CommandError>& errors,
                const std::function<void(const Flag& flag, bool on)>& on_value) {
    std::set<std::string_view> seen;
    for (const Flag& flag : ins.flags) {
        const std::string dashed = "--" + flag.name;
        const FlagSpec* spec = find_flag(ins.kind, flag.name);
        if (!spec) {
            errors.push_back(error_of(CommandError::Kind::unknown_flag, flag.name, flag.range,
                                      "unknown flag " + dashed, dashed));
            continue;
        }
        if (spec->type != FlagType::Strings && !seen.insert(flag.name).second)
            errors.push_back(error_of(CommandError::Kind::duplicate_flag, flag.name, flag.range,
                                      dashed + " is given more than once; " +
                                          keyword_name(ins.kind) + " accepts it only once",
                                      dashed));
        if (spec->type == FlagType::Bool) {
            if (flag.value && flag.value->empty()) {
                errors.push_back(error_of(CommandError::Kind::missing_value, flag.name, flag.range,
                                          dashed + "= has an empty value: write " + dashed + ", " +
                                              dashed + "=true or " + dashed + "=false",
                                          dashed + "="));
                continue;
            }
            std::string value = flag.value.value_or("true");
            for (char& c : value)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (value != "true" && value != "false") {
                errors.push_back(
                    value_error(flag.name, {*flag.value, flag.value_range}, *flag.value,
                                dashed + " takes true or false, not '" + *flag.value + "'"));
                continue;
            }
            on_value(flag, value == "true");
            continue;
        }
        if (!flag.value || flag.value->empty()) {
            errors.push_back(error_of(
                CommandError::Kind::missing_value, flag.name, flag.range,
                flag.value ? dashed + "= has an empty value" : dashed + " needs a value", dashed));
            continue;
        }
        on_value(flag, true);
    }
}

}  // namespace envbuilder::dockerfile
