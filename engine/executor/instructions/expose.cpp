// EXPOSE port[/proto]...: lower-cased, tcp by default; the history lists them as Go prints a map.
#include <algorithm>

#include "executor/image_config.h"
#include "executor/instructions/instructions.h"

namespace envbuilder::executor::instructions {

Step expose(StageContext& ctx, StageState& s, const Instruction& ins) {
    oci::KeySet& exposed = config_of(s.image).exposed_ports.make();
    std::vector<std::string> ports;
    for (auto port : ctx.expand_words(s, ins.arguments, ins)) {
        if (port.find('/') == std::string::npos) port += "/tcp";
        for (auto& c : port) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        exposed[port] = nlohmann::json::object();
        ports.push_back(port);
    }
    std::sort(ports.begin(), ports.end());
    std::string created_by = "EXPOSE map[";
    for (size_t i = 0; i < ports.size(); ++i) created_by += (i ? " " : "") + ports[i] + ":{}";
    return Step::config(created_by + "]");
}

}  // namespace envbuilder::executor::instructions
