// ArgumentCount: each instruction gets the number and shape of arguments BuildKit's instruction
// parser requires. Note that BuildKit reads the whole argument text of USER, WORKDIR, STOPSIGNAL
// and MAINTAINER as a single argument (its parseString), so "WORKDIR /my dir" is a valid path with
// a space and "MAINTAINER Jane Doe <jane@example.com>" is fine; only USER and STOPSIGNAL, whose
// value cannot contain a space, get an extra-argument error here.
#include "analysis/rules/instruction_checks.h"

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

Range words_from(const Instruction& ins, size_t first) {
    return {ins.words[first].range.start, ins.words.back().range.end};
}

std::string in_quotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// For "<KEYWORD> needs ...", for the instructions that only need something.
const char* expected_argument(InstructionKind kind) {
    switch (kind) {
        case InstructionKind::Arg:
            return "a variable name";
        case InstructionKind::Expose:
            return "a port";
        case InstructionKind::Onbuild:
            return "an instruction";
        case InstructionKind::Shell:
            return "a JSON array naming the shell";
        default:
            return "a command";
    }
}

void check_instruction(LintContext& ctx, const Instruction& ins) {
    if (ins.kind == InstructionKind::Unknown) return;
    // Built only when reporting: most instructions are fine.
    auto name = [&] { return std::string(keyword_name(ins.kind)); };
    const size_t n = ins.words.size();
    auto missing = [&](std::string message) { ctx.report(ins.keyword_range, std::move(message)); };

    switch (ins.kind) {
        case InstructionKind::From:
            if (n == 0) {
                missing("FROM needs a base image: FROM <image> [AS <name>]");
            } else if (n == 2) {
                if (iequals(ins.words[1].text, "AS"))
                    ctx.report(ins.words[1].range,
                               "AS must be followed by a stage name: FROM <image> AS <name>");
                else
                    ctx.report(ins.words[1].range,
                               "FROM takes one image, optionally followed by 'AS <name>'; found " +
                                   in_quotes(ins.words[1].text) + " where AS was expected");
            } else if (n >= 3) {
                if (!iequals(ins.words[1].text, "AS"))
                    ctx.report(ins.words[1].range,
                               "expected AS between the image and the stage name, found " +
                                   in_quotes(ins.words[1].text));
                else if (n > 3)
                    ctx.report(words_from(ins, 3),
                               "FROM takes at most three arguments (<image> AS <name>); the rest "
                               "is extra");
            }
            break;

        case InstructionKind::Copy:
        case InstructionKind::Add: {
            // Exec form counts the JSON elements; a here-document marker counts as a source.
            const size_t count = ins.json ? ins.json->size() : n;
            if (count == 0) {
                missing(name() + " needs at least one source and a destination");
            } else if (count == 1) {
                missing(name() + " needs at least one source and a destination, but only " +
                        in_quotes(ins.json ? ins.json->front().text : ins.words.front().text) +
                        " was given");
            } else if (!ins.json && is_heredoc_marker(ins.words.back().text)) {
                ctx.report(ins.words.back().range, name() +
                                                       " cannot write to a here-document: the last "
                                                       "argument must be the destination path");
            }
            break;
        }

        case InstructionKind::User:
        case InstructionKind::Stopsignal:
            if (n == 0) {
                missing(ins.kind == InstructionKind::User
                            ? "USER needs a user name or UID, optionally with :group"
                            : "STOPSIGNAL needs a signal name or number, e.g. SIGTERM");
            } else if (n > 1) {
                ctx.report(words_from(ins, 1),
                           name() + " takes exactly one argument; BuildKit would read " +
                               in_quotes(ins.arguments) + " as a single value");
            }
            break;

        case InstructionKind::Workdir:
            if (n == 0) missing("WORKDIR needs a directory path");
            break;

        case InstructionKind::Maintainer:
            if (n == 0)
                missing(
                    "MAINTAINER needs a name (better: LABEL org.opencontainers.image.authors=...)");
            break;

        case InstructionKind::Env:
        case InstructionKind::Label:
            if (n == 0) {
                missing(name() + " needs at least one key=value pair");
            } else if (ins.legacy_key_value && !ins.pairs.empty() && !ins.pairs[0].value) {
                ctx.report(ins.words[0].range, name() + " " + ins.words[0].text +
                                                   " has no value: write " + ins.words[0].text +
                                                   "=<value>");
            }
            break;

        case InstructionKind::Volume:
            if (n == 0) {
                missing("VOLUME needs at least one path");
            } else if (ins.json) {
                if (ins.json->empty()) ctx.report(ins.arguments_range, "VOLUME [] lists no path");
                for (const auto& element : *ins.json) {
                    bool blank = element.text.find_first_not_of(" \t") == std::string::npos;
                    if (blank) ctx.report(element.range, "VOLUME path cannot be empty");
                }
            }
            break;

        case InstructionKind::Arg:
        case InstructionKind::Expose:
        case InstructionKind::Onbuild:
        case InstructionKind::Shell:
        case InstructionKind::Cmd:
        case InstructionKind::Entrypoint:
            if (n == 0) missing(name() + " needs " + expected_argument(ins.kind));
            break;

        case InstructionKind::Run:
            if (n == 0 && ins.heredocs.empty()) missing("RUN needs a command");
            break;

        case InstructionKind::Healthcheck: {
            if (n == 0) {
                missing("HEALTHCHECK needs CMD <command> or NONE");
                break;
            }
            const std::string type = upper(ins.words[0].text);
            if (type == "NONE") {
                if (n > 1)
                    ctx.report(words_from(ins, 1), "HEALTHCHECK NONE takes no further arguments");
            } else if (type == "CMD") {
                bool empty_exec = n == 2 && ins.words[1].text == "[]";
                if (n == 1 || empty_exec)
                    ctx.report(ins.words[0].range, "HEALTHCHECK CMD needs a command to run");
            } else {
                ctx.report(ins.words[0].range, "unknown HEALTHCHECK type " +
                                                   in_quotes(ins.words[0].text) +
                                                   ": expected CMD <command> or NONE");
            }
            break;
        }

        default:
            break;
    }
}

void check(LintContext& ctx) {
    ctx.each_instruction([&](const Instruction& ins, size_t) { check_instruction(ctx, ins); },
                         /*with_triggers=*/true);
}

}  // namespace

const Rule argument_count_rule = {
    {"ArgumentCount", "An instruction has missing, extra or misplaced arguments", "",
     Severity::Error},
    check};

}  // namespace envbuilder::rules
