#pragma once
// A build run for the language server as a child `envbuilder build --progress json`: the server
// keeps answering while it runs (it is another process, on another core), a crash of the build
// cannot take the server down, a rootless build can enter its user namespace, and cancelling is
// killing the child, whose RUN steps die with it.
#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

namespace envbuilder::lsp {

class BuildProcess {
  public:
    struct Callbacks {
        std::function<void(const nlohmann::json& event)> on_event;  // each JSON line of stdout
        std::function<void(const std::string& line)> on_stderr;     // each line of stderr
        std::function<void(int status)> on_exit;                    // exit status (128+signal)
    };

    // Starts `program args...`; callbacks run on `io` (the server's thread), never concurrently.
    BuildProcess(boost::asio::io_context& io, const std::string& program,
                 const std::vector<std::string>& args, Callbacks callbacks);
    ~BuildProcess();
    BuildProcess(const BuildProcess&) = delete;
    BuildProcess& operator=(const BuildProcess&) = delete;

    // Kills the build's process group: SIGTERM, then SIGKILL if it is still there after a second.
    void cancel();
    pid_t pid() const { return pid_; }

  private:
    boost::asio::io_context& io_;
    pid_t pid_ = -1;
    std::thread stdout_reader_, stderr_reader_, waiter_;
    std::shared_ptr<bool> alive_;  // false once the server no longer wants callbacks
};

}  // namespace envbuilder::lsp
