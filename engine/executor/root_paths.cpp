#include "executor/root_paths.h"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "syntax/path_components.h"

namespace envbuilder::executor {

namespace fs = std::filesystem;

namespace {

std::optional<uint32_t> number(std::string_view s) {
    uint32_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

// The colon-separated lines of a file like /etc/passwd, inside the root.
std::vector<std::vector<std::string>> database(const fs::path& root, const char* file) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(resolve_in_root(root, file));
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> fields;
        std::stringstream s(line);
        for (std::string f; std::getline(s, f, ':');) fields.push_back(f);
        if (line.back() == ':') fields.emplace_back();
        rows.push_back(std::move(fields));
    }
    return rows;
}

struct Passwd {
    std::string name;
    uint32_t uid = 0, gid = 0;
    std::string home;
};

std::optional<Passwd> find_user(const fs::path& root, std::string_view user) {
    auto numeric = number(user);
    for (const auto& row : database(root, "/etc/passwd")) {
        if (row.size() < 4) continue;
        auto uid = number(row[2]);
        auto gid = number(row[3]);
        if (!uid || !gid) continue;
        if (row[0] == user || (numeric && *uid == *numeric))
            return Passwd{row[0], *uid, *gid, row.size() > 5 ? row[5] : ""};
    }
    return std::nullopt;
}

std::optional<uint32_t> find_group(const fs::path& root, std::string_view group) {
    if (auto n = number(group)) return n;
    for (const auto& row : database(root, "/etc/group"))
        if (row.size() >= 3 && row[0] == group)
            if (auto gid = number(row[2])) return gid;
    return std::nullopt;
}

std::vector<uint32_t> supplementary_groups(const fs::path& root, const std::string& user_name,
                                           uint32_t primary) {
    std::vector<uint32_t> out;
    if (user_name.empty()) return out;
    for (const auto& row : database(root, "/etc/group")) {
        if (row.size() < 4) continue;
        std::stringstream members(row[3]);
        for (std::string m; std::getline(members, m, ',');) {
            auto gid = number(row[2]);
            if (m == user_name && gid && *gid != primary) out.push_back(*gid);
        }
    }
    return out;
}

UserIds resolve(const fs::path& root, std::string_view spec, bool chown) {
    std::string_view user = spec, group;
    bool has_group = false;
    if (size_t colon = spec.find(':'); colon != std::string_view::npos) {
        user = spec.substr(0, colon);
        group = spec.substr(colon + 1);
        has_group = true;
    }
    if (user.empty()) throw std::runtime_error("no user given in '" + std::string(spec) + "'");
    UserIds ids;
    std::string user_name;
    if (auto entry = find_user(root, user)) {
        ids.uid = entry->uid;
        ids.gid = entry->gid;
        user_name = entry->name;
    } else if (auto n = number(user)) {
        ids.uid = *n;
        ids.gid = chown ? *n : 0;
    } else {
        throw std::runtime_error("unknown user '" + std::string(user) +
                                 "': not in the image's /etc/passwd");
    }
    if (has_group) {
        auto gid = find_group(root, group);
        if (!gid)
            throw std::runtime_error("unknown group '" + std::string(group) +
                                     "': not in the image's /etc/group");
        ids.gid = *gid;
    }
    if (!chown) ids.groups = supplementary_groups(root, user_name, ids.gid);
    return ids;
}

}  // namespace

fs::path resolve_in_root(const fs::path& root, std::string_view path, bool follow_last) {
    const auto first = dockerfile::path_components(path);
    std::deque<std::string> todo(first.begin(), first.end());
    std::vector<std::string> done;
    int links = 0;
    auto join = [&] {
        fs::path p = root;
        for (const auto& c : done) p /= c;
        return p;
    };
    while (!todo.empty()) {
        std::string component = std::move(todo.front());
        todo.pop_front();
        if (component == ".") continue;
        if (component == "..") {
            if (!done.empty()) done.pop_back();
            continue;
        }
        fs::path candidate = join() / component;
        struct stat st;
        if ((!todo.empty() || follow_last) && ::lstat(candidate.c_str(), &st) == 0 &&
            S_ISLNK(st.st_mode)) {
            if (++links > 40)
                throw std::runtime_error("too many levels of symbolic links in " +
                                         std::string(path));
            std::error_code ec;
            std::string target = fs::read_symlink(candidate, ec).string();
            if (ec)
                throw std::runtime_error("cannot read the link " + candidate.string() + ": " +
                                         ec.message());
            if (!target.empty() && target[0] == '/') done.clear();
            auto parts = dockerfile::path_components(target);
            todo.insert(todo.begin(), parts.begin(), parts.end());
            continue;
        }
        done.push_back(std::move(component));
    }
    return join();
}

UserIds resolve_user(const fs::path& root, std::string_view user) {
    return resolve(root, user, false);
}

std::string home_of(const fs::path& root, std::string_view user) {
    const std::string_view name = user.substr(0, user.find(':'));
    auto found = find_user(root, name);
    return found ? found->home : "";
}

UserIds resolve_chown(const fs::path& root, std::string_view owner) {
    return resolve(root, owner, true);
}

}  // namespace envbuilder::executor
