#include "analysis/rules/rule.h"

namespace envbuilder::rules {

std::vector<Rule> instruction_rules() { return {}; }

}  // namespace envbuilder::rules
