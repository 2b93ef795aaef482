#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

// Our own argument, flag and value checks, in the order they run. Each is in the file named after
// it; the Rule objects are constant-initialized, so this may run at any time.
std::vector<Rule> instruction_rules() {
    return {
        no_stages_rule,
        directive_casing_rule,
        instruction_before_from_rule,
        argument_count_rule,
        unknown_flag_rule,
        duplicate_flag_rule,
        missing_flag_value_rule,
        invalid_flag_value_rule,
        invalid_run_mount_rule,
        invalid_run_network_rule,
        invalid_run_security_rule,
        invalid_port_rule,
        invalid_protocol_rule,
        invalid_stop_signal_rule,
        shell_requires_json_rule,
        invalid_onbuild_trigger_rule,
        unterminated_quote_rule,
        unsupported_modifier_rule,
        invalid_stage_name_rule,
        invalid_image_reference_rule,
        copy_destination_not_directory_rule,
        single_quoted_json_rule,
    };
}

}  // namespace envbuilder::rules
