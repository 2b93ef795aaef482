#include "executor/image_config.h"

#include <ctime>

namespace envbuilder::executor {

namespace {

// A list field of the config ("Env", "Shell"), empty when the config or the field is unset.
std::vector<std::string> list_of(
    const oci::ImageConfig& image,
    oci::Field<std::vector<std::string>> oci::ContainerConfig::*field) {
    const oci::ContainerConfig* config = image.config.get();
    return config ? (config->*field).value_or({}) : std::vector<std::string>{};
}

std::string string_of(const oci::ImageConfig& image,
                      oci::Field<std::string> oci::ContainerConfig::*field,
                      const std::string& fallback) {
    const oci::ContainerConfig* config = image.config.get();
    return config ? (config->*field).value_or(fallback) : fallback;
}

}  // namespace

oci::ContainerConfig& config_of(oci::ImageConfig& image) {
    return image.config.make();
}

std::string user_of(const oci::ImageConfig& image) {
    return string_of(image, &oci::ContainerConfig::user, "");
}

std::string working_dir_of(const oci::ImageConfig& image, const std::string& fallback) {
    return string_of(image, &oci::ContainerConfig::working_dir, fallback);
}

std::vector<std::string> env_of(const oci::ImageConfig& image) {
    return list_of(image, &oci::ContainerConfig::env);
}

std::optional<std::string> env_value(const oci::ImageConfig& image, const std::string& name) {
    for (const auto& e : env_of(image))
        if (e.rfind(name + "=", 0) == 0) return e.substr(name.size() + 1);
    return std::nullopt;
}

void set_env(oci::ImageConfig& image, const std::string& name, const std::string& value) {
    std::vector<std::string>& env = config_of(image).env.make();
    for (auto& e : env)
        if (e.rfind(name + "=", 0) == 0) {
            e = name + "=" + value;
            return;
        }
    env.push_back(name + "=" + value);
}

std::vector<std::string> shell_of(const oci::ImageConfig& image) {
    std::vector<std::string> shell = list_of(image, &oci::ContainerConfig::shell);
    if (shell.empty()) shell = {"/bin/sh", "-c"};
    return shell;
}

std::vector<std::string> command_of(const oci::ImageConfig& image,
                                    const dockerfile::Instruction& ins) {
    std::vector<std::string> argv;
    if (ins.is_exec_form()) {
        for (const auto& w : *ins.json) argv.push_back(w.text);
        return argv;
    }
    argv = shell_of(image);
    argv.push_back(ins.arguments);
    return argv;
}

std::string rfc3339(int64_t seconds) {
    char buf[32];
    time_t t = static_cast<time_t>(seconds);
    struct tm tm;
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace envbuilder::executor
