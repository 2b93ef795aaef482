#pragma once
// COPY and ADD [flags] source... destination: read once from the syntax tree for lint and the
// executor alike. The flags BuildKit expands (--from, --chown, --chmod, --checksum, --exclude)
// are kept as written, each with the parser its expanded text goes through.
#include <optional>
#include <vector>

#include "syntax/commands/command_error.h"
#include "syntax/file_mode.h"

namespace envbuilder::dockerfile {

struct CopyCommand {
    bool is_add = false;
    std::optional<RawValue> from, chown, chmod, checksum;
    std::vector<RawValue> excludes;
    bool link = false, parents = false, keep_git_dir = false;
    std::optional<bool> unpack;  // ADD --unpack; unset: archives from the context are unpacked
    bool exec_form = false;
    // Sources then the destination, as written (the exec form's decoded); heredoc markers
    // included (`<<EOF` names one of `heredocs`).
    std::vector<Word> words;
    std::vector<Heredoc> heredocs;
};

// COPY or ADD. Flags against the table and the booleans; then each expanded flag's parser on
// the text as written, unless it holds a variable.
Parsed<CopyCommand> parse_copy_command(const Instruction& ins);

// --chmod: octal or symbolic (syntax/file_mode).
Parsed<std::optional<FileMode>> parse_chmod(const RawValue& raw,
                                            const std::string* expanded = nullptr);
// ADD --checksum: sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>.
Parsed<std::string> parse_checksum(const RawValue& raw, const std::string* expanded = nullptr);
// COPY --from: a stage name, a stage index or an image, which start with a letter or digit.
Parsed<std::string> parse_copy_from(const RawValue& raw, const std::string* expanded = nullptr);

// --chown user[:group], by name or number.
struct Chown {
    std::string text;  // as given, which the executor resolves in the stage's passwd and group
    std::string user;
    std::optional<std::string> group;
    // Whether a name (not only numbers) is given: it is looked up in the stage's /etc/passwd and
    // /etc/group, so a --link layer depends on the stage after all.
    bool names_an_owner() const;
};
Parsed<Chown> parse_chown(const RawValue& raw, const std::string* expanded = nullptr);

}  // namespace envbuilder::dockerfile
