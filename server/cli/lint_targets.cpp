#include "cli/lint_targets.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis/dockerfile_lint.h"
#include "devcontainer/devcontainer.h"
#include "devcontainer/find_configs.h"
#include "features/local_check.h"
#include "syntax/dockerfile_parser.h"

namespace envbuilder::cli {

namespace fs = std::filesystem;

namespace {

bool read_file(const fs::path& path, std::string& content, std::vector<std::string>& errors) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        errors.push_back(path.string() +
                         ": is a directory with no devcontainer.json or Dockerfile in it");
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        errors.push_back(path.string() + ": cannot read: " + std::strerror(errno));
        return false;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    content = buffer.str();
    return true;
}

// When the name says nothing, a JSON object (possibly after comments) is a devcontainer config.
DocumentKind sniff(const std::string& content) {
    size_t i = 0;
    while (i < content.size()) {
        while (i < content.size() && std::isspace(static_cast<unsigned char>(content[i]))) ++i;
        if (content.compare(i, 2, "//") == 0) {
            i = content.find('\n', i);
            if (i == std::string::npos) break;
            continue;
        }
        if (content.compare(i, 2, "/*") == 0) {
            i = content.find("*/", i);
            if (i == std::string::npos) break;
            i += 2;
            continue;
        }
        break;
    }
    return i < content.size() && content[i] == '{' ? DocumentKind::Devcontainer
                                                   : DocumentKind::Dockerfile;
}

struct Job {
    fs::path path;
    DocumentKind kind;
    LintOptions options;
};

// A directory means its devcontainer config(s) and the Dockerfile each names; without a config,
// its Dockerfile or Containerfile. When the folder has none at the usual places, a
// devcontainer.json directly in it is the config: the folder is a config's own
// (`lint .devcontainer`) or holds one on its own (a template's folder).
std::vector<fs::path> configs_in(const fs::path& dir) {
    std::vector<fs::path> found = devcontainer::find_configs(dir);
    std::error_code ec;
    const fs::path direct = dir / "devcontainer.json";
    if (found.empty() && fs::is_regular_file(direct, ec)) found.push_back(direct);
    return found;
}

}  // namespace

bool looks_like_dockerfile_name(const fs::path& path) {
    std::string name = path.filename().string();
    std::string lower;
    for (char c : name)
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return lower == "dockerfile" || lower == "containerfile" ||
           lower.rfind("dockerfile.", 0) == 0 || lower.rfind("containerfile.", 0) == 0 ||
           (lower.size() > 11 && lower.compare(lower.size() - 11, 11, ".dockerfile") == 0);
}

bool looks_like_devcontainer_path(const fs::path& path) {
    // The server's rule too; a file elsewhere is a devcontainer config if it holds an object.
    return devcontainer::is_config_location(path);
}

std::vector<LintedFile> lint_targets(const std::vector<std::string>& targets,
                                     std::vector<std::string>& errors) {
    std::vector<Job> jobs;
    std::set<fs::path> queued;
    auto queue = [&](Job job) {
        fs::path key = fs::weakly_canonical(job.path);
        if (queued.insert(key).second) jobs.push_back(std::move(job));
    };
    std::vector<LintedFile> results;

    for (const std::string& target : targets) {
        fs::path path(target);
        std::error_code ec;
        if (!fs::exists(path, ec)) {
            errors.push_back(target + ": no such file or directory");
            continue;
        }
        if (fs::is_directory(path, ec)) {
            auto configs = configs_in(path);
            if (configs.empty()) {
                bool any = false;
                for (const char* name : {"Dockerfile", "Containerfile"}) {
                    if (fs::is_regular_file(path / name, ec)) {
                        Job job{path / name, DocumentKind::Dockerfile, {}};
                        job.options.context_dir = path;
                        job.options.dockerfile_path = path / name;
                        queue(std::move(job));
                        any = true;
                        break;
                    }
                }
                if (!any)
                    errors.push_back(target +
                                     ": no devcontainer.json, .devcontainer.json, Dockerfile or "
                                     "Containerfile in this directory");
            }
            for (auto& config : configs) queue({config, DocumentKind::Devcontainer, {}});
            continue;
        }
        Job job{path, DocumentKind::Dockerfile, {}};
        if (looks_like_devcontainer_path(path)) {
            job.kind = DocumentKind::Devcontainer;
        } else if (!looks_like_dockerfile_name(path)) {
            std::string content;
            if (!read_file(path, content, errors)) continue;
            job.kind = sniff(content);
        }
        if (job.kind == DocumentKind::Dockerfile) {
            job.options.context_dir =
                path.parent_path().empty() ? fs::path(".") : path.parent_path();
            job.options.dockerfile_path = path;
        }
        queue(std::move(job));
    }

    // Jobs can grow while running: a devcontainer config brings in the Dockerfile it names.
    for (size_t i = 0; i < jobs.size(); ++i) {
        Job job = jobs[i];
        std::string content;
        if (!read_file(job.path, content, errors)) continue;
        LintedFile file{job.path, job.kind, SourceText(content), {}};
        if (job.kind == DocumentKind::Devcontainer) {
            auto analysis = devcontainer::analyze_devcontainer(file.text, fs::absolute(job.path));
            file.diagnostics = std::move(analysis.diagnostics);
            for (auto& d : features::check_local_features(analysis.config, fs::absolute(job.path)))
                file.diagnostics.push_back(std::move(d));
            std::stable_sort(file.diagnostics.begin(), file.diagnostics.end(),
                             [](const Diagnostic& a, const Diagnostic& b) {
                                 return a.range.start < b.range.start;
                             });
            if (auto paths =
                    devcontainer::resolve_build_paths(analysis.config, fs::absolute(job.path))) {
                std::error_code ec;
                if (fs::is_regular_file(paths->dockerfile, ec)) {
                    Job dockerfile{fs::relative(paths->dockerfile, fs::current_path(), ec),
                                   DocumentKind::Dockerfile,
                                   {}};
                    if (ec || dockerfile.path.empty()) dockerfile.path = paths->dockerfile;
                    dockerfile.options.context_dir = paths->context;
                    dockerfile.options.dockerfile_path = paths->dockerfile;
                    const auto& build = analysis.config.build;
                    if (build && build->value.args)
                        for (const auto& arg : build->value.args->value)
                            if (arg.value) dockerfile.options.build_args[arg.name] = *arg.value;
                    queue(std::move(dockerfile));
                }
            }
        } else {
            auto df = dockerfile::parse(content);
            file.diagnostics = lint_dockerfile(df, job.options);
        }
        results.push_back(std::move(file));
    }
    return results;
}

}  // namespace envbuilder::cli
