// COPY [flags] source... dest (and the part of ADD it shares, see add.cpp): sources from the
// context, another stage or an image (--from), heredocs; --chown, --chmod (octal or symbolic,
// syntax/file_mode), --exclude, --parents and --link.
#include <algorithm>

#include "executor/image_config.h"
#include "executor/instructions/copy_step.h"
#include "executor/instructions/instructions.h"
#include "executor/instructions/read_command.h"
#include "syntax/json_text.h"

namespace envbuilder::executor::instructions {

namespace fs = std::filesystem;

namespace {

// The instruction's words, expanded: sources then the destination.
std::vector<std::string> expanded_words(StageContext& ctx, const StageState& s,
                                        const Instruction& ins,
                                        const dockerfile::CopyCommand& copy) {
    std::vector<std::string> words;
    for (const auto& w : copy.words) {
        if (copy.exec_form) {
            words.push_back(ctx.expand(s, w.text, ins));
            continue;
        }
        auto parts = ctx.expand_words(s, w.text, ins);
        words.insert(words.end(), parts.begin(), parts.end());
    }
    return words;
}

// The flags' values, expanded and read by the parsers lint reads them with.
struct CopyFlags {
    std::optional<std::string> from, checksum;
    std::optional<dockerfile::Chown> chown;
    std::optional<dockerfile::FileMode> mode;
    std::vector<std::string> excludes;
};

CopyFlags expanded_flags(StageContext& ctx, const StageState& s, const Instruction& ins,
                         const dockerfile::CopyCommand& copy) {
    CopyFlags flags;
    auto read = [&](const std::optional<dockerfile::RawValue>& raw, auto parse, auto& into) {
        if (!raw) return;
        const std::string value = ctx.expand(s, raw->text, ins);
        into = checked(ctx, ins, parse(*raw, &value));
    };
    read(copy.from, dockerfile::parse_copy_from, flags.from);
    read(copy.chown, dockerfile::parse_chown, flags.chown);
    read(copy.chmod, dockerfile::parse_chmod, flags.mode);
    read(copy.checksum, dockerfile::parse_checksum, flags.checksum);
    for (const auto& raw : copy.excludes) flags.excludes.push_back(ctx.expand(s, raw.text, ins));
    return flags;
}

}  // namespace

Step copy_step(StageContext& ctx, StageState& s, const Instruction& ins, bool is_add) {
    const dockerfile::CopyCommand copy = checked(ctx, ins, dockerfile::parse_copy_command(ins));
    const std::vector<std::string> words = expanded_words(ctx, s, ins, copy);
    CopySpec spec;
    spec.ignore = ctx.ignore();
    spec.source_root = ctx.request().context;
    spec.unpack_budget = ctx.unpack_budget();
    // Heredoc sources (`<<EOF`) become inline files.
    std::vector<std::string> sources;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
        bool inline_source = false;
        for (const auto& h : copy.heredocs)
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
    const CopyFlags flags = expanded_flags(ctx, s, ins, copy);
    spec.extract_archives = is_add && copy.unpack.value_or(true);
    spec.mode = flags.mode;
    spec.excludes = flags.excludes;
    spec.parents = copy.parents;
    // A --from source is fully named by its cache key, so it is only unpacked when the step runs.
    StageState* from_state = nullptr;
    if (flags.from) {
        from_state = &ctx.source_stage(*flags.from, ins);
        spec.from_context = false;
        spec.ignore = nullptr;
    }
    RemoteSources remote = resolve_remote_sources(
        ctx, ins, sources, is_add, flags.checksum.value_or(""), copy.keep_git_dir, spec);
    if (copy.unpack.value_or(false) && !spec.inline_sources.empty() && !remote.key.empty())
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
    const std::string chown = flags.chown ? flags.chown->text : "";
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
    const bool named_owner = flags.chown && flags.chown->names_an_owner();
    // Runs when the step is not cached: fetches what is remote, finds the --from root, copies.
    auto copy_into = [&ctx, &s, &ins, spec, from_state, remote, chown, named_owner,
                      keep_git_dir = copy.keep_git_dir](const fs::path& root, bool linked) mutable {
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
    if (copy.link) {
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
