#pragma once
// The variables an instruction of a stage sees when its text is expanded: the image's ENV over
// the stage's ARGs of the same name, as in Docker. The executor and the instruction tests' fake
// context both expand through this.
#include "executor/stage_state.h"
#include "syntax/expansion.h"

namespace envbuilder::executor {

dockerfile::VariableLookup stage_variables(const StageState& s);

}  // namespace envbuilder::executor
