#include "analysis/rules/rule.h"

namespace envbuilder::rules {

// BuildKit's build checks, under BuildKit's names.
extern const Rule stage_name_casing, from_as_casing, no_empty_continuation, consistent_instruction_casing,
    duplicate_stage_name, reserved_stage_name, json_args_recommended, maintainer_deprecated,
    undefined_arg_in_from, workdir_relative_path, undefined_var, multiple_instructions_disallowed,
    legacy_key_value_format, invalid_base_image_platform, redundant_target_platform,
    secrets_used_in_arg_or_env, invalid_default_arg_in_from, from_platform_flag_const_disallowed,
    copy_ignored_file, expose_proto_casing, expose_invalid_format, invalid_definition_description;
// Errors BuildKit raises while planning the build, and what it does silently that deserves a word.
extern const Rule circular_stage_reference, copy_from_later_stage, stage_reference_is_image;

std::vector<Rule> build_check_rules() {
    return {stage_name_casing, from_as_casing, no_empty_continuation, consistent_instruction_casing,
            duplicate_stage_name, reserved_stage_name, json_args_recommended, maintainer_deprecated,
            undefined_arg_in_from, workdir_relative_path, undefined_var, multiple_instructions_disallowed,
            legacy_key_value_format, invalid_base_image_platform, redundant_target_platform,
            secrets_used_in_arg_or_env, invalid_default_arg_in_from, from_platform_flag_const_disallowed,
            copy_ignored_file, expose_proto_casing, expose_invalid_format, invalid_definition_description,
            circular_stage_reference, copy_from_later_stage, stage_reference_is_image};
}

}  // namespace envbuilder::rules
