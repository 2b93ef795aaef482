// Feature references. Syntax checks come from devcontainer/ (the same ones lint reports), so a key
// lint accepts is one the build can fetch.
#include "features/feature_ref.h"

#include <algorithm>

#include "devcontainer/devcontainer.h"

namespace envbuilder::features {

namespace fs = std::filesystem;

std::string FeatureRef::resource() const {
    switch (kind) {
        case SourceKind::Oci:
            return collection() + "/" + name;
        case SourceKind::LocalFolder:
            return folder.string();
        case SourceKind::Tarball:
            return url;
    }
    return user_id;
}

namespace {

bool is_word(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

// The shorthands of the first feature format: "node" (a feature of the old built-in set) and
// "owner/repo/feature[@version]" (a GitHub release). Both were retired by the spec.
std::optional<FeatureRefError> retired_form(std::string_view id) {
    std::string_view name = id.substr(0, id.find('@'));
    if (is_word(name))
        return FeatureRefError{"\"" + std::string(id) +
                               "\" is a retired short feature id; use its published OCI id, e.g. "
                               "ghcr.io/devcontainers/features/" +
                               std::string(name) + ":1 (see https://containers.dev/features)"};
    size_t first = name.find('/');
    size_t second = first == std::string_view::npos ? first : name.find('/', first + 1);
    if (second != std::string_view::npos && name.find('/', second + 1) == std::string_view::npos &&
        name.substr(0, first).find('.') == std::string_view::npos &&
        name.substr(0, first).find(':') == std::string_view::npos)
        return FeatureRefError{
            "\"" + std::string(id) +
            "\" is a GitHub release shorthand (owner/repo/feature), which the spec "
            "retired; publish the feature to an OCI registry and use "
            "REGISTRY/NAMESPACE/FEATURE:VERSION, e.g. ghcr.io/" +
            std::string(name) + ":1"};
    return std::nullopt;
}

FeatureRef oci_ref(std::string_view id) {
    FeatureRef ref;
    ref.kind = SourceKind::Oci;
    ref.user_id = std::string(id);
    std::string_view name = id;
    if (size_t at = name.find('@'); at != std::string_view::npos) {
        ref.digest = std::string(name.substr(at + 1));
        name = name.substr(0, at);
    }
    size_t last_slash = name.rfind('/');
    if (size_t colon = name.rfind(':'); colon != std::string_view::npos && colon > last_slash) {
        ref.tag = std::string(name.substr(colon + 1));
        name = name.substr(0, colon);
    }
    if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
    size_t first_slash = name.find('/');
    last_slash = name.rfind('/');
    ref.registry = std::string(name.substr(0, first_slash));
    ref.namespace_path = std::string(name.substr(first_slash + 1, last_slash - first_slash - 1));
    ref.name = std::string(name.substr(last_slash + 1));
    return ref;
}

// The .devcontainer folder a configuration lives in: the folder itself, or the nearest parent
// of that name (for .devcontainer/<name>/devcontainer.json).
std::optional<fs::path> devcontainer_folder(const fs::path& config_folder) {
    for (fs::path p = config_folder; !p.empty(); p = p.parent_path()) {
        if (p.filename() == ".devcontainer") return p;
        if (p == p.parent_path()) break;
    }
    return std::nullopt;
}

bool is_inside(const fs::path& path, const fs::path& folder) {
    auto [end, _] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
    return end == folder.end();
}

}  // namespace

FeatureRefResult parse_feature_ref(std::string_view id, const fs::path& config_folder) {
    std::string problem;
    switch (devcontainer::classify_feature_id(id, &problem)) {
        case devcontainer::FeatureIdKind::Oci:
            return oci_ref(id);
        case devcontainer::FeatureIdKind::LocalPath: {
            FeatureRef ref;
            ref.kind = SourceKind::LocalFolder;
            ref.user_id = std::string(id);
            const fs::path base = fs::absolute(config_folder).lexically_normal();
            ref.folder = (base / std::string(id)).lexically_normal();
            if (!ref.folder.empty() && ref.folder.filename().empty())
                ref.folder = ref.folder.parent_path();
            auto root = devcontainer_folder(base);
            if (!root)
                return FeatureRefError{"local feature \"" + std::string(id) +
                                       "\" needs a configuration inside a .devcontainer folder (" +
                                       base.string() + " is not one)"};
            if (!is_inside(ref.folder, *root) || ref.folder == *root)
                return FeatureRefError{"local feature \"" + std::string(id) + "\" resolves to " +
                                       ref.folder.string() + ", outside " + root->string() +
                                       "; local features must be folders inside .devcontainer"};
            return ref;
        }
        case devcontainer::FeatureIdKind::TarballUrl: {
            FeatureRef ref;
            ref.kind = SourceKind::Tarball;
            ref.user_id = std::string(id);
            ref.url = std::string(id);
            return ref;
        }
        case devcontainer::FeatureIdKind::Invalid:
            break;
    }
    if (auto retired = retired_form(id)) return *retired;
    return FeatureRefError{"invalid feature id \"" + std::string(id) + "\": " + problem};
}

}  // namespace envbuilder::features
