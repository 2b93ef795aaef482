#pragma once
// A Dev Container Feature as a step of the build (the spec's "Each Feature script executes as its
// own layer"): its containerEnv becomes ENV, its files are copied into the stage root, install.sh
// runs as root in the sandbox with the options and the users in its environment, and its folder
// is removed again, so the layer holds only what install.sh did.
#include "executor/build.h"
#include "executor/step.h"

namespace envbuilder::executor {

// Where a feature's files are while it installs (the devcontainers CLI's folder).
inline constexpr const char* kFeaturesFolder = "/tmp/dev-container-features";

// `stand_in` is the instruction the stage loop reports the step as (keyword FEATURE, the range of
// the feature in devcontainer.json); failures name the feature and its file.
Step feature_step(StageContext& ctx, StageState& s, const FeatureInstall& feature, size_t index,
                  const dockerfile::Instruction& stand_in);

}  // namespace envbuilder::executor
