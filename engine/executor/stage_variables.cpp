#include "executor/stage_variables.h"

#include <map>
#include <memory>

#include "executor/image_config.h"

namespace envbuilder::executor {

dockerfile::VariableLookup stage_variables(const StageState& s) {
    auto env = std::make_shared<std::map<std::string, std::string>>();
    for (const auto& e : env_of(s.image)) {
        size_t eq = e.find('=');
        if (eq != std::string::npos) (*env)[e.substr(0, eq)] = e.substr(eq + 1);
    }
    return [env, &s](std::string_view name) -> const std::string* {
        if (auto it = env->find(std::string(name)); it != env->end()) return &it->second;
        if (auto it = s.args.find(std::string(name)); it != s.args.end()) return &it->second;
        return nullptr;
    };
}

}  // namespace envbuilder::executor
