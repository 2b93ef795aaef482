#include "context/dockerignore.h"

#include <fnmatch.h>

#include <fstream>
#include <sstream>

#include "syntax/path_components.h"

namespace envbuilder {

namespace {

bool match_segments(const std::vector<std::string_view>& pat, size_t pi,
                    const std::vector<std::string_view>& path, size_t si) {
    while (pi < pat.size()) {
        if (pat[pi] == "**") {
            // '**' takes zero or more whole segments.
            for (size_t k = si; k <= path.size(); ++k)
                if (match_segments(pat, pi + 1, path, k)) return true;
            return false;
        }
        if (si >= path.size()) return false;
        std::string p(pat[pi]), s(path[si]);
        // Within one segment '**' is no different from '*'.
        for (size_t at; (at = p.find("**")) != std::string::npos;) p.erase(at, 1);
        if (fnmatch(p.c_str(), s.c_str(), 0) != 0) return false;
        ++pi;
        ++si;
    }
    return si == path.size();
}

}  // namespace

std::string clean_path(std::string_view path) {
    bool rooted = !path.empty() && path[0] == '/';
    std::vector<std::string_view> out;
    for (std::string_view seg : dockerfile::path_components(path)) {
        if (seg == ".") continue;
        if (seg == "..") {
            if (!out.empty() && out.back() != "..")
                out.pop_back();
            else if (!rooted)
                out.push_back(seg);
            continue;
        }
        out.push_back(seg);
    }
    std::string result = rooted ? "/" : "";
    for (size_t i = 0; i < out.size(); ++i) {
        if (i) result += '/';
        result += out[i];
    }
    if (result.empty()) result = ".";
    return result;
}

bool match_path_pattern(std::string_view pattern, std::string_view path) {
    return match_segments(dockerfile::path_components(pattern), 0,
                          dockerfile::path_components(path), 0);
}

DockerIgnore DockerIgnore::parse(std::string_view content) {
    DockerIgnore ignore;
    std::istringstream in{std::string(content)};
    std::string line;
    uint32_t number = 0;
    for (; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty() && line[0] == '#') continue;
        size_t b = line.find_first_not_of(" \t");
        if (b == std::string::npos) continue;
        size_t e = line.find_last_not_of(" \t");
        std::string text = line.substr(b, e - b + 1);
        Pattern p;
        p.line = number;
        if (text[0] == '!') {
            p.exclusion = true;
            text.erase(0, 1);
            text.erase(0, text.find_first_not_of(" \t"));
            if (text.empty()) continue;
        }
        text = clean_path(text);
        if (text.size() > 1 && text[0] == '/') text.erase(0, 1);
        p.text = text;
        ignore.patterns_.push_back(std::move(p));
    }
    return ignore;
}

std::optional<DockerIgnore> DockerIgnore::load(const std::filesystem::path& context_dir,
                                               const std::filesystem::path& dockerfile) {
    std::vector<std::filesystem::path> candidates;
    if (!dockerfile.empty()) candidates.push_back(dockerfile.string() + ".dockerignore");
    candidates.push_back(context_dir / ".dockerignore");
    for (const auto& candidate : candidates) {
        std::ifstream in(candidate, std::ios::binary);
        if (!in) continue;
        std::stringstream buffer;
        buffer << in.rdbuf();
        DockerIgnore ignore = parse(buffer.str());
        ignore.source = candidate;
        return ignore;
    }
    return std::nullopt;
}

bool DockerIgnore::excludes(std::string_view raw) const {
    std::string path = clean_path(raw);
    if (path.size() > 1 && path[0] == '/') path.erase(0, 1);
    bool excluded = false;
    for (const Pattern& p : patterns_) {
        bool match = match_path_pattern(p.text, path);
        // A pattern that names a directory covers everything below it.
        for (size_t slash = path.find('/'); !match && slash != std::string::npos;
             slash = path.find('/', slash + 1))
            match = match_path_pattern(p.text, std::string_view(path).substr(0, slash));
        if (match) excluded = !p.exclusion;
    }
    return excluded;
}

bool DockerIgnore::has_exclusions() const {
    for (const Pattern& p : patterns_)
        if (p.exclusion) return true;
    return false;
}

}  // namespace envbuilder
