#pragma once
// Image references (`busybox`, `ghcr.io/org/app:1.2@sha256:...`), parsed and normalized the way
// Docker does (distribution/reference's ParseNormalizedNamed plus TagNameOnly): the linter uses
// it to validate FROM and COPY --from, the registry client to know where to pull from.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace envbuilder::oci {

struct Reference {
    std::string registry;    // "docker.io", "ghcr.io", "localhost:5000", "[::1]:5000"
    std::string repository;  // "library/busybox", "org/app"
    std::string tag;         // "latest" when neither a tag nor a digest was given
    std::string digest;      // "sha256:<hex>", or empty

    // registry/repository: "docker.io/library/busybox".
    std::string name() const;
    // The fully qualified form: "docker.io/library/busybox:latest", "ghcr.io/o/a@sha256:...".
    std::string str() const;
    // The short form Docker prints: "busybox:latest", "user/repo:1", "ghcr.io/o/a:2".
    std::string familiar() const;
    std::string familiar_name() const;
    // Host to talk to for the registry API: docker.io is served by registry-1.docker.io.
    std::string registry_host() const;
};

struct ReferenceError {
    std::string message;  // what was expected, e.g. "repository name must be lowercase"
    size_t offset = 0;    // byte offset of the problem in the input
};

using ReferenceResult = std::variant<Reference, ReferenceError>;

// Parses and normalizes a reference. Never throws.
ReferenceResult parse_reference(std::string_view text);

inline const Reference* get_reference(const ReferenceResult& r) {
    return std::get_if<Reference>(&r);
}
inline const ReferenceError* get_error(const ReferenceResult& r) {
    return std::get_if<ReferenceError>(&r);
}
// A pointer into a temporary result would dangle: keep the result in a variable first.
const Reference* get_reference(ReferenceResult&&) = delete;
const ReferenceError* get_error(ReferenceResult&&) = delete;

constexpr std::string_view kDockerHubRegistry = "docker.io";
constexpr size_t kMaxNameLength = 255;  // the whole normalized name, registry included

}  // namespace envbuilder::oci
