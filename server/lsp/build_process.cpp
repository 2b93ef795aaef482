#include "lsp/build_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <boost/asio/post.hpp>

namespace envbuilder::lsp {

namespace {

// The longest line handed on; the build's own lines are far shorter (its RUN output comes cut to
// 16 KiB), so only a broken build could reach it, and then costs bounded memory.
constexpr size_t kMaxLine = 1 << 20;

// Reads `fd` to its end, handing each line to `line` (on the reader's thread), in time linear in
// what was read: each byte is looked at once.
void read_lines(int fd, const std::function<void(std::string)>& line) {
    std::string pending;
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (std::string_view rest(buffer, static_cast<size_t>(n)); !rest.empty();) {
            size_t nl = rest.find('\n');
            size_t take = std::min(nl == std::string_view::npos ? rest.size() : nl,
                                   kMaxLine - pending.size());
            pending.append(rest.substr(0, take));
            rest.remove_prefix(take);
            bool ended = !rest.empty() && rest.front() == '\n';
            if (ended) rest.remove_prefix(1);
            if (ended || pending.size() == kMaxLine) line(std::exchange(pending, std::string()));
        }
    }
    if (!pending.empty()) line(pending);
    ::close(fd);
}

}  // namespace

BuildProcess::BuildProcess(boost::asio::io_context& io, const std::string& program,
                           const std::vector<std::string>& args, Callbacks callbacks)
    : io_(io), alive_(std::make_shared<bool>(true)) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("cannot start the build: ") + std::strerror(errno));
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (auto& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0)
        throw std::runtime_error(std::string("cannot start the build: ") + std::strerror(errno));
    if (pid_ == 0) {
        ::setpgid(0, 0);  // its own process group, so a cancel reaches everything it started
        // The build yields the CPU to the editor: diagnostics stay as fast while it runs.
        ::setpriority(PRIO_PROCESS, 0, 10);
        int null_fd = ::open("/dev/null", O_RDONLY);
        ::dup2(null_fd, 0);
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
        // Only 0, 1 and 2 reach the build: not the editor's connection or open documents.
        ::close_range(3, ~0U, 0);
        ::execv(c_argv[0], c_argv.data());
        ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    ::close(out[1]);
    ::close(err[1]);
    auto alive = alive_;
    auto post = [this, alive](std::function<void()> f) {
        boost::asio::post(io_, [alive, f = std::move(f)] {
            if (*alive) f();
        });
    };
    auto on_event = callbacks.on_event;
    auto on_stderr = callbacks.on_stderr;
    auto on_exit = callbacks.on_exit;
    stdout_reader_ = std::thread([fd = out[0], post, on_event] {
        read_lines(fd, [&](std::string line) {
            auto event = nlohmann::json::parse(line, nullptr, false);
            if (event.is_object()) post([on_event, event] { on_event(event); });
        });
    });
    stderr_reader_ = std::thread([fd = err[0], post, on_stderr] {
        read_lines(fd, [&](std::string line) { post([on_stderr, line] { on_stderr(line); }); });
    });
    // The exit is reported after every line the process wrote has been handed over.
    waiter_ = std::thread([this, post, on_exit] {
        stdout_reader_.join();
        stderr_reader_.join();
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        post([on_exit, code] { on_exit(code); });
    });
}

BuildProcess::~BuildProcess() {
    *alive_ = false;
    cancel();
    if (waiter_.joinable()) waiter_.join();
}

void BuildProcess::cancel() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGTERM);
    // A process that ignores SIGTERM gets SIGKILL a second later; RUN steps die with the builder.
    std::thread([pid = pid_] {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        ::kill(-pid, SIGKILL);
    }).detach();
}

}  // namespace envbuilder::lsp
