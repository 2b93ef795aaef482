#include "cli/user_namespace.h"

#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace envbuilder::cli {

namespace {

constexpr const char* kMarker = "ENVBUILDER_USER_NAMESPACE";

struct Range {
    unsigned long start = 0, count = 0;
};

// The first /etc/subuid (or subgid) range of this user, by name or number.
std::optional<Range> subordinate_range(const char* file, const std::string& name,
                                       unsigned long id) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        std::stringstream s(line);
        std::string owner, start, count;
        if (!std::getline(s, owner, ':') || !std::getline(s, start, ':') || !std::getline(s, count))
            continue;
        if (owner != name && owner != std::to_string(id)) continue;
        try {
            return Range{std::stoul(start), std::stoul(count)};
        } catch (const std::exception&) {
        }
    }
    return std::nullopt;
}

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    return static_cast<bool>(out.flush());
}

int run_tool(const std::vector<std::string>& argv) {
    pid_t pid = fork();
    if (pid == 0) {
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        close_range(3, ~0U, 0);  // newuidmap/newgidmap get nothing of ours but 0, 1 and 2
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

pid_t child_pid = -1;
void forward_signal(int signal) {
    if (child_pid > 0) kill(child_pid, signal);
}

}  // namespace

bool inside_build_user_namespace() {
    return std::getenv(kMarker) != nullptr;
}

int rerun_in_user_namespace(const std::vector<std::string>& argv, std::ostream& err) {
    const uid_t uid = getuid();
    const gid_t gid = getgid();
    std::string name = std::to_string(uid);
    if (passwd* pw = getpwuid(uid)) name = pw->pw_name;
    auto subuid = subordinate_range("/etc/subuid", name, uid);
    auto subgid = subordinate_range("/etc/subgid", name, gid);

    int to_parent[2], to_child[2];
    if (pipe(to_parent) != 0 || pipe(to_child) != 0) {
        err << "envbuilder build: cannot create pipes: " << std::strerror(errno) << '\n';
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(to_parent[0]);
        close(to_child[1]);
        bool ok = unshare(CLONE_NEWUSER) == 0;
        char c = ok ? 1 : 0;
        (void)!write(to_parent[1], &c, 1);
        if (!ok) _exit(125);
        if (read(to_child[0], &c, 1) != 1 || c != 1) _exit(125);
        if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) _exit(125);
        setenv(kMarker, subuid && subgid ? "subid" : "single", 1);
        std::vector<char*> args;
        std::string self = "/proc/self/exe";
        args.push_back(self.data());
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(self.c_str(), args.data());
        _exit(127);
    }
    close(to_parent[1]);
    close(to_child[0]);
    char c = 0;
    if (read(to_parent[0], &c, 1) != 1 || c != 1) {
        waitpid(pid, nullptr, 0);
        err << "envbuilder build: cannot create a user namespace (unprivileged user namespaces may "
               "be "
               "disabled: sysctl kernel.unprivileged_userns_clone, user.max_user_namespaces); run "
               "as root\n";
        return 1;
    }
    const std::string p = std::to_string(pid);
    bool mapped;
    if (subuid && subgid) {
        mapped = run_tool({"newuidmap", p, "0", std::to_string(uid), "1", "1",
                           std::to_string(subuid->start), std::to_string(subuid->count)}) == 0 &&
                 run_tool({"newgidmap", p, "0", std::to_string(gid), "1", "1",
                           std::to_string(subgid->start), std::to_string(subgid->count)}) == 0;
    } else {
        err << "envbuilder build: warning: no /etc/subuid and /etc/subgid range for " << name
            << ": only your own user is mapped (as root) in the build, so a chown to another user "
               "fails\n";
        mapped = write_file("/proc/" + p + "/uid_map", "0 " + std::to_string(uid) + " 1\n") &&
                 write_file("/proc/" + p + "/setgroups", "deny\n") &&
                 write_file("/proc/" + p + "/gid_map", "0 " + std::to_string(gid) + " 1\n");
    }
    c = mapped ? 1 : 0;
    (void)!write(to_child[1], &c, 1);
    close(to_child[1]);
    close(to_parent[0]);
    if (!mapped) err << "envbuilder build: cannot map ids into the build's user namespace\n";
    child_pid = pid;
    signal(SIGINT, forward_signal);
    signal(SIGTERM, forward_signal);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace envbuilder::cli
