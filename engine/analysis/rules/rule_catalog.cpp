#include "analysis/rules/rule.h"

namespace envbuilder::rules {

const std::vector<Rule>& dockerfile_rules() {
    static const std::vector<Rule> all = [] {
        std::vector<Rule> rules = build_check_rules();
        for (Rule& r : instruction_rules()) rules.push_back(r);
        return rules;
    }();
    return all;
}

const Rule* find_rule(std::string_view name) {
    for (const Rule& r : dockerfile_rules())
        if (name == r.info.name) return &r;
    return nullptr;
}

}  // namespace envbuilder::rules
