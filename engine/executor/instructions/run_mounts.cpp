// RUN --mount=type=bind|cache|tmpfs|secret|ssh, read by syntax/commands/run_command (the reader
// lint uses) after the value's variables are expanded.
#include "executor/instructions/run_mounts.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "executor/copy_files.h"
#include "executor/image_config.h"
#include "executor/root_paths.h"
#include "oci/digest.h"
#include "syntax/commands/run_command.h"

namespace envbuilder::executor::instructions {

namespace fs = std::filesystem;
using dockerfile::Instruction;
using dockerfile::RunMount;

namespace {

// One directory per cache id, shared by every build that uses this cache directory. run-cache
// itself is 0700: what a step leaves in its cache (setuid programs, device nodes) is out of
// reach of the host's other users.
fs::path cache_mount_dir(StageContext& ctx, const Instruction& ins, const RunMount& m,
                         const std::string& id) {
    const fs::path caches = ctx.request().cache_dir / "run-cache";
    if (::mkdir(caches.c_str(), 0700) != 0 && errno != EEXIST)
        ctx.fail(ins, "cannot create " + caches.string() + ": " + std::strerror(errno));
    ::chmod(caches.c_str(), 0700);
    fs::path dir = caches / oci::digest_of(id).hex.substr(0, 32);
    if (!fs::exists(dir)) {
        fs::create_directories(dir);
        ::chown(dir.c_str(), m.uid.value_or(0), m.gid.value_or(0));
        ::chmod(dir.c_str(), m.mode.value_or(0755));
    }
    return dir;
}

// type=bind: from a stage, an image or the context (confined to it, its content in the key).
void bind_mount(StageContext& ctx, const Instruction& ins, const RunMount& m, SandboxMount& mount,
                RunMounts& out) {
    const std::string source = m.source.value_or("/");
    std::string source_key;
    std::function<fs::path()> locate;
    if (m.from) {
        StageState* other = &ctx.source_stage(*m.from, ins);
        source_key = other->cache_key;
        locate = [&ctx, other, source] {
            ctx.materialize(*other);
            return resolve_in_root(other->root, source);
        };
    } else {
        CopySpec probe;
        probe.source_root = ctx.request().context;
        probe.ignore = ctx.ignore();
        probe.sources = {source};
        probe.destination = "/probe/";
        try {
            source_key = copy_inputs_digest(probe);
        } catch (const std::exception& e) {
            ctx.fail(ins, "--mount=type=bind: " + std::string(e.what()));
        }
        fs::path resolved = resolve_in_root(ctx.request().context, source);
        if (!fs::exists(resolved))
            ctx.fail(ins, "--mount=type=bind: source '" + source + "' not found");
        locate = [resolved] { return resolved; };
    }
    const bool writable = m.readwrite;
    mount.readonly = !writable;
    out.prepare.back() = [&ctx, &ins, locate, source, writable](SandboxMount& target) {
        target.source = locate();
        if (!fs::exists(target.source))
            ctx.fail(ins, "--mount=type=bind: source '" + source + "' not found");
        if (!writable) return;
        // Writes to a rw bind are thrown away after the step: the step gets a copy.
        fs::path copy = ctx.scratch_path("bind-");
        std::error_code ec;
        fs::copy(target.source, copy, fs::copy_options::recursive | fs::copy_options::copy_symlinks,
                 ec);
        if (ec) ctx.fail(ins, "--mount=type=bind: cannot copy '" + source + "': " + ec.message());
        target.source = copy;
    };
    out.definition +=
        " mount=bind:" + source + ":" + mount.target + ":" + source_key + (writable ? ":rw" : "");
}

// type=secret: false when an optional secret was not given (the mount is then absent, as in
// BuildKit) or it only sets an environment variable.
bool secret_mount(StageContext& ctx, const Instruction& ins, const RunMount& m, SandboxMount& mount,
                  RunMounts& out) {
    const std::string target = m.target.value_or("");
    std::string id = m.id.value_or(fs::path(target).filename().string());
    if (id.empty()) ctx.fail(ins, "--mount=type=secret needs an id or a target");
    const auto& secrets = ctx.request().secrets;
    auto secret = secrets.find(id);
    if (secret == secrets.end()) {
        if (m.required)
            ctx.fail(ins, "secret '" + id + "' is required; pass it with --secret id=" + id +
                              ",src=FILE");
        return false;
    }
    if (m.env) {
        std::ifstream in(secret->second, std::ios::binary);
        out.secret_env.push_back(*m.env + "=" +
                                 std::string((std::istreambuf_iterator<char>(in)), {}));
        if (target.empty()) return false;
    }
    mount.target = target.empty() ? "/run/secrets/" + id : target;
    mount.source = secret->second;
    mount.readonly = true;
    // Secrets are not part of the key: a changed secret does not rebuild (as in BuildKit).
    out.definition += " mount=secret:" + id + ":" + mount.target;
    return true;
}

}  // namespace

RunMounts run_mounts(StageContext& ctx, StageState& s, const Instruction& ins,
                     const std::vector<dockerfile::RawValue>& mounts) {
    RunMounts out;
    for (const auto& raw : mounts) {
        const std::string value = ctx.expand(s, raw.text, ins);
        auto parsed = dockerfile::parse_run_mount_value(raw, &value);
        if (!parsed.ok()) ctx.fail(ins, "--mount=" + value + ": " + parsed.errors.front().message);
        const RunMount& m = parsed.value;
        SandboxMount mount;
        if (m.target && (*m.target)[0] != '/') {
            const std::string workdir = working_dir_of(s.image, "/");
            mount.target = (fs::path(workdir.empty() ? "/" : workdir) / *m.target).string();
        } else {
            mount.target = m.target.value_or("");
        }
        out.prepare.emplace_back();
        if (m.type == "cache") {
            const std::string id = m.id.value_or(mount.target);
            mount.source = cache_mount_dir(ctx, ins, m, id);
            mount.readonly = m.readonly;
            out.definition += " mount=cache:" + id + ":" + mount.target;
        } else if (m.type == "tmpfs") {
            mount.kind = SandboxMount::Kind::tmpfs;
            mount.tmpfs_options = "mode=1777";
            if (m.size) mount.tmpfs_options += ",size=" + *m.size;
            out.definition += " mount=tmpfs:" + mount.target;
        } else if (m.type == "bind") {
            bind_mount(ctx, ins, m, mount, out);
        } else if (m.type == "secret") {
            if (!secret_mount(ctx, ins, m, mount, out)) {
                out.prepare.pop_back();
                continue;
            }
        } else {
            ctx.fail(ins,
                     "--mount=type=ssh needs an SSH agent forwarded into the build, which this "
                     "builder does not do");
        }
        out.mounts.push_back(std::move(mount));
    }
    return out;
}

}  // namespace envbuilder::executor::instructions
