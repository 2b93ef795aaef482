#include "syntax/commands/copy_command.h"

#include <algorithm>
#include <cctype>

namespace envbuilder::dockerfile {

namespace {

std::string in_quotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::optional<std::string> checksum_problem(std::string_view v) {
    size_t colon = v.find(':');
    std::string_view algorithm = v.substr(0, colon);
    size_t want = algorithm == "sha256"   ? 64
                  : algorithm == "sha384" ? 96
                  : algorithm == "sha512" ? 128
                                          : 0;
    if (colon == std::string_view::npos || want == 0)
        return "--checksum takes sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>, not " +
               in_quotes(v);
    std::string_view hex = v.substr(colon + 1);
    for (char c : hex) {
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) continue;
        if (std::isxdigit(static_cast<unsigned char>(c)))
            return "--checksum digest must be lowercase hex";
        return "invalid character '" + std::string(1, c) +
               "' in --checksum digest (expected hex digits)";
    }
    if (hex.size() != want)
        return "a " + std::string(algorithm) + " checksum has " + std::to_string(want) +
               " hex digits, this one has " + std::to_string(hex.size());
    return std::nullopt;
}

// Appends `more`'s errors to `errors`.
template <typename T>
void take_errors(std::vector<CommandError>& errors, Parsed<T>&& more) {
    for (auto& e : more.errors) errors.push_back(std::move(e));
}

}  // namespace

Parsed<CopyCommand> parse_copy_command(const Instruction& ins) {
    Parsed<CopyCommand> out;
    CopyCommand& copy = out.value;
    copy.is_add = ins.kind == InstructionKind::Add;
    read_flags(ins, out.errors, [&](const Flag& flag, bool on) {
        const RawValue raw{flag.value.value_or(""), flag.value_range};
        if (flag.name == "from") {
            copy.from = raw;
            take_errors(out.errors, parse_copy_from(raw));
        } else if (flag.name == "chown") {
            copy.chown = raw;
            take_errors(out.errors, parse_chown(raw));
        } else if (flag.name == "chmod") {
            copy.chmod = raw;
            take_errors(out.errors, parse_chmod(raw));
        } else if (flag.name == "checksum") {
            copy.checksum = raw;
            take_errors(out.errors, parse_checksum(raw));
        } else if (flag.name == "exclude") {
            copy.excludes.push_back(raw);
        } else if (flag.name == "link") {
            copy.link = on;
        } else if (flag.name == "parents") {
            copy.parents = on;
        } else if (flag.name == "keep-git-dir") {
            copy.keep_git_dir = on;
        } else if (flag.name == "unpack") {
            copy.unpack = on;
        }
    });
    copy.exec_form = ins.is_exec_form();
    copy.words = ins.json ? *ins.json : ins.words;
    copy.heredocs = ins.heredocs;
    return out;
}

Parsed<std::optional<FileMode>> parse_chmod(const RawValue& raw, const std::string* expanded) {
    Parsed<std::optional<FileMode>> out;
    auto text = text_to_parse(raw, expanded);
    if (!text) return out;
    std::string problem;
    out.value = FileMode::parse(*text, &problem);
    if (!out.value) out.errors.push_back(value_error("chmod", raw, *text, problem));
    return out;
}

Parsed<std::string> parse_checksum(const RawValue& raw, const std::string* expanded) {
    return parse_text_value("checksum", raw, expanded, checksum_problem);
}

Parsed<std::string> parse_copy_from(const RawValue& raw, const std::string* expanded) {
    return parse_text_value("from", raw, expanded, [](std::string_view text) {
        std::optional<std::string> problem;
        if (text.empty() || !std::isalnum(static_cast<unsigned char>(text[0])))
            problem =
                "--from takes a stage name, a stage index or an image, which start with a "
                "letter or digit, not " +
                in_quotes(text);
        return problem;
    });
}

bool Chown::names_an_owner() const {
    return !text.empty() && !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == ':';
    });
}

Parsed<Chown> parse_chown(const RawValue& raw, const std::string* expanded) {
    Parsed<Chown> out;
    auto text = text_to_parse(raw, expanded);
    if (!text) return out;
    out.value.text = std::string(*text);
    const size_t colon = text->find(':');
    out.value.user = std::string(text->substr(0, colon));
    if (colon != std::string_view::npos) out.value.group = std::string(text->substr(colon + 1));
    return out;
}

}  // namespace envbuilder::dockerfile
