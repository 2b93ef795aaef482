// COPY [flags] source... dest (and the part of ADD it shares, see add.cpp): sources from the
// context, another stage or an image (--from), heredocs; --chown, --chmod (octal or symbolic,
// syntax/file_mode), --exclude, --parents and --link.
#include <algorithm>

#include "executor/image_config.h"
#include "executor/instructions/copy_step.h"
#include "executor/instructions/instructions.h"
#include "syntax/instruction_flags.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

namespace fs = std::filesystem;

namespace {

// The instruction's words, expanded: sources then the destination.
std::vector<std::string> expanded_words(StageContext& ctx, const StageState& s,
                                        const Instruction& ins) {
    std::vector<std::string> words;
    if (ins.is_exec_form()) {
        for (const auto& w : *ins.json) words.push_back(ctx.expand(s, w.text, ins));
        return words;
    }
    for (const auto& w : ins.words) {
        auto parts = ctx.expand_words(s, w.text, ins);
        words.insert(words.end(), parts.begin(), parts.end());
    }
    return words;
}

// The flags' expanded values, every one checked against the instruction's flag table.
struct CopyFlags {
    std::optional<std::string> from, chown, checksum;
    std::optional<dockerfile::FileMode> mode;
    std::vector<std::string> excludes;
    bool parents = false, link = false, keep_git_dir = false;
    std::optional<bool> unpack;
};

CopyFlags read_flags(StageContext& ctx, const StageState& s, const Instruction& ins) {
    CopyFlags flags;
    for (const auto& flag : ins.flags) {
        if (!dockerfile::find_flag(ins.kind, flag.name))
            ctx.fail(ins, "unknown flag --" + flag.name);
        const std::string value = flag.value ? ctx.expand(s, *flag.value, ins) : "";
        const bool on = !flag.value || value == "true";
        if (flag.name == "from") {
            flags.from = value;
        } else if (flag.name == "chown") {
            flags.chown = value;
        } else if (flag.name == "chmod") {
            std::string problem;
            flags.mode = dockerfile::FileMode::parse(value, &problem);
            if (!flags.mode) ctx.fail(ins, problem);
        } else if (flag.name == "exclude") {
            flags.excludes.push_back(value);
        } else if (flag.name == "parents") {
            flags.parents = on;
        } else if (flag.name == "link") {
            flags.link = on;
        } else if (flag.name == "checksum") {
            flags.checksum = value;
        } else if (flag.name == "keep-git-dir") {
            flags.keep_git_dir = on;
        } else if (flag.name == "unpack") {
            flags.unpack = on;
        }
    }
    return flags;
}

// A --chown given by name is looked up in the stage's /etc/passwd and /etc/group: a --link layer
// then depends on the stage after all.
bool names_an_owner(const std::optional<std::string>& chown) {
    return chown && !chown->empty() && !std::all_of(chown->begin(), chown->end(), [](char c) {
               return std::isdigit(static_cast<unsigned char>(c)) || c == ':';
           });
}

}  // namespace

Step copy_step(StageContext& ctx, StageState& s, const Instruction& ins, bool is_add) {
    const std::vector<std::string> words = expanded_words(ctx, s, ins);
    CopySpec spec;
    spec.ignore = ctx.ignore();
    spec.source_root = ctx.request().context;
    spec.unpack_budget = ctx.unpack_budget();
    // Heredoc sources (`<<EOF`) become inline files.
    std::vector<std::string> sources;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
        bool inline_source = false;
        for (const auto& h : ins.heredocs)
            if (words[i].find("<<") == 0 && words[i].find(h.delimiter) != std::string::npos) {
                spec.inline_sources.push_back(
                    {h.delimiter, h.expand ? ctx.expand(s, h.body, ins) : h.body});
                inline_source = true;
            }
        if (!inline_source) sources.push_back(words[i]);
    }
    if (words.size() < 2) ctx.fail(ins, "needs at least one source and a destination");
    std::string dest = words.back();
    const std::string workdir = working_dir_of(s.image, "/");
    if (dest.empty() || dest[0] != '/')
        dest = (fs::path(workdir.empty() ? "/" : workdir) / dest).string();
    if (words.back().ends_with("/") && !dest.ends_with("/")) dest += "/";
    spec.destination = dest;
    spec.mtime = ctx.request().source_date_epoch;
    const CopyFlags flags = read_flags(ctx, s, ins);
    spec.extract_archives = is_add && flags.unpack.value_or(true);
    spec.mode = flags.mode;
    spec.excludes = flags.excludes;
    spec.parents = flags.parents;
    // A --from source is fully named by its cache key, so it is only unpacked when the step runs.
    StageState* from_state = nullptr;
    if (flags.from) {
        from_state = &ctx.source_stage(*flags.from, ins);
        spec.from_context = false;
        spec.ignore = nullptr;
    }
    RemoteSources remote = resolve_remote_sources(
        ctx, ins, sources, is_add, flags.checksum.value_or(""), flags.keep_git_dir, spec);
    if (flags.unpack.value_or(false) && !spec.inline_sources.empty() && !remote.key.empty())
        ctx.fail(ins,
                 "--unpack of a downloaded archive is not supported; download it with ADD and "
                 "unpack it in a RUN step");
    if (remote.git) {
        // The checkout is the copy's source tree: the repository's content (or SUBDIR) lands in
        // the destination, not the repository directory itself; no .dockerignore, no unpacking.
        spec.from_context = false;
        spec.ignore = nullptr;
        spec.extract_archives = false;
        remote.local = {remote.git->subdir.empty() ? "." : remote.git->subdir};
    }
    spec.sources = remote.local;
    const std::string chown = flags.chown.value_or("");
    std::string inputs, from_key;
    try {
        if (from_state)
            from_key = from_state->cache_key;
        else if (!remote.git)
            inputs = copy_inputs_digest(spec);
    } catch (const std::exception& e) {
        ctx.fail(ins, e.what());
    }
    const std::string name = is_add ? "ADD" : "COPY";
    Step step;
    step.definition =
        name + " " + exact_key_text(spec.sources) + " " + dest + " inputs=" + inputs + remote.key +
        " from=" + from_key + " chown=" + chown + " chmod=" +
        (spec.mode ? (spec.mode->is_octal() ? std::to_string(spec.mode->apply(0, false))
                                            : spec.mode->text())
                   : "") +
        " parents=" + std::to_string(spec.parents) + " exclude=" + exact_key_text(spec.excludes);
    step.created_by = name + " ";
    for (const auto& flag : ins.flags)
        step.created_by += "--" + flag.name + (flag.value ? "=" + *flag.value : "") + " ";
    for (const auto& source : sources) step.created_by += redact_credentials(source) + " ";
    step.created_by += words.back() + " # buildkit";
    const bool named_owner = names_an_owner(flags.chown);
    // Runs when the step is not cached: fetches what is remote, finds the --from root, copies.
    auto copy_into = [&ctx, &s, &ins, spec, from_state, remote, chown, named_owner,
                      keep_git_dir = flags.keep_git_dir](const fs::path& root,
                                                         bool linked) mutable {
        if (remote.git)
            spec.source_root = fetch_git(ctx, ins, *remote.git, remote.git_commit, keep_git_dir);
        if (from_state) {
            ctx.materialize(*from_state);
            spec.source_root = from_state->root;
        }
        if (linked && named_owner) ctx.materialize(s);
        spec.root = root;
        try {
            if (!chown.empty())
                spec.owner = resolve_chown(linked && !named_owner ? root : s.root, chown);
            copy_into_root(spec);
        } catch (const std::exception& e) {
            ctx.fail(ins, e.what());
        }
    };
    if (flags.link) {
        step.link_parent_key = named_owner ? s.cache_key : "";
        step.fill_layer = [copy_into](const fs::path& dir) mutable { copy_into(dir, true); };
    } else {
        step.change_root = [copy_into, &s]() mutable { copy_into(s.root, false); };
    }
    return step;
}

Step copy(StageContext& ctx, StageState& s, const Instruction& ins) {
    return copy_step(ctx, s, ins, false);
}

}  // namespace envbuilder::executor::instructions
