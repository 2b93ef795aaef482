// Feature ids: an OCI reference (registry/namespace/name[:tag|@sha256:digest]), a ./ or ../ folder
// next to devcontainer.json, or an https URL of a feature tarball.
#include <algorithm>
#include <array>

#include "devcontainer/detail.h"
#include "devcontainer/devcontainer.h"

namespace envbuilder::devcontainer {

namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// An OCI path component: lowercase alphanumerics joined by '.', '_', '__' or dashes.
bool is_path_component(std::string_view s) {
    if (s.empty() || !is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
    for (size_t i = 0; i < s.size();) {
        if (is_lower_alnum(s[i])) {
            ++i;
            continue;
        }
        size_t run = i;
        while (run < s.size() && !is_lower_alnum(s[run])) ++run;
        std::string_view separator = s.substr(i, run - i);
        bool dashes = std::all_of(separator.begin(), separator.end(), [](char c) { return c == '-'; });
        if (separator != "." && separator != "_" && separator != "__" && !dashes) return false;
        i = run;
    }
    return true;
}

// host[:port], where the host looks like a domain name, an IP address or "localhost".
bool is_registry(std::string_view s) {
    std::string_view host = s;
    if (size_t colon = s.find(':'); colon != std::string_view::npos) {
        host = s.substr(0, colon);
        std::string_view port = s.substr(colon + 1);
        if (port.empty() || port.size() > 5 ||
            !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return false;
    }
    if (host.empty()) return false;
    bool chars_ok = std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    });
    return chars_ok && (host.find('.') != std::string_view::npos || host == "localhost" || host.size() != s.size());
}

bool is_tag(std::string_view s) {
    if (s.empty() || s.size() > 128) return false;
    auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
    if (!word(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return word(c) || c == '.' || c == '-'; });
}

bool is_sha256_digest(std::string_view s) {
    constexpr std::string_view prefix = "sha256:";
    if (s.substr(0, prefix.size()) != prefix || s.size() != prefix.size() + 64) return false;
    return std::all_of(s.begin() + prefix.size(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

FeatureIdKind invalid(std::string* problem, std::string reason) {
    if (problem) *problem = std::move(reason);
    return FeatureIdKind::Invalid;
}

// Short ids from the days before published features; the spec marks these as retired.
struct LegacyFeature {
    std::string_view id;
    std::string_view advice;
};
constexpr std::array<LegacyFeature, 5> kLegacyFeatures = {{
    {"fish", "it is no longer supported; look for a replacement at https://containers.dev/features"},
    {"maven", "use ghcr.io/devcontainers/features/java, which can install Maven"},
    {"gradle", "use ghcr.io/devcontainers/features/java, which can install Gradle"},
    {"homebrew", "it is no longer supported; look for a replacement at https://containers.dev/features"},
    {"jupyterlab", "use ghcr.io/devcontainers/features/python, which can install JupyterLab"},
}};

}  // namespace

FeatureIdKind classify_feature_id(std::string_view id, std::string* problem) {
    if (id.empty()) return invalid(problem, "it is empty");
    if (id.substr(0, 2) == "./" || id.substr(0, 3) == "../") {
        if (id == "./" || id == "../") return invalid(problem, "the folder name is missing");
        return FeatureIdKind::LocalPath;
    }
    if (id.substr(0, 7) == "http://") return invalid(problem, "feature tarballs must be fetched over https://");
    if (id.substr(0, 8) == "https://") {
        std::string_view rest = id.substr(8);
        size_t slash = rest.find('/');
        if (slash == 0 || slash == std::string_view::npos) return invalid(problem, "the URL has no host or path");
        std::string_view path = rest.substr(slash, rest.find_first_of("?#") - slash);
        if (!ends_with(path, ".tgz") && !ends_with(path, ".tar.gz") && !ends_with(path, ".tar"))
            return invalid(problem, "an https URL must point to a feature tarball (.tgz)");
        return FeatureIdKind::TarballUrl;
    }
    if (id.front() == '/' || id.front() == '.' || id.find('\\') != std::string_view::npos)
        return invalid(problem, "a local feature is a folder given as ./name or ../name");

    std::string_view name = id;
    std::string_view tag, digest;
    if (size_t at = name.find('@'); at != std::string_view::npos) {
        digest = name.substr(at + 1);
        name = name.substr(0, at);
        if (!is_sha256_digest(digest)) return invalid(problem, "a digest must be sha256: followed by 64 hex digits");
    }
    size_t last_slash = name.rfind('/');
    if (size_t colon = name.rfind(':'); colon != std::string_view::npos &&
                                        (last_slash == std::string_view::npos || colon > last_slash)) {
        tag = name.substr(colon + 1);
        name = name.substr(0, colon);
        if (!is_tag(tag)) return invalid(problem, "\"" + std::string(tag) + "\" is not a valid tag");
    }
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
        size_t slash = name.find('/', start);
        parts.push_back(name.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    if (parts.size() < 3)
        return invalid(problem, "expected registry/namespace/name, e.g. ghcr.io/devcontainers/features/node");
    if (!is_registry(parts[0]))
        return invalid(problem, "\"" + std::string(parts[0]) + "\" is not a registry host such as ghcr.io");
    for (size_t i = 1; i < parts.size(); ++i) {
        if (!is_path_component(parts[i]))
            return invalid(problem, "\"" + std::string(parts[i]) +
                                        "\" is not a valid path component: use lowercase letters and digits, "
                                        "separated by '.', '_' or '-'");
    }
    return FeatureIdKind::Oci;
}

namespace detail {

void check_feature_ids(const jsonc::Value& root, Reporter& report) {
    const jsonc::Value* features = root.find("features");
    if (!features || !features->is_object()) return;
    for (const jsonc::Member& m : features->members) {
        auto legacy = std::find_if(kLegacyFeatures.begin(), kLegacyFeatures.end(),
                                   [&](const LegacyFeature& f) { return f.id == m.key; });
        if (legacy != kLegacyFeatures.end()) {
            report.add(codes::DeprecatedProperty, Severity::Warning, m.key_range,
                       "Feature \"" + m.key + "\" is a retired short id: " + std::string(legacy->advice));
            continue;
        }
        std::string problem;
        if (classify_feature_id(m.key, &problem) == FeatureIdKind::Invalid)
            report.add(codes::InvalidFeatureId, Severity::Error, m.key_range,
                       "Invalid feature id \"" + m.key + "\": " + problem);
    }
}

}  // namespace detail

}  // namespace envbuilder::devcontainer
