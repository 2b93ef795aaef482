#include "analysis/rules/rule.h"

namespace envbuilder::rules {

std::vector<Rule> build_check_rules() { return {}; }

}  // namespace envbuilder::rules
