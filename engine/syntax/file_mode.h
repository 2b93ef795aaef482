#pragma once
// COPY/ADD --chmod: an octal mode (0644) or a chmod(1) symbolic one (u+x, go-w, a=rX), which
// Dockerfile 1.14 accepts. Parsed once here for lint and the executor alike.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::dockerfile {

class FileMode {
  public:
    // nullopt with `problem` set when `text` is neither form.
    static std::optional<FileMode> parse(std::string_view text, std::string* problem = nullptr);

    // The permission bits (07777) a file whose bits are `current` gets. An octal mode replaces
    // them; a symbolic one changes them clause by clause (X: execute only for directories and
    // files that are executable for someone already). With no [ugoa], a clause applies to all:
    // a build has no umask to respect.
    uint32_t apply(uint32_t current, bool directory) const;

    bool is_octal() const { return octal_.has_value(); }
    const std::string& text() const { return text_; }

  private:
    struct Action {
        char op = '+';       // + - =
        uint32_t who = 0;    // bits of u (4), g (2), o (1)
        std::string perms;   // of r w x X s t
        char copy_from = 0;  // u, g or o for `g=u`; 0 otherwise
    };
    std::string text_;
    std::optional<uint32_t> octal_;
    std::vector<Action> actions_;
};

}  // namespace envbuilder::dockerfile
