#include "analysis/stage_model.h"

#include <algorithm>
#include <cctype>

#include "syntax/dockerfile_parser.h"
#include "syntax/stage_index.h"

namespace envbuilder {

using dockerfile::InstructionKind;

namespace {

// `from=` inside a RUN --mount value (CSV of key=value).
std::optional<std::pair<size_t, size_t>> mount_from(std::string_view value) {
    size_t start = 0;
    while (start <= value.size()) {
        size_t end = value.find(',', start);
        if (end == std::string_view::npos) end = value.size();
        std::string_view field = value.substr(start, end - start);
        if (field.size() > 5 && (field.substr(0, 5) == "from=" || field.substr(0, 5) == "FROM="))
            return std::make_pair(start + 5, end);
        start = end + 1;
    }
    return std::nullopt;
}

}  // namespace

StageModel::StageModel(const dockerfile::Dockerfile& df) {
    for (size_t index : df.global_instructions) {
        const auto& ins = df.instructions[index];
        if (ins.kind != InstructionKind::Arg) continue;
        for (const auto& kv : ins.pairs) {
            std::optional<std::string> value;
            if (kv.value) value = dockerfile::unquote(*kv.value, df.escape);
            global_args_.emplace_back(kv.key, value);
        }
    }
    stages_.resize(df.stages.size());
    // Stage names compare case-insensitively; the first stage of a name is the one it refers to.
    std::map<std::string, size_t> by_name;
    for (size_t s = 0; s < df.stages.size(); ++s) {
        if (!df.stages[s].name) continue;
        std::string key = df.stages[s].name->text;
        for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        by_name.emplace(std::move(key), s);
    }
    auto find_stage = [&](std::string name) -> std::optional<size_t> {
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto it = by_name.find(name);
        return it == by_name.end() ? std::nullopt : std::optional<size_t>(it->second);
    };
    for (size_t s = 0; s < df.stages.size(); ++s) {
        const auto& stage = df.stages[s];
        // FROM names an earlier stage when a stage of that name precedes it; otherwise an image.
        if (!stage.base.empty()) {
            auto named = find_stage(dockerfile::unquote(stage.base, df.escape));
            if (named && *named < s) stages_[s].parent = named;
        }
        auto add = [&](std::string name, Range range, size_t instruction) {
            const std::optional<size_t> index = dockerfile::stage_index(name);
            StageDependency dep{name, range, instruction, std::nullopt, index.has_value()};
            if (index) {
                if (*index < df.stages.size()) dep.stage = index;
            } else {
                dep.stage = find_stage(name);
            }
            stages_[s].dependencies.push_back(std::move(dep));
        };
        for (size_t index : stage.instructions) {
            const auto& ins = df.instructions[index];
            if (ins.kind == InstructionKind::Copy || ins.kind == InstructionKind::Add) {
                if (const auto* f = ins.flag("from"); f && f->value && !f->value->empty())
                    add(*f->value, f->value_range, index);
            }
            if (ins.kind == InstructionKind::Run) {
                for (const auto& f : ins.flags) {
                    if (f.name != "mount" || !f.value) continue;
                    if (auto span = mount_from(*f.value))
                        add(f.value->substr(span->first, span->second - span->first),
                            sub_range(df.source, f.value_range, span->first, span->second), index);
                }
            }
        }
    }
}

bool StageModel::depends_on(size_t from, size_t to) const {
    std::vector<size_t> to_visit{from};
    std::vector<bool> seen(stages_.size(), false);
    while (!to_visit.empty()) {
        size_t cur = to_visit.back();
        to_visit.pop_back();
        if (seen[cur]) continue;
        seen[cur] = true;
        if (stages_[cur].parent) {
            if (*stages_[cur].parent == to) return true;
            to_visit.push_back(*stages_[cur].parent);
        }
        for (const auto& d : stages_[cur].dependencies) {
            if (!d.stage) continue;
            if (*d.stage == to) return true;
            to_visit.push_back(*d.stage);
        }
    }
    return false;
}

size_t StageModel::root(size_t stage) const {
    size_t guard = 0;
    while (stages_[stage].parent && guard++ < stages_.size()) stage = *stages_[stage].parent;
    return stage;
}

std::string platform_arg_value(std::string_view name, const std::string& target_platform) {
#if defined(__aarch64__)
    std::string host = "linux/arm64";
#else
    std::string host = "linux/amd64";
#endif
    std::string platform = name.rfind("BUILD", 0) == 0 || target_platform.empty() ? host : target_platform;
    size_t first = platform.find('/');
    size_t second = first == std::string::npos ? std::string::npos : platform.find('/', first + 1);
    std::string os = platform.substr(0, first);
    std::string arch = first == std::string::npos ? "" : platform.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
    std::string variant = second == std::string::npos ? "" : platform.substr(second + 1);
    if (name.ends_with("PLATFORM")) return platform;
    if (name.ends_with("OS")) return os;
    if (name.ends_with("ARCH")) return arch;
    if (name.ends_with("VARIANT")) return variant;
    return "";
}

bool is_predefined_platform_arg(std::string_view name) {
    static const char* names[] = {"BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
                                  "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
                                  "TARGETSTAGE"};
    for (const char* n : names)
        if (name == n) return true;
    return false;
}

Range sub_range(const SourceText& source, Range whole, size_t begin, size_t end) {
    if (whole.start.line == whole.end.line) {
        size_t base = source.byte_column(whole.start.line, whole.start.character);
        return {source.from_bytes(whole.start.line, base + begin),
                source.from_bytes(whole.start.line, base + end)};
    }
    size_t base = source.offset_at(whole.start);
    return {source.position_at(base + begin), source.position_at(base + end)};
}

}  // namespace envbuilder

#include "analysis/dockerfile_lint.h"
#include "syntax/expansion.h"

namespace envbuilder {

const std::string* Scope::value(const std::string& name) const {
    auto it = vars.find(name);
    return it != vars.end() && it->second ? &*it->second : nullptr;
}

void walk_stage_scopes(const dockerfile::Dockerfile& df, const StageModel& model, const LintOptions& options,
                       const std::function<void(size_t, size_t, const Scope&)>& f) {
    std::vector<Scope> final_scopes(df.stages.size());
    std::map<std::string, std::optional<std::string>> globals;
    for (const auto& [name, value] : model.global_args()) {
        auto arg = options.build_args.find(name);
        globals[name] = arg != options.build_args.end() ? std::optional<std::string>(arg->second) : value;
    }
    for (size_t s = 0; s < df.stages.size(); ++s) {
        Scope scope;
        const auto& stage = df.stages[s];
        if (auto parent = model.stages()[s].parent) {
            scope = final_scopes[*parent];
        } else {
            std::string base = dockerfile::unquote(stage.base, df.escape);
            if (base == "scratch") {
                scope.env_complete = true;
            } else if (options.resolve_base_image) {
                // The FROM image name may use global ARGs.
                dockerfile::VariableLookup lookup = [&](std::string_view n) -> const std::string* {
                    auto it = globals.find(std::string(n));
                    return it != globals.end() && it->second ? &*it->second : nullptr;
                };
                auto expanded = dockerfile::expand(stage.base, lookup, df.escape);
                const auto* platform = df.instructions[stage.from_index].flag("platform");
                if (!expanded.error) {
                    if (auto info = options.resolve_base_image(
                            expanded.value, platform && platform->value ? *platform->value : options.target_platform)) {
                        for (auto& [k, v] : info->env) {
                            scope.vars[k] = v;
                            scope.env_names.insert(k);
                        }
                        scope.env_complete = true;
                    }
                }
            }
            // The proxy build args are predefined: given with --build-arg, they need no ARG.
            for (const char* proxy : {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
                                      "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"})
                if (auto arg = options.build_args.find(proxy); arg != options.build_args.end())
                    scope.vars[proxy] = arg->second;
            // Every Linux image gets a PATH, from its config or from the builder's default.
            if (!scope.vars.count("PATH"))
                scope.vars["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        }
        for (size_t index : stage.instructions) {
            const auto& ins = df.instructions[index];
            f(s, index, scope);
            dockerfile::VariableLookup lookup = [&](std::string_view n) { return scope.value(std::string(n)); };
            auto expand_value = [&](const std::string& raw) -> std::optional<std::string> {
                auto e = dockerfile::expand(raw, lookup, df.escape);
                if (e.error || !e.unset.empty()) return std::nullopt;
                return e.value;
            };
            switch (ins.kind) {
                case dockerfile::InstructionKind::Env: {
                    // All pairs of one ENV expand against the env from before the instruction.
                    std::vector<std::pair<std::string, std::optional<std::string>>> updates;
                    for (const auto& kv : ins.pairs)
                        updates.emplace_back(kv.key, kv.value ? expand_value(*kv.value) : std::nullopt);
                    for (auto& [k, v] : updates) {
                        scope.vars[k] = v;
                        scope.env_names.insert(k);
                    }
                    break;
                }
                case dockerfile::InstructionKind::Arg:
                    for (const auto& kv : ins.pairs) {
                        std::optional<std::string> value;
                        if (auto arg = options.build_args.find(kv.key); arg != options.build_args.end())
                            value = arg->second;
                        else if (kv.value)
                            value = expand_value(*kv.value);
                        else if (auto g = globals.find(kv.key); g != globals.end())
                            value = g->second;
                        else if (is_predefined_platform_arg(kv.key))
                            value = platform_arg_value(kv.key, options.target_platform);
                        // An ENV of the same name wins over the ARG; a later ARG replaces an earlier one.
                        if (!scope.env_names.count(kv.key)) scope.vars[kv.key] = value;
                    }
                    break;
                case dockerfile::InstructionKind::Workdir:
                    scope.workdir_set = true;
                    break;
                default:
                    break;
            }
        }
        final_scopes[s] = std::move(scope);
    }
}

}  // namespace envbuilder
