// HEALTHCHECK [flags] CMD command | HEALTHCHECK NONE: the config's Healthcheck, as
// syntax/commands/healthcheck_command reads it (the reader lint uses); durations in nanoseconds
// as Docker stores them.
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "executor/instructions/read_command.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

Step healthcheck(StageContext& ctx, StageState& s, const Instruction& ins) {
    const dockerfile::HealthcheckCommand command =
        checked(ctx, ins, dockerfile::parse_healthcheck_command(ins));
    oci::Healthcheck check;
    check.test = command.test;
    for (auto [value, field] : {std::pair{&command.interval, &oci::Healthcheck::interval},
                                {&command.timeout, &oci::Healthcheck::timeout},
                                {&command.start_period, &oci::Healthcheck::start_period},
                                {&command.start_interval, &oci::Healthcheck::start_interval}})
        if (*value) check.*field = **value;
    if (command.retries) check.retries = static_cast<int64_t>(*command.retries);
    config_of(s.image).healthcheck = check;
    return Step::config("HEALTHCHECK " + json_text(oci::to_json(check)));
}

}  // namespace envbuilder::executor::instructions
