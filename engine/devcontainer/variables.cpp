// ${...} references in string values. The devcontainer CLI replaces the forms below and leaves
// anything else untouched, so an unknown name is usually a typo that silently stays literal.
#include <algorithm>
#include <array>

#include "devcontainer/detail.h"
#include "devcontainer/devcontainer.h"

namespace envbuilder::devcontainer::detail {

namespace {

using jsonc::Member;
using jsonc::Value;

constexpr std::array<std::string_view, 5> kPlainVariables = {
    "localWorkspaceFolder", "containerWorkspaceFolder", "localWorkspaceFolderBasename",
    "containerWorkspaceFolderBasename", "devcontainerId"};
// "env" is the CLI's older alias of localEnv and still works.
constexpr std::array<std::string_view, 3> kEnvVariables = {"localEnv", "containerEnv", "env"};

const std::vector<std::string_view>& all_variable_names() {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v(kPlainVariables.begin(), kPlainVariables.end());
        v.insert(v.end(), kEnvVariables.begin(), kEnvVariables.end() - 1);  // don't suggest the alias
        return v;
    }();
    return names;
}

// Lifecycle commands run in a shell, where ${HOME} is ordinary shell syntax; customizations hold
// tool settings with the tools' own variables (e.g. VS Code's ${workspaceFolder}). There, only
// near-misses of our names are reported.
bool is_lenient_property(std::string_view key) {
    return key == "initializeCommand" || key == "onCreateCommand" || key == "updateContentCommand" ||
           key == "postCreateCommand" || key == "postStartCommand" || key == "postAttachCommand" ||
           key == "customizations";
}

bool looks_like_env_name(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// Why `${inner}` is wrong, or an empty string when it is fine.
std::string problem_with(std::string_view inner, bool lenient) {
    size_t colon = inner.find(':');
    std::string_view name = inner.substr(0, colon);
    std::string written = "${" + std::string(inner) + "}";
    if (std::find(kPlainVariables.begin(), kPlainVariables.end(), name) != kPlainVariables.end()) {
        if (colon != std::string_view::npos) return "\"" + written + "\": ${" + std::string(name) + "} takes no argument";
        return {};
    }
    if (std::find(kEnvVariables.begin(), kEnvVariables.end(), name) != kEnvVariables.end()) {
        std::string_view rest = colon == std::string_view::npos ? std::string_view{} : inner.substr(colon + 1);
        std::string_view variable = rest.substr(0, rest.find(':'));
        if (variable.empty())
            return "\"" + written + "\" names no environment variable: write ${" + std::string(name) + ":NAME}";
        return {};
    }
    std::string_view guess = closest_match(name, all_variable_names());
    if (lenient && guess.empty()) return {};
    std::string message = "Unknown variable \"" + written + "\"";
    if (!guess.empty()) return message + ": did you mean ${" + std::string(guess) + "}?";
    if (looks_like_env_name(inner))
        return message + ": for an environment variable write ${localEnv:" + std::string(inner) +
               "} (host) or ${containerEnv:" + std::string(inner) + "} (container)";
    return message + ": known variables are localEnv, containerEnv, localWorkspaceFolder, "
                     "containerWorkspaceFolder, their ...Basename forms and devcontainerId";
}

class VariableChecker {
public:
    VariableChecker(const SourceText& text, Reporter& report) : text_(text), src_(text.text()), report_(report) {}

    void walk(const Value& v, bool lenient) {
        switch (v.kind) {
            case jsonc::Kind::String: check_string(v, lenient); break;
            case jsonc::Kind::Array:
                for (const Value& item : v.items) walk(item, lenient);
                break;
            case jsonc::Kind::Object:
                for (const Member& m : v.members) walk(m.value, lenient);
                break;
            default: break;
        }
    }

    void walk_root(const Value& root) {
        if (!root.is_object()) return walk(root, false);
        for (const Member& m : root.members) walk(m.value, is_lenient_property(m.key));
    }

private:
    // Scans the string as written in the source, so each finding maps to an exact range even
    // when escapes elsewhere in the string make the decoded text shorter.
    void check_string(const Value& v, bool lenient) {
        if (v.string.find("${") == std::string::npos) return;  // cheap common case
        if (v.end_byte > src_.size() || v.end_byte < v.start_byte + 2) return;
        std::string_view raw = src_.substr(v.start_byte, v.end_byte - v.start_byte);
        if (raw.front() != '"') return;
        std::string_view body = raw.substr(1, raw.size() - (raw.back() == '"' ? 2 : 1));
        size_t body_offset = v.start_byte + 1;
        for (size_t open = body.find("${"); open != std::string_view::npos; open = body.find("${", open + 2)) {
            size_t close = body.find('}', open + 2);
            if (close == std::string_view::npos) {
                add(body_offset + open, body_offset + body.size(),
                    "Variable reference \"" + std::string(body.substr(open, 24)) + "\" is not closed: add '}'");
                return;
            }
            std::string_view inner = body.substr(open + 2, close - open - 2);
            // An escape inside the braces would need decoding first; such text is rare enough to skip.
            if (inner.find('\\') == std::string_view::npos) {
                std::string problem = problem_with(inner, lenient);
                if (!problem.empty()) add(body_offset + open, body_offset + close + 1, std::move(problem));
            }
            open = close - 1;  // the next search starts after '}'
        }
    }

    void add(size_t start, size_t end, std::string message) {
        report_.add(codes::InvalidVariable, Severity::Warning, {text_.position_at(start), text_.position_at(end)},
                    std::move(message));
    }

    const SourceText& text_;
    std::string_view src_;
    Reporter& report_;
};

}  // namespace

void check_variables(const Value& root, const SourceText& text, Reporter& report) {
    VariableChecker(text, report).walk_root(root);
}

}  // namespace envbuilder::devcontainer::detail
