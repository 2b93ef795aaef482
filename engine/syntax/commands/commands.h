#pragma once
// The typed instructions, one header each: built once from the syntax tree, read by lint (the
// errors) and the executor (the values).
#include "syntax/commands/copy_command.h"
#include "syntax/commands/from_command.h"
#include "syntax/commands/healthcheck_command.h"
#include "syntax/commands/run_command.h"
#include "syntax/commands/stopsignal_command.h"
#include "syntax/commands/shell_command.h"
