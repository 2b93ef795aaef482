#pragma once
// How the stages of a Dockerfile relate: which earlier stage a FROM builds on, and which stages a
// stage reads from (COPY --from, RUN --mount from=). Shared by the rules that follow stages.
#include <functional>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "syntax/dockerfile_ast.h"
#include "syntax/suggestions.h"

namespace envbuilder {

struct StageDependency {
    std::string name;  // as written
    Range range;       // the value in the source
    size_t instruction = 0;
    std::optional<size_t> stage;  // the stage it names, if any (earlier or later)
    bool numeric = false;         // `--from=0` names a stage by index
};

struct StageInfo {
    std::optional<size_t> parent;  // FROM <earlier stage>
    std::vector<StageDependency> dependencies;
};

class StageModel {
public:
    explicit StageModel(const dockerfile::Dockerfile& df);
    const std::vector<StageInfo>& stages() const { return stages_; }
    // The root of a stage's FROM chain (itself when it builds on an image).
    size_t root(size_t stage) const;
    // Whether `from` needs `to`, through FROM parents and --from dependencies.
    bool depends_on(size_t from, size_t to) const;
    // Global ARG defaults (ARGs before the first FROM), unquoted; nullptr value = declared only.
    const std::vector<std::pair<std::string, std::optional<std::string>>>& global_args() const {
        return global_args_;
    }

private:
    std::vector<StageInfo> stages_;
    std::vector<std::pair<std::string, std::optional<std::string>>> global_args_;
};

// Platform build args that BuildKit defines without an ARG instruction in FROM lines.
bool is_predefined_platform_arg(std::string_view name);
// The value BuildKit gives a platform arg (TARGETOS, BUILDARCH, ...) for a target platform
// ("os/arch[/variant]"; empty means this host's).
std::string platform_arg_value(std::string_view name, const std::string& target_platform);

// Range of bytes [begin, end) inside a token whose source range is `whole` (handles tokens on one
// line exactly; for a token broken over lines it maps through absolute offsets).
Range sub_range(const SourceText& source, Range whole, size_t begin, size_t end);


}  // namespace envbuilder

namespace envbuilder {

struct LintOptions;

// The variables an instruction sees, as BuildKit's dispatcher tracks them through a stage.
struct Scope {
    std::map<std::string, std::optional<std::string>> vars;  // name -> value (nullopt: declared, unset)
    bool env_complete = false;  // false when the stage builds on an image whose env is unknown
    bool workdir_set = false;   // some WORKDIR ran earlier in this stage or a stage it builds on
    std::set<std::string> env_names;  // set by ENV (or the base image): an ARG does not override them
    bool is_defined(const std::string& name) const { return vars.count(name) != 0; }
    // Value when known (declared with a value); nullptr otherwise.
    const std::string* value(const std::string& name) const;
};

// Calls f(stage, instruction_index, scope_before) for every instruction inside every stage, in
// order, then applies the instruction (ENV, ARG, WORKDIR) to the scope.
void walk_stage_scopes(const dockerfile::Dockerfile& df, const StageModel& model, const LintOptions& options,
                       const std::function<void(size_t, size_t, const Scope&)>& f);

}  // namespace envbuilder
