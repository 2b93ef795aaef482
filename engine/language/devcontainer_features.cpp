// devcontainer.json hover, completion and document symbols. All three read tokens with a small
// lexer of their own instead of the jsonc tree: what is being typed is seldom valid JSON, and
// jsonc::parse falls back to tree-sitter for any flaw, which costs over a millisecond on a large
// file. One pass over the text per call, no allocation per character.
#include "language/devcontainer_features.h"

#include <algorithm>

#include "devcontainer/devcontainer.h"

namespace envbuilder::language {

using devcontainer::PropertyInfo;
using devcontainer::ValueShape;

namespace {

struct VariableInfo {
    std::string_view name;
    bool takes_name;  // ${name:VARIABLE}
    std::string_view description;
};

struct FeatureInfo {
    std::string_view name;  // under ghcr.io/devcontainers/features/
    std::string_view major;
    std::string_view description;
};

const PropertyInfo* find_in(const std::vector<PropertyInfo>& table, std::string_view name) {
    for (const PropertyInfo& p : table)
        if (p.name == name) return &p;
    return nullptr;
}

// Walked segment by segment rather than through find_property(): port keys may hold dots
// ("^python .*"), which a dotted path cannot carry.
const std::vector<PropertyInfo>* members_at(const std::vector<std::string>& path) {
    const std::vector<PropertyInfo>* table = &devcontainer::devcontainer_properties();
    bool skip = false;  // the next segment is a map key or an array index, not a property name
    for (const std::string& segment : path) {
        if (skip) {
            skip = false;
            continue;
        }
        if (!table) return nullptr;
        const PropertyInfo* p = find_in(*table, segment);
        if (!p) return nullptr;
        table = p->children;
        skip = p->shape == ValueShape::PortAttributesMap || p->shape == ValueShape::Secrets ||
               p->shape == ValueShape::Mounts;
    }
    // Still expecting a key: the object is a map (portsAttributes, secrets) or the mounts array.
    return skip ? nullptr : table;
}

const PropertyInfo* property_at(const std::vector<std::string>& path, std::string_view key) {
    const std::vector<PropertyInfo>* table = members_at(path);
    return table ? find_in(*table, key) : nullptr;
}

const std::vector<VariableInfo>& variables() {
    static const std::vector<VariableInfo> table = {
        {"localEnv", true,
         "An environment variable of the host, i.e. the machine running the tool that reads "
         "devcontainer.json. Unset variables become an empty string, or the default given as "
         "`${localEnv:NAME:default}`."},
        {"containerEnv", true,
         "An environment variable of the running container. It only resolves where values are "
         "used after the container exists, such as remoteEnv and lifecycle commands; a default "
         "can follow a second colon."},
        {"localWorkspaceFolder", false,
         "Absolute path, on the host, of the folder opened as the workspace."},
        {"containerWorkspaceFolder", false, "Path inside the container where the workspace is."},
        {"localWorkspaceFolderBasename", false,
         "Last path component of localWorkspaceFolder: the workspace folder's own name on the "
         "host."},
        {"containerWorkspaceFolderBasename", false,
         "Last path component of containerWorkspaceFolder: the workspace folder's own name in "
         "the container."},
        {"devcontainerId", false,
         "An identifier of this dev container that survives rebuilds, computed from the labels "
         "that tie the container to its configuration. Handy for naming volumes."},
    };
    return table;
}

const std::vector<FeatureInfo>& well_known_features() {
    // Major versions as published in github.com/devcontainers/features.
    static const std::vector<FeatureInfo> table = {
        {"common-utils", "2", "Common command-line tools, a non-root user and optional Zsh setup."},
        {"git", "1", "A recent Git, from packages or built from source."},
        {"github-cli", "1", "The GitHub CLI (gh)."},
        {"docker-in-docker", "2", "A separate Docker daemon running inside the container."},
        {"docker-outside-of-docker", "1", "The Docker CLI, talking to the host's Docker daemon."},
        {"node", "1", "Node.js through nvm, with npm and optionally yarn and pnpm."},
        {"python", "1", "Python with pip and common development tools."},
        {"go", "1", "The Go toolchain and common Go tools."},
        {"rust", "1", "Rust through rustup, with cargo."},
        {"java", "1", "A JDK through SDKMAN!, optionally Maven and Gradle."},
        {"dotnet", "2", "The .NET SDK and runtimes."},
        {"azure-cli", "1", "The Azure CLI (az)."},
        {"aws-cli", "1", "The AWS CLI, version 2."},
        {"kubectl-helm-minikube", "1", "kubectl, Helm and minikube for Kubernetes work."},
        {"terraform", "1", "Terraform, optionally with TFLint and Terragrunt."},
        {"sshd", "1", "An SSH server, for tools that connect over SSH."},
        {"desktop-lite", "1", "A light desktop environment reachable through VNC or a browser."},
        {"nvidia-cuda", "1", "NVIDIA CUDA libraries, for containers with a GPU."},
        {"conda", "1", "The Conda package and environment manager."},
        {"powershell", "1", "PowerShell."},
        {"ruby", "1", "Ruby through rvm, with common gems."},
        {"php", "1", "PHP with Composer."},
    };
    return table;
}

std::string feature_id(const FeatureInfo& f) {
    return "ghcr.io/devcontainers/features/" + std::string(f.name) + ":" + std::string(f.major);
}

constexpr std::string_view kFeaturesNote =
    "Features are reusable install units (a script plus metadata) that are added to the image "
    "when the dev container is built; the value holds the feature's options.";

std::string code(std::string_view text) {
    if (text.find('`') == std::string_view::npos) return "`" + std::string(text) + "`";
    return "`` " + std::string(text) + " ``";
}

// "build.dockerfile", "portsAttributes.3000.label", "mounts[].type".
std::string display_path(const std::vector<std::string>& path, std::string_view key) {
    std::string out;
    for (const std::string& s : path) {
        if (s == "*") {
            out += "[]";
            continue;
        }
        if (!out.empty()) out += '.';
        out += s;
    }
    if (!out.empty()) out += '.';
    out += key;
    return out;
}

std::string property_markdown(const PropertyInfo& p, const std::string& path) {
    std::string md =
        "**" + code(path) + "** — " + code(p.type) + "\n\n" + std::string(p.description);
    if (!p.allowed_values.empty()) {
        md += "\n\nAllowed values: ";
        for (size_t i = 0; i < p.allowed_values.size(); ++i) {
            if (i) md += ", ";
            md += code(p.allowed_values[i]);
        }
    }
    if (p.deprecated()) md += "\n\n**Deprecated:** use " + code(p.replaced_by) + " instead.";
    return md;
}

std::string feature_markdown(const std::string& id) {
    std::string problem;
    std::string md = "**Feature** " + code(id) + "\n\n";
    switch (devcontainer::classify_feature_id(id, &problem)) {
        case devcontainer::FeatureIdKind::Oci: {
            std::string_view rest = id;
            std::string version = "latest (no tag given)";
            if (size_t at = rest.find('@'); at != std::string_view::npos) {
                version = "digest " + code(rest.substr(at + 1));
                rest = rest.substr(0, at);
            } else if (size_t colon = rest.rfind(':');
                       colon != std::string_view::npos && colon > rest.rfind('/')) {
                version = code(rest.substr(colon + 1));
                rest = rest.substr(0, colon);
            }
            size_t first = rest.find('/'), last = rest.rfind('/');
            md += "OCI reference, fetched from a container registry: registry " +
                  code(rest.substr(0, first)) + ", namespace " +
                  code(rest.substr(first + 1, last - first - 1)) + ", name " +
                  code(rest.substr(last + 1)) + ", version " + version + ".";
            break;
        }
        case devcontainer::FeatureIdKind::LocalPath:
            md +=
                "Local feature: a folder next to devcontainer.json holding "
                "devcontainer-feature.json and install.sh.";
            break;
        case devcontainer::FeatureIdKind::TarballUrl:
            md += "Tarball URL: the feature is downloaded as an archive from this https address.";
            break;
        case devcontainer::FeatureIdKind::Invalid:
            md += "Not a valid feature id: " + problem + ".";
            break;
    }
    return md + "\n\n" + std::string(kFeaturesNote);
}

std::string variable_markdown(std::string_view inner) {
    size_t colon = inner.find(':');
    std::string_view name = inner.substr(0, colon);
    std::string_view arg =
        colon == std::string_view::npos ? std::string_view{} : inner.substr(colon + 1);
    std::string written = "${" + std::string(inner) + "}";
    std::string md = "**" + code(written) + "**\n\n";
    if (name == "env") name = "localEnv";  // the CLI's older alias
    for (const VariableInfo& v : variables()) {
        if (v.name != name) continue;
        if (v.takes_name) {
            std::string_view variable = arg.substr(0, arg.find(':'));
            if (!variable.empty()) {
                md += "Reads " + code(variable);
                if (size_t second = arg.find(':'); second != std::string_view::npos)
                    md += ", with default " + code(arg.substr(second + 1));
                md += ". ";
            }
        }
        return md + std::string(v.description);
    }
    return md + "Not a variable the devcontainer tools replace: it stays in the value as written.";
}

// ---- Reading the text ----

enum class Tok : uint8_t {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    String,
    Literal,
    Comment
};

struct Token {
    Tok type = Tok::Literal;
    size_t begin = 0;
    size_t end = 0;
    bool open = false;  // a string or comment that runs to the end of its line or of the text
};

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool is_structural(char c) {
    return c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',' || c == '"';
}

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Splits JSONC into tokens without judging it: a string missing its closing quote ends at the
// line break (JSON strings cannot span lines), anything unexpected is a Literal.
class Lexer {
  public:
    explicit Lexer(std::string_view s) : s_(s) {}

    bool next(Token& t) {
        while (i_ < s_.size() && is_space(s_[i_])) ++i_;
        if (i_ >= s_.size()) return false;
        t = Token{};
        t.begin = i_;
        char c = s_[i_];
        switch (c) {
            case '{':
                return single(t, Tok::LBrace);
            case '}':
                return single(t, Tok::RBrace);
            case '[':
                return single(t, Tok::LBracket);
            case ']':
                return single(t, Tok::RBracket);
            case ':':
                return single(t, Tok::Colon);
            case ',':
                return single(t, Tok::Comma);
            case '"':
                return string(t);
            default:
                break;
        }
        if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '/') {
            size_t eol = s_.find('\n', i_);
            i_ = eol == std::string_view::npos ? s_.size() : eol;
            if (i_ > t.begin && s_[i_ - 1] == '\r') --i_;
            t.type = Tok::Comment;
            t.open = true;  // the cursor at its end is still in the comment
            t.end = i_;
            return true;
        }
        if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
            size_t close = s_.find("*/", i_ + 2);
            t.type = Tok::Comment;
            t.open = close == std::string_view::npos;
            i_ = t.open ? s_.size() : close + 2;
            t.end = i_;
            return true;
        }
        t.type = Tok::Literal;
        ++i_;
        while (i_ < s_.size() && !is_space(s_[i_]) && !is_structural(s_[i_]) &&
               !(s_[i_] == '/' && i_ + 1 < s_.size() && (s_[i_ + 1] == '/' || s_[i_ + 1] == '*')))
            ++i_;
        t.end = i_;
        return true;
    }

  private:
    bool single(Token& t, Tok type) {
        t.type = type;
        t.end = ++i_;
        return true;
    }

    bool string(Token& t) {
        t.type = Tok::String;
        ++i_;
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (c == '"') {
                t.end = ++i_;
                return true;
            }
            if (c == '\n' || c == '\r') break;
            i_ += (c == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] != '\n') ? 2 : 1;
        }
        t.open = true;
        t.end = i_;
        return true;
    }

    std::string_view s_;
    size_t i_ = 0;
};

// A key's text between its quotes; escapes other than \" \\ \/ are rare in keys and stay as is.
std::string key_text(std::string_view src, const Token& t) {
    std::string_view body = src.substr(t.begin + 1, t.end - t.begin - (t.open ? 1 : 2));
    std::string out;
    for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\\' && i + 1 < body.size() &&
            (body[i + 1] == '"' || body[i + 1] == '\\' || body[i + 1] == '/'))
            ++i;
        out += body[i];
    }
    return out;
}

// Where the next member of an object goes: Key (after '{' or ','), AfterKey, Value (after ':'),
// AfterValue. A string met in AfterValue is read as the next key: a missing comma is the most
// common slip while typing.
enum class State : uint8_t { Key, AfterKey, Value, AfterValue };

struct Frame {
    bool object = true;
    std::string segment;  // the key (or "*" for an array item) this container is the value of
    State state = State::Key;
    std::string key;                                   // the last key read
    std::vector<std::pair<std::string, size_t>> keys;  // every key of the object, with its offset
};

// The cursor's surroundings: the container it is in and the token it is inside, if any.
struct Context {
    bool found = false;
    std::vector<std::string> path;  // segments from the root to the cursor's container
    bool object = false;
    State state = State::Key;
    std::string key;
    std::optional<Token> token;        // a String or Literal the cursor is inside
    std::vector<std::string> present;  // keys of the cursor's object, the one being typed excluded
};

class ContextScanner {
  public:
    // `hover`: the token at `cursor` is the one whose characters include it (either end counts,
    // as in Range::contains); for completion the cursor must be past the token's start.
    ContextScanner(std::string_view src, size_t cursor, bool hover = false)
        : src_(src), cursor_(cursor), hover_(hover) {}

    // nullopt when the cursor is in a comment or outside any object or array.
    std::optional<Context> scan() {
        Lexer lexer(src_);
        Token t;
        while (lexer.next(t)) {
            if (!ctx_.found) {
                if (inside(t)) {
                    if (t.type == Tok::Comment || !snapshot(t)) return std::nullopt;
                } else if (t.begin >= cursor_) {
                    if (!snapshot(std::nullopt)) return std::nullopt;
                }
                if (ctx_.found && hover_) return std::move(ctx_);  // hover needs no sibling keys
            }
            if (!apply(t)) break;  // the cursor's object closed: its keys are all known
        }
        if (!ctx_.found && !snapshot(std::nullopt)) return std::nullopt;
        if (target_ < stack_.size())
            for (auto& [key, offset] : stack_[target_].keys)
                if (!ctx_.token || offset != ctx_.token->begin)
                    ctx_.present.push_back(std::move(key));
        return std::move(ctx_);
    }

  private:
    bool inside(const Token& t) const {
        if (hover_)
            return (t.type == Tok::String || t.type == Tok::Literal || t.type == Tok::Comment) &&
                   t.begin <= cursor_ && cursor_ <= t.end;
        switch (t.type) {
            case Tok::String:
            case Tok::Comment:
                return t.begin < cursor_ && (cursor_ < t.end || (t.open && cursor_ == t.end));
            case Tok::Literal:
                return t.begin < cursor_ && cursor_ <= t.end;
            default:
                return false;
        }
    }

    bool snapshot(std::optional<Token> t) {
        ctx_.found = true;
        if (stack_.empty()) return false;
        target_ = stack_.size() - 1;
        const Frame& f = stack_.back();
        for (size_t i = 1; i < stack_.size(); ++i) ctx_.path.push_back(stack_[i].segment);
        ctx_.object = f.object;
        ctx_.state = f.state;
        ctx_.key = f.key;
        ctx_.token = t;
        return true;
    }

    // Returns false when the token closes the cursor's container.
    bool apply(const Token& t) {
        Frame* top = stack_.empty() ? nullptr : &stack_.back();
        switch (t.type) {
            case Tok::Comment:
                return true;
            case Tok::LBrace:
            case Tok::LBracket: {
                Frame child;
                child.object = t.type == Tok::LBrace;
                child.state = child.object ? State::Key : State::Value;
                if (top) {
                    child.segment =
                        top->object ? (top->state == State::Value ? top->key : "?") : "*";
                    if (top->object) top->state = State::AfterValue;
                }
                stack_.push_back(std::move(child));
                return true;
            }
            case Tok::RBrace:
            case Tok::RBracket: {
                // Pop to the matching opener, if there is one: `{ "a": [ }` closes both.
                bool object = t.type == Tok::RBrace;
                auto match = std::find_if(stack_.rbegin(), stack_.rend(),
                                          [&](const Frame& f) { return f.object == object; });
                if (match == stack_.rend()) return true;
                size_t keep = static_cast<size_t>(stack_.rend() - match) - 1;
                if (ctx_.found && keep <= target_) return false;
                stack_.resize(keep);
                return true;
            }
            case Tok::Colon:
                if (top && top->object) top->state = State::Value;
                return true;
            case Tok::Comma:
                if (top && top->object) top->state = State::Key;
                return true;
            case Tok::String:
            case Tok::Literal:
                if (!top) return true;
                if (top->object && top->state != State::Value) {
                    top->key = t.type == Tok::String
                                   ? key_text(src_, t)
                                   : std::string(src_.substr(t.begin, t.end - t.begin));
                    top->keys.emplace_back(top->key, t.begin);
                    top->state = State::AfterKey;
                } else if (top->object) {
                    top->state = State::AfterValue;
                }
                return true;
        }
        return true;
    }

    std::string_view src_;
    size_t cursor_;
    bool hover_;
    std::vector<Frame> stack_;
    size_t target_ = static_cast<size_t>(-1);
    Context ctx_;
};

// ---- Hover ----

std::optional<Hover> variable_hover(const SourceText& text, const Token& t, size_t at) {
    std::string_view src = text.text();
    std::string_view body = src.substr(t.begin + 1, t.end - t.begin - (t.open ? 1 : 2));
    size_t body_begin = t.begin + 1;
    for (size_t open = body.find("${"); open != std::string_view::npos;
         open = body.find("${", open + 2)) {
        size_t close = body.find('}', open + 2);
        if (close == std::string_view::npos) break;
        // Half-open: in `${a}${b}` the position of the second '$' belongs to the second.
        if (at >= body_begin + open && at < body_begin + close + 1)
            return Hover{
                variable_markdown(body.substr(open + 2, close - open - 2)),
                {text.position_at(body_begin + open), text.position_at(body_begin + close + 1)}};
        open = close - 1;
    }
    return std::nullopt;
}

std::optional<Hover> hover_at(const SourceText& text, Position pos) {
    size_t at = text.offset_at(pos);
    std::optional<Context> ctx = ContextScanner(text.text(), at, /*hover=*/true).scan();
    if (!ctx || !ctx->token || ctx->token->type != Tok::String) return std::nullopt;
    const Token& t = *ctx->token;
    if (!ctx->object || ctx->state == State::Value) return variable_hover(text, t, at);
    Range r{text.position_at(t.begin), text.position_at(t.end)};
    std::string key = key_text(text.text(), t);
    if (ctx->path.size() == 1 && ctx->path[0] == "features") return Hover{feature_markdown(key), r};
    const PropertyInfo* p = property_at(ctx->path, key);
    if (!p) return std::nullopt;
    return Hover{property_markdown(*p, display_path(ctx->path, key)), r};
}

// ---- Completion ----

// `$`, `}` and `\` are special in LSP snippets.
std::string snippet_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '$' || c == '}' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

// A placeholder for a property's value, shaped by what the property accepts.
std::string value_snippet(const PropertyInfo& p) {
    if (!p.allowed_values.empty()) {
        std::string choice = "\"${1|";
        for (size_t i = 0; i < p.allowed_values.size(); ++i) {
            if (i) choice += ',';
            choice += p.allowed_values[i];
        }
        return choice + "|}\"";
    }
    switch (p.shape) {
        case ValueShape::Boolean:
            return "${1|true,false|}";
        case ValueShape::Gpu:
            return "${1|true,false,\"optional\"|}";
        case ValueShape::PositiveInteger:
            return "${1:1}";
        case ValueShape::StringArray:
        case ValueShape::ForwardPorts:
        case ValueShape::Mounts:
        case ValueShape::AppPort:
            return "[$1]";
        case ValueShape::StringMap:
        case ValueShape::NullableStringMap:
        case ValueShape::Features:
        case ValueShape::PortAttributesMap:
        case ValueShape::Object:
        case ValueShape::FreeObject:
        case ValueShape::Secrets:
            return "{$1}";
        case ValueShape::String:
        case ValueShape::ByteSize:
        case ValueShape::StringOrStringArray:
        case ValueShape::Command:
            return "\"$1\"";
    }
    return "\"$1\"";
}

class Completer {
  public:
    Completer(const SourceText& text, Position pos)
        : text_(text), src_(text.text()), cursor_(text.offset_at(pos)) {}

    std::vector<CompletionItem> run() {
        std::optional<Context> ctx = ContextScanner(src_, cursor_).scan();
        if (!ctx) return {};
        ctx_ = std::move(*ctx);
        const std::optional<Token>& t = ctx_.token;
        bool key_position =
            ctx_.object && (ctx_.state == State::Key || ctx_.state == State::AfterValue ||
                            (ctx_.state == State::AfterKey && t));
        if (key_position) {
            keys();
        } else if (!ctx_.object || ctx_.state == State::Value) {
            if (t && t->type == Tok::String && variables_in_string(*t)) return std::move(items_);
            if (ctx_.object) values();
        }
        return std::move(items_);
    }

  private:
    Range range(size_t begin, size_t end) const {
        return {text_.position_at(begin), text_.position_at(end)};
    }

    // What a quoted completion replaces, and how its text must start and end. In a string the
    // range is the text between the quotes (so clients filter on what was typed, not on a
    // quote) and a missing closing quote is supplied; elsewhere the word typed so far, if any.
    struct Slot {
        Range range;
        std::string open;   // '"' when the user has not typed the opening quote
        std::string close;  // '"' unless the string's closing quote is already there
        bool colon_follows = false;
    };

    // `for_key`: a key without a colon after it gets one, so its closing quote is rewritten too.
    Slot slot(bool for_key) const {
        Slot s;
        const std::optional<Token>& t = ctx_.token;
        size_t after = t ? t->end : cursor_;
        while (after < src_.size() && (src_[after] == ' ' || src_[after] == '\t')) ++after;
        s.colon_follows = after < src_.size() && src_[after] == ':';
        if (t && t->type == Tok::String) {
            size_t end = t->end - 1;  // before the closing quote
            if (t->open || (for_key && !s.colon_follows)) {
                end = t->open ? cursor_ : t->end;
                s.close = "\"";
            }
            s.range = range(t->begin + 1, end);
        } else {
            s.open = s.close = "\"";
            s.range = t ? range(t->begin, t->end) : range(cursor_, cursor_);
        }
        return s;
    }

    void add(std::string label, CompletionKind kind, std::string_view detail, std::string doc,
             std::string insert, bool snippet, Range r) {
        items_.push_back({std::move(label), kind, std::string(detail), std::move(doc),
                          std::move(insert), snippet, r});
    }

    bool present(std::string_view key) const {
        return std::find(ctx_.present.begin(), ctx_.present.end(), key) != ctx_.present.end();
    }

    // A key followed by its value's snippet; just the key when a colon is already there.
    void add_key(std::string label, CompletionKind kind, std::string_view detail, std::string doc,
                 const std::string& value_snippet, const Slot& s) {
        if (s.colon_follows) {
            add(label, kind, detail, std::move(doc), s.open + label + s.close, false, s.range);
            return;
        }
        std::string insert = snippet_escape(s.open + label + s.close) + ": " + value_snippet;
        add(std::move(label), kind, detail, std::move(doc), std::move(insert), true, s.range);
    }

    void keys() {
        Slot s = slot(true);
        if (ctx_.path.size() == 1 && ctx_.path[0] == "features") {
            for (const FeatureInfo& f : well_known_features()) {
                std::string id = feature_id(f);
                if (present(id)) continue;
                add_key(id, CompletionKind::Reference, f.description,
                        "https://github.com/devcontainers/features/tree/main/src/" +
                            std::string(f.name),
                        "{$1}", s);
            }
            return;
        }
        const std::vector<PropertyInfo>* table = members_at(ctx_.path);
        if (!table) return;
        for (const PropertyInfo& p : *table) {
            // Deprecated spellings are still understood but should not be written anew.
            if (p.deprecated() || present(p.name)) continue;
            add_key(std::string(p.name), CompletionKind::Property, p.type,
                    std::string(p.description), value_snippet(p), s);
        }
    }

    void values() {
        const PropertyInfo* p = property_at(ctx_.path, ctx_.key);
        if (!p) return;
        Slot s = slot(false);
        bool in_string = ctx_.token && ctx_.token->type == Tok::String;
        for (std::string_view v : p->allowed_values)
            add(std::string(v), CompletionKind::Value, p->name, {},
                s.open + std::string(v) + s.close, false, s.range);
        if (in_string) {
            if (p->shape == ValueShape::Gpu)
                add("optional", CompletionKind::Value, p->name, {}, "optional" + s.close, false,
                    s.range);
            return;
        }
        if (p->shape == ValueShape::Boolean || p->shape == ValueShape::Gpu) {
            add("true", CompletionKind::Value, p->name, {}, "true", false, s.range);
            add("false", CompletionKind::Value, p->name, {}, "false", false, s.range);
        }
        if (p->shape == ValueShape::Gpu)
            add("\"optional\"", CompletionKind::Value, p->name, {}, "\"optional\"", false, s.range);
    }

    // Variable names right after an unclosed "${" before the cursor in the string `t`.
    bool variables_in_string(const Token& t) {
        std::string_view before = src_.substr(t.begin + 1, cursor_ - t.begin - 1);
        size_t open = before.rfind("${");
        if (open == std::string_view::npos || before.find('}', open) != std::string_view::npos)
            return false;
        size_t name_begin = t.begin + 1 + open + 2;
        for (size_t i = name_begin; i < cursor_; ++i)
            if (!is_word_char(src_[i])) return false;  // past the name, e.g. in "${localEnv:HO"
        size_t string_end = t.open ? t.end : t.end - 1;
        size_t name_end = cursor_;
        while (name_end < string_end && is_word_char(src_[name_end])) ++name_end;
        bool closed = name_end < string_end && src_[name_end] == '}';
        Range r = range(name_begin, name_end);
        for (const VariableInfo& v : variables()) {
            std::string name(v.name);
            if (v.takes_name)
                add(name, CompletionKind::Variable, "${" + name + ":NAME}",
                    std::string(v.description), name + ":${1:NAME}" + (closed ? "" : "}"), true, r);
            else
                add(name, CompletionKind::Variable, "${" + name + "}", std::string(v.description),
                    name + (closed ? "" : "}"), false, r);
        }
        return true;
    }

    const SourceText& text_;
    std::string_view src_;
    size_t cursor_;
    Context ctx_;
    std::vector<CompletionItem> items_;
};

// ---- Document symbols ----

// Builds the outline from tokens in one pass, with the same recovery as completion: the outline
// stays useful (and cheap) while the file is half-typed.
class SymbolBuilder {
  public:
    explicit SymbolBuilder(const SourceText& text) : text_(text), src_(text.text()) {}

    std::vector<DocumentSymbol> run() {
        Lexer lexer(src_);
        Token t;
        while (lexer.next(t)) {
            if (t.type == Tok::Comment) continue;
            if (!apply(t)) break;
            last_end_ = t.end;
        }
        while (stack_.size() > 1) close(last_end_);
        if (stack_.empty()) return {};
        finish_member(stack_[0]);
        return std::move(stack_[0].symbols);
    }

  private:
    struct Container {
        bool object = true;
        bool outlined = false;  // its members become symbols (the root and objects under them)
        State state = State::Key;
        std::vector<DocumentSymbol> symbols;
        std::optional<DocumentSymbol> member;  // the member being read
        size_t items = 0;                      // an array's element count
    };

    // Returns false at the end of the root value: anything after it is not part of the outline.
    bool apply(const Token& t) {
        if (stack_.empty()) {
            // Only an object at the root has properties to outline.
            if (t.type != Tok::LBrace || done_) return false;
            stack_.push_back(container(true, true));
            return true;
        }
        Container& top = stack_.back();
        switch (t.type) {
            case Tok::LBrace:
            case Tok::LBracket: {
                value_starts(top);
                bool object = t.type == Tok::LBrace;
                bool outlined =
                    object && top.object && top.outlined && top.member && stack_.size() < 64;
                stack_.push_back(container(object, outlined));
                return true;
            }
            case Tok::RBrace:
            case Tok::RBracket: {
                bool object = t.type == Tok::RBrace;
                auto match = std::find_if(stack_.rbegin(), stack_.rend(),
                                          [&](const Container& c) { return c.object == object; });
                if (match == stack_.rend()) return true;
                size_t keep = static_cast<size_t>(stack_.rend() - match) - 1;
                while (stack_.size() > keep + 1 && stack_.size() > 1) close(t.end);
                if (keep == 0) {
                    done_ = true;
                    return false;
                }
                close(t.end);
                return true;
            }
            case Tok::Colon:
                if (top.object) top.state = State::Value;
                return true;
            case Tok::Comma:
                if (top.object) {
                    finish_member(top);
                    top.state = State::Key;
                }
                return true;
            case Tok::String:
            case Tok::Literal:
                if (top.object && top.state != State::Value) {
                    finish_member(top);
                    top.state = State::AfterKey;
                    if (!top.outlined) return true;
                    DocumentSymbol s;
                    s.name = t.type == Tok::String ? key_text(src_, t) : std::string(raw(t));
                    s.kind =
                        SymbolKind::Directive;  // the server reports Directive as an LSP Property
                    s.selection_range = s.range = range(t.begin, t.end);
                    top.member = std::move(s);
                    return true;
                }
                value_starts(top);
                if (top.object && top.member) {
                    top.member->detail = scalar_detail(t);
                    top.member->range.end = text_.position_at(t.end);
                }
                return true;
            case Tok::Comment:
                return true;
        }
        return true;
    }

    static Container container(bool object, bool outlined) {
        Container c;
        c.object = object;
        c.outlined = outlined;
        c.state = object ? State::Key : State::Value;
        return c;
    }

    void value_starts(Container& c) {
        if (c.object)
            c.state = State::AfterValue;
        else
            ++c.items;
    }

    // Closes the innermost container at `end`, handing its outline to the member it is the
    // value of.
    void close(size_t end) {
        Container child = std::move(stack_.back());
        stack_.pop_back();
        finish_member(child);
        Container& parent = stack_.back();
        if (!parent.object || !parent.member) return;
        parent.member->range.end = text_.position_at(end);
        if (child.object)
            parent.member->children = std::move(child.symbols);
        else
            parent.member->detail =
                std::to_string(child.items) + (child.items == 1 ? " item" : " items");
    }

    void finish_member(Container& c) {
        if (c.member) c.symbols.push_back(std::move(*c.member));
        c.member.reset();
    }

    std::string_view raw(const Token& t) const { return src_.substr(t.begin, t.end - t.begin); }
    Range range(size_t begin, size_t end) const {
        return {text_.position_at(begin), text_.position_at(end)};
    }

    // A scalar as the outline shows it: a string's text, other values as written; cut short.
    std::string scalar_detail(const Token& t) const {
        constexpr size_t kLimit = 40;
        std::string s = t.type == Tok::String ? key_text(src_, t) : std::string(raw(t));
        if (s.size() <= kLimit) return s;
        size_t cut = kLimit;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            --cut;  // not mid-character
        return s.substr(0, cut) + "…";
    }

    const SourceText& text_;
    std::string_view src_;
    std::vector<Container> stack_;
    size_t last_end_ = 0;
    bool done_ = false;
};

}  // namespace

std::optional<Hover> devcontainer_hover(const SourceText& text, Position pos) {
    return hover_at(text, pos);
}

std::vector<CompletionItem> devcontainer_complete(const SourceText& text, Position pos) {
    return Completer(text, pos).run();
}

std::vector<DocumentSymbol> devcontainer_symbols(const SourceText& text) {
    return SymbolBuilder(text).run();
}

}  // namespace envbuilder::language
