// envbuilder: dev container tooling. Each subcommand lives in cli/.
#include <iostream>
#include <string>
#include <vector>

#include "cli/build_command.h"
#include "cli/lint_command.h"
#include "cli/registry_commands.h"
#include "lsp/server.h"
#include "version.h"

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
    "  version                                   print the version\n";
}

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
    if (command == "lsp" || command == "--stdio") {
        for (const auto& a : args) {
            // Editors pass transport flags; stdio is the only transport, so it is the only one
            // accepted.
            if (a != "--stdio") {
                std::cerr << "envbuilder lsp: unsupported option '" << a << "' (only --stdio)\n";
                return 2;
            }
        }
        return envbuilder::lsp::run_language_server();
    }
    if (command == "version" || command == "--version") {
        std::cout << "envbuilder " << ENVBUILDER_VERSION << '\n';
        return 0;
    }
    std::cerr << "envbuilder: unknown command '" << command << "'\n" << kUsage;
    return 2;
}
