// WORKDIR path: relative to the previous one, cleaned; the directory is created (owned by USER,
// as BuildKit does) when the image lacks it, which makes a layer.
#include <sys/stat.h>
#include <unistd.h>

#include "context/dockerignore.h"
#include "executor/image_config.h"
#include "executor/instructions/instructions.h"
#include "executor/root_paths.h"

namespace envbuilder::executor::instructions {

namespace fs = std::filesystem;

Step workdir(StageContext& ctx, StageState& s, const Instruction& ins) {
    std::string dir = ctx.expand(s, ins.arguments, ins);
    if (dir.empty()) ctx.fail(ins, "needs a directory");
    const std::string current = working_dir_of(s.image);
    std::string path = clean_path(
        dir[0] == '/' ? dir : (fs::path(current.empty() ? "/" : current) / dir).string());
    config_of(s.image).working_dir = path;
    const std::string user = user_of(s.image);
    Step step;
    step.definition = "WORKDIR " + path + " user=" + user;
    step.created_by = "WORKDIR " + path;
    step.change_root = [&s, path, user] {
        fs::path host = resolve_in_root(s.root, path);
        if (fs::is_directory(host)) return;
        std::vector<fs::path> missing;
        for (fs::path p = host; p != s.root && !fs::exists(fs::symlink_status(p));
             p = p.parent_path())
            missing.push_back(p);
        UserIds ids;
        try {
            if (!user.empty()) ids = resolve_user(s.root, user);
        } catch (const std::exception&) {
            // An unknown USER fails at RUN; the directory is then root's.
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            fs::create_directory(*it);
            ::chmod(it->c_str(), 0755);
            ::lchown(it->c_str(), ids.uid, ids.gid);
        }
    };
    return step;
}

}  // namespace envbuilder::executor::instructions
