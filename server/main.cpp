// envbuilder: dev container tooling. Each subcommand lives in cli/.
#include <iostream>
#include <string>
#include <vector>

#include "cli/build_command.h"
#include "cli/lint_command.h"
#include "cli/lsp_command.h"
#include "cli/registry_commands.h"
#include "syntax/suggestions.h"

namespace {
constexpr const char* kUsage =
    "usage: envbuilder <command> [options]\n"
    "\n"
    "commands:\n"
    "  build [--workspace DIR] --image REF ...   build a devcontainer or Dockerfile (no daemon) "
    "and push it\n"
    "  lint [--format text|json|sarif] PATH...   check Dockerfiles and devcontainer.json files\n"
    "  lsp [--stdio]                             run the language server on stdin/stdout\n"
    "  pull REF [--oci-layout DIR] [options]     pull an image into the blob store (and a layout)\n"
    "  push OCI-LAYOUT-DIR REF [options]         push the image of an OCI layout to a registry\n"
    "  inspect REF [options]                     show an image's manifest, config and sources\n"
    "  version                                   print the version\n"
    "\n"
    "envbuilder <command> --help shows a command's options.\n";
const std::vector<std::string> kCommands{"build", "lint",    "lsp",    "pull",
                                         "push",  "inspect", "version"};
}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
        (args.empty() ? std::cerr : std::cout) << kUsage;
        return args.empty() ? 2 : 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "build") return envbuilder::cli::run_build(args, std::cout, std::cerr);
    if (command == "lint") return envbuilder::cli::run_lint(args, std::cout, std::cerr);
    if (command == "pull") return envbuilder::cli::run_pull(args, std::cout, std::cerr);
    if (command == "push") return envbuilder::cli::run_push(args, std::cout, std::cerr);
    if (command == "inspect") return envbuilder::cli::run_inspect(args, std::cout, std::cerr);
    if (command == "lsp" || command == "--stdio")
        return envbuilder::cli::run_lsp(args, std::cout, std::cerr);
    if (command == "version" || command == "--version")
        return envbuilder::cli::run_version(args, std::cout, std::cerr);
    std::cerr << "envbuilder: unknown command '" << command << "'";
    if (auto nearest = envbuilder::closest_match(command, kCommands))
        std::cerr << " (did you mean " << *nearest << "?)";
    std::cerr << "\n" << kUsage;
    return 2;
}
