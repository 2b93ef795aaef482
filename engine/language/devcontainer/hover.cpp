// devcontainer.json hover: property facts, feature id kinds and ${...} variables.
#include <optional>

#include "language/devcontainer/catalog.h"
#include "language/devcontainer/context.h"
#include "language/devcontainer/features.h"

namespace envbuilder::language::devcontainer_editor {

namespace {

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

std::optional<Hover> variable_hover(const SourceText& text, const json::Token& t, size_t at) {
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
    std::optional<Context> ctx = scan_context(text.text(), at, /*hover=*/true);
    if (!ctx || !ctx->token || ctx->token->type != json::TokenType::String) return std::nullopt;
    const json::Token& t = *ctx->token;
    if (!ctx->object || ctx->state == State::Value) return variable_hover(text, t, at);
    Range r{text.position_at(t.begin), text.position_at(t.end)};
    std::string key = key_text(text.text(), t);
    if (ctx->path.size() == 1 && ctx->path[0] == "features") return Hover{feature_markdown(key), r};
    const PropertyInfo* p = property_at(ctx->path, key);
    if (!p) return std::nullopt;
    return Hover{property_markdown(*p, display_path(ctx->path, key)), r};
}

}  // namespace

}  // namespace envbuilder::language::devcontainer_editor

namespace envbuilder::language {

std::optional<Hover> devcontainer_hover(const SourceText& text, Position pos) {
    return devcontainer_editor::hover_at(text, pos);
}

}  // namespace envbuilder::language
