#pragma once
// .dockerignore: which paths of the build context are left out. Docker's rules: one pattern a line,
// '#' comments, '!' re-includes, patterns are cleaned and made relative, '**' spans directories,
// a pattern that matches a directory excludes what is inside it, and the last match wins.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder {

class DockerIgnore {
public:
    struct Pattern {
        std::string text;  // cleaned, '/'-separated, without '!'
        bool exclusion = false;  // a '!' line: re-includes what it matches
        uint32_t line = 0;       // 0-based line in the file
    };

    DockerIgnore() = default;
    static DockerIgnore parse(std::string_view content);
    // Reads `<Dockerfile>.dockerignore` beside the Dockerfile if present, else
    // `<context>/.dockerignore`; nullopt when neither exists.
    static std::optional<DockerIgnore> load(const std::filesystem::path& context_dir,
                                           const std::filesystem::path& dockerfile);

    // `path` is relative to the context, '/'-separated. True when the path is left out.
    bool excludes(std::string_view path) const;
    bool has_exclusions() const;
    const std::vector<Pattern>& patterns() const { return patterns_; }
    std::filesystem::path source;  // the file it came from, if any

private:
    std::vector<Pattern> patterns_;
};

// filepath.Clean for '/'-separated paths: no "." segments, ".." resolved, no duplicate or
// trailing slashes. A leading "/" is kept.
std::string clean_path(std::string_view path);

// Matches one pattern (with '**') against a whole '/'-separated path.
bool match_path_pattern(std::string_view pattern, std::string_view path);

}  // namespace envbuilder
