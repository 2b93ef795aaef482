#include "cli/devcontainer_build_options.h"

#include <stdexcept>

namespace envbuilder::cli {

namespace {

constexpr const char* kSupported =
    "--build-arg, --target, --label, --platform, --no-cache, --network";

std::pair<std::string, std::string> key_value(const std::string& text) {
    size_t eq = text.find('=');
    if (eq == std::string::npos) return {text, ""};
    return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace

DockerBuildOptions parse_build_options(const std::vector<devcontainer::Text>& options,
                                       const std::string& file_label) {
    DockerBuildOptions out;
    for (size_t i = 0; i < options.size(); ++i) {
        const devcontainer::Text& option = options[i];
        auto fail = [&](const std::string& what) {
            throw std::runtime_error(
                file_label + ":" + std::to_string(option.range.start.line + 1) + ":" +
                std::to_string(option.range.start.character + 1) + ": build.options: " + what);
        };
        std::string flag = option.value, value;
        bool has_value = false;
        if (size_t eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag.resize(eq);
            has_value = true;
        }
        auto take_value = [&]() {
            if (has_value) return value;
            if (i + 1 >= options.size()) fail(flag + " needs a value");
            return options[++i].value;
        };
        if (flag == "--build-arg") {
            auto [k, v] = key_value(take_value());
            if (k.empty()) fail("--build-arg needs NAME=VALUE");
            out.build_args[k] = v;
        } else if (flag == "--target") {
            out.target = take_value();
        } else if (flag == "--label") {
            auto [k, v] = key_value(take_value());
            if (k.empty()) fail("--label needs KEY=VALUE");
            out.labels[k] = v;
        } else if (flag == "--platform") {
            out.platform = take_value();
        } else if (flag == "--no-cache") {
            if (has_value) fail("--no-cache takes no value");
            out.no_cache = true;
        } else if (flag == "--network") {
            std::string network = take_value();
            if (network != "none" && network != "host" && network != "default")
                fail("--network " + network +
                     " is not supported: envbuilder runs RUN steps with the host's network "
                     "(default, host) or none");
            out.network = network;
        } else {
            fail("\"" + option.value + "\" is not supported by envbuilder build (it applies " +
                 kSupported + "); remove it or build with docker");
        }
    }
    return out;
}

}  // namespace envbuilder::cli
