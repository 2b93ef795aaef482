#include "syntax/diagnostic.h"

namespace envbuilder {

const char* severity_name(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Information: return "information";
        case Severity::Hint: return "hint";
    }
    return "error";
}

}  // namespace envbuilder
