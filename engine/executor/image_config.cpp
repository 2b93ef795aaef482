#include "executor/image_config.h"

#include <ctime>

namespace envbuilder::executor {

using nlohmann::json;

json& config_of(json& image) {
    if (!image.contains("config") || !image["config"].is_object()) image["config"] = json::object();
    return image["config"];
}

std::string config_string(const json& image, const char* field, const std::string& fallback) {
    auto config = image.find("config");
    if (config == image.end() || !config->is_object()) return fallback;
    auto value = config->find(field);
    return value != config->end() && value->is_string() ? value->get<std::string>() : fallback;
}

json& config_object(json& image, const char* field) {
    json& config = config_of(image);
    if (!config.contains(field) || !config[field].is_object()) config[field] = json::object();
    return config[field];
}

std::vector<std::string> env_of(const json& image) {
    std::vector<std::string> env;
    if (image.contains("config") && image["config"].contains("Env") &&
        image["config"]["Env"].is_array())
        for (const auto& e : image["config"]["Env"])
            if (e.is_string()) env.push_back(e);
    return env;
}

std::optional<std::string> env_value(const json& image, const std::string& name) {
    for (const auto& e : env_of(image))
        if (e.rfind(name + "=", 0) == 0) return e.substr(name.size() + 1);
    return std::nullopt;
}

void set_env(json& image, const std::string& name, const std::string& value) {
    json& config = config_of(image);
    if (!config.contains("Env") || !config["Env"].is_array()) config["Env"] = json::array();
    for (auto& e : config["Env"])
        if (e.is_string() && e.get<std::string>().rfind(name + "=", 0) == 0) {
            e = name + "=" + value;
            return;
        }
    config["Env"].push_back(name + "=" + value);
}

std::vector<std::string> shell_of(const json& image) {
    std::vector<std::string> shell;
    if (image.contains("config") && image["config"].contains("Shell") &&
        image["config"]["Shell"].is_array())
        for (const auto& part : image["config"]["Shell"])
            if (part.is_string()) shell.push_back(part);
    if (shell.empty()) shell = {"/bin/sh", "-c"};
    return shell;
}

std::vector<std::string> command_of(const json& image, const dockerfile::Instruction& ins) {
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
