// ADD: COPY (instructions/copy.cpp) plus remote sources: http(s) URLs (TLS verified, checked
// against --checksum) and git repositories (ADD's only source), and local tar archives unpacked.
#include <fstream>

#include "executor/instructions/copy_step.h"
#include "executor/instructions/instructions.h"
#include "oci/digest.h"
#include "registry/http.h"

namespace envbuilder::executor::instructions {

namespace fs = std::filesystem;

namespace {

// Downloads a URL into the work directory and adds it to the copy; returns what identifies its
// content for the cache key.
std::string fetch_url(StageContext& ctx, const Instruction& ins, CopySpec& spec,
                      const std::string& url, const std::string& checksum) {
    std::optional<oci::Digest> expected;
    if (!checksum.empty()) {
        std::string problem;
        expected = oci::parse_digest(checksum, &problem);
        if (!expected) ctx.fail(ins, "--checksum=" + checksum + ": " + problem);
    }
    std::string path = url.substr(url.find("://") + 3);
    path = path.substr(0, path.find_first_of("?#"));
    std::string name = path.find('/') == std::string::npos ? "" : path.substr(path.rfind('/') + 1);
    if (name.empty()) name = "index.html";
    const fs::path file = ctx.scratch_path("download-");
    registry::HttpRequest request;
    request.url = url;
    request.cancel = ctx.request().cancel.get();
    std::ofstream out(file, std::ios::binary);
    oci::Digester digester(expected ? expected->algorithm : "sha256");
    registry::HttpResponse response;
    try {
        response = registry::perform(request, registry::TlsOptions{},
                                     [&](const registry::HttpResponse&, std::string_view chunk) {
                                         out.write(chunk.data(),
                                                   static_cast<std::streamsize>(chunk.size()));
                                         digester.update(chunk);
                                         return static_cast<bool>(out);
                                     });
    } catch (const registry::Cancelled&) {
        throw BuildError("the build was cancelled");
    } catch (const std::exception& e) {
        ctx.fail(ins, "cannot fetch " + url + ": " + e.what());
    }
    out.close();
    if (response.status < 200 || response.status >= 300)
        ctx.fail(ins, "cannot fetch " + url + ": HTTP " + std::to_string(response.status));
    const oci::Digest actual = digester.finish();
    if (expected && actual != *expected)
        ctx.fail(ins, url + " does not match --checksum: expected " + expected->str() + ", got " +
                          actual.str());
    InlineSource source;
    source.name = name;
    source.file = file;
    source.mode = 0600;  // as Docker gives downloaded files
    if (std::string modified = response.header("last-modified"); !modified.empty()) {
        struct tm tm {};
        if (strptime(modified.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm))
            source.mtime = timegm(&tm);
    }
    spec.inline_sources.push_back(source);
    ctx.message(BuildEvent::Kind::message, "fetched " + url + " (" + actual.str() + ")");
    return url + "@" + actual.str();
}

}  // namespace

RemoteSources resolve_remote_sources(StageContext& ctx, const Instruction& ins,
                                     const std::vector<std::string>& sources, bool is_add,
                                     const std::string& checksum, bool keep_git_dir,
                                     CopySpec& spec) {
    RemoteSources out;
    for (const auto& source : sources) {
        const bool url = source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
        if (is_git_source(source)) {
            if (!is_add)
                ctx.fail(ins, "COPY does not clone git repositories ('" + source + "'); use ADD");
            if (sources.size() != 1)
                ctx.fail(ins, "a git repository must be ADD's only source ('" + source + "')");
            std::string problem;
            out.git = parse_git_source(source, &problem);
            if (!out.git) ctx.fail(ins, problem);
            // Keyed by the commit the ref names now: a new commit on the branch reruns the step.
            try {
                out.git_commit = resolve_git_commit(*out.git, ctx.request().cancel.get());
            } catch (const GitError& e) {
                ctx.check_cancelled();
                ctx.fail(ins, e.what());
            }
            out.key += " git=" + out.git->url + "@" + out.git_commit + ":" + out.git->subdir +
                       (keep_git_dir ? " keep-git-dir" : "");
            ctx.message(BuildEvent::Kind::message,
                        redact_credentials(source) + " is commit " + out.git_commit);
            continue;
        }
        if (!url && source.find("://") != std::string::npos)
            ctx.fail(ins, "unsupported source URL '" + source + "'");
        if (!url) {
            out.local.push_back(source);
            continue;
        }
        if (!is_add) ctx.fail(ins, "COPY does not fetch URLs ('" + source + "'); use ADD");
        out.key += " " + fetch_url(ctx, ins, spec, source, checksum);
    }
    if (!checksum.empty() && out.key.empty()) ctx.fail(ins, "--checksum is only for URL sources");
    if (keep_git_dir && !out.git) ctx.fail(ins, "--keep-git-dir is only for git sources");
    return out;
}

fs::path fetch_git(StageContext& ctx, const Instruction& ins, const GitSource& git,
                   const std::string& commit, bool keep_git_dir) {
    const fs::path checkout = ctx.scratch_path("git-");
    try {
        checkout_git(git, commit, checkout, keep_git_dir, ctx.request().cancel.get());
    } catch (const GitError& e) {
        ctx.check_cancelled();
        ctx.fail(ins, e.what());
    }
    return checkout;
}

Step add(StageContext& ctx, StageState& s, const Instruction& ins) {
    return copy_step(ctx, s, ins, true);
}

}  // namespace envbuilder::executor::instructions
