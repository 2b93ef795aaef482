#pragma once
// What the typed instructions (syntax/commands/*_command.h) share: errors that carry the range
// they are about, flag values kept as written where BuildKit expands variables before reading
// them, and the reading of an instruction's flags against the one flag table
// (syntax/instruction_flags.h). Lint reports the errors; the executor fails on the first one and
// reads the values.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/dockerfile_ast.h"

namespace envbuilder::dockerfile {

struct CommandError {
    enum class Kind {
        unknown_flag,    // a flag the instruction does not declare
        duplicate_flag,  // a second --network (only the Strings flags repeat); fails the build
        missing_value,   // `--from`, `--from=` (and `--link=`)
        invalid_value,   // a value the flag does not take
        arguments,       // about the instruction's arguments rather than a flag
    };
    Kind kind = Kind::invalid_value;
    std::string flag;  // the flag's name without "--"; "" for an error about the arguments
    Range range;       // the flag's value (the whole flag for unknown/missing ones)
    std::string message;
    // The value as the error read it; [begin, end) is the part of it the error is about (the
    // whole value by default). Lint maps the part onto the source when the value was written
    // without quotes.
    std::string value;
    size_t begin = 0, end = std::string::npos;
    std::optional<std::string> suggestion;  // a replacement for `range` ("did you mean")
};

template <typename T>
struct Parsed {
    T value{};
    std::vector<CommandError> errors;
    bool ok() const { return errors.empty(); }
};

// A flag value as written. BuildKit expands the variables of some flags (--mount, --from,
// --chown, --chmod, --checksum, --exclude, --platform) before it reads them, so the typed command
// keeps their text; each has a parse function that takes the expanded text (the executor) or
// none (lint, which then leaves values holding a `$` alone).
struct RawValue {
    std::string text;
    Range range;
    bool has_variable() const { return text.find('$') != std::string::npos; }
};

// The text a value parser reads: the expanded text when given, else the raw one; nullopt when
// there is only raw text holding a variable (nothing can be said before expansion).
std::optional<std::string_view> text_to_parse(const RawValue& raw, const std::string* expanded);

// An error about `raw`'s value (or the part [begin, end) of `text`).
CommandError value_error(std::string_view flag, const RawValue& raw, std::string_view text,
                         std::string message, size_t begin = 0, size_t end = std::string::npos);

// A text-valued flag's parser: the text (see text_to_parse) as the value, with what `problem`
// finds wrong in it as the error.
Parsed<std::string> parse_text_value(
    std::string_view flag, const RawValue& raw, const std::string* expanded,
    const std::function<std::optional<std::string>(std::string_view text)>& problem);

// Reads `ins.flags` against the flag table: unknown flags, missing values and booleans become
// errors, and so does a second occurrence of a flag that is not a Strings one (BuildKit fails the
// build on it). `on_value` gets every declared flag that has a usable value, in order, repeated
// ones included (so that each is checked); `on` is a bool flag's value.
void read_flags(const Instruction& ins, std::vector<CommandError>& errors,
                const std::function<void(const Flag& flag, bool on)>& on_value);

}  // namespace envbuilder::dockerfile
