// InvalidRunMount: RUN --mount values checked the way BuildKit's parseMount reads them: a CSV
// record of key=value fields (bare ro/readonly, rw/readwrite and required allowed), the type
// (bind by default), then the per-type constraints. Values holding a variable are expanded by
// BuildKit later, so only their keys are checked.
#include "analysis/rules/instruction_checks.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace envbuilder::rules {

using dockerfile::Instruction;
using dockerfile::InstructionKind;
using namespace instruction_checks;

namespace {

constexpr std::array<std::string_view, 5> kTypes = {"bind", "cache", "tmpfs", "secret", "ssh"};
constexpr std::array<std::string_view, 19> kKeys = {
    "type",     "from", "source",    "src", "target",   "dst", "destination",
    "readonly", "ro",   "readwrite", "rw",  "required", "id",  "sharing",
    "mode",     "uid",  "gid",       "env", "size"};

std::string in_quotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

// Go's strconv.ParseBool.
bool is_go_bool(std::string_view v) {
    static constexpr std::array<std::string_view, 12> values = {
        "1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"};
    return std::find(values.begin(), values.end(), v) != values.end();
}

// strconv.ParseUint(v, base, 32).
bool is_uint32(std::string_view v, int base) {
    if (v.empty()) return false;
    uint64_t n = 0;
    for (char c : v) {
        int d = c >= '0' && c <= '9' ? c - '0' : 99;
        if (d >= base) return false;
        n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
        if (n > UINT32_MAX) return false;
    }
    return true;
}

class MountChecker {
  public:
    MountChecker(LintContext& ctx, const dockerfile::Flag& flag)
        : ctx_(ctx), flag_(flag), value_(*flag.value) {
        // Offsets map onto the source only when the value was written without quotes/escapes.
        auto raw = single_line_text(ctx.df.source, flag.value_range);
        exact_ = raw && *raw == value_;
    }

    void run() {
        CsvResult csv = split_csv(value_);
        if (csv.error) {
            report(csv.error_offset, value_.size(),
                   "--mount is not a valid comma-separated list: " + *csv.error);
            return;
        }
        for (const CsvField& field : csv.fields) read_field(field);
        if (bad_type_) return;  // the type is unknown: per-type checks would only add noise
        per_type_checks();
    }

  private:
    struct Seen {
        bool present = false;
        size_t begin = 0, end = 0;  // the key
        bool nonempty = false;
    };

    LintContext& ctx_;
    const dockerfile::Flag& flag_;
    std::string_view value_;
    bool exact_ = false;
    std::string type_ = "bind";
    bool type_given_ = false;
    bool bad_type_ = false;
    Seen from_, source_, target_, id_, sharing_, mode_, uid_, gid_, env_, size_;

    Range range(size_t begin, size_t end) const {
        if (!exact_) return flag_.value_range;
        return sub_range(ctx_.df.source, flag_.value_range, value_, begin, end);
    }
    void report(size_t begin, size_t end, std::string message) {
        ctx_.report(range(begin, end), std::move(message));
    }

    bool file_info_allowed() const {
        return type_ == "secret" || type_ == "ssh" || type_ == "cache";
    }

    void read_field(const CsvField& field) {
        std::string_view text = field.text;
        // A quoted CSV field's text no longer lines up with the value; point at the whole field.
        const bool field_exact = value_.substr(field.begin, field.end - field.begin) == text;
        size_t eq = text.find('=');
        std::string key = lower(text.substr(0, eq));
        size_t key_end = field_exact ? field.begin + std::min(eq, text.size()) : field.end;
        if (eq == std::string_view::npos) {
            if (key == "ro" || key == "readonly" || key == "rw" || key == "readwrite") return;
            if (key == "required") {
                check_required(field.begin, key_end);
                return;
            }
            report(field.begin, field.end,
                   "mount option " + in_quotes(text) +
                       " must be key=value (only ro, rw and required may stand alone)");
            return;
        }
        std::string_view value = text.substr(eq + 1);
        size_t vb = field_exact ? field.begin + eq + 1 : field.begin;
        size_t ve = field.end;
        const bool variable = has_variable(value);
        auto mark = [&](Seen& s) {
            s.present = true;
            s.begin = field.begin;
            s.end = key_end;
            s.nonempty = !value.empty();
        };

        if (key == "type") {
            if (variable) return;
            std::string t = lower(value);
            if (std::find(kTypes.begin(), kTypes.end(), t) == kTypes.end()) {
                std::string message = "unknown mount type " + in_quotes(value);
                if (auto near = closest_match(t, kTypes))
                    message += " (did you mean " + std::string(*near) + "?)";
                report(vb, ve, message + "; expected bind, cache, tmpfs, secret or ssh");
                bad_type_ = true;
                return;
            }
            type_ = t;
            type_given_ = true;
        } else if (key == "from") {
            mark(from_);
        } else if (key == "source" || key == "src") {
            mark(source_);
        } else if (key == "target" || key == "dst" || key == "destination") {
            mark(target_);
        } else if (key == "readonly" || key == "ro" || key == "readwrite" || key == "rw") {
            if (!variable && !is_go_bool(value))
                report(vb, ve, key + " takes true or false, not " + in_quotes(value));
        } else if (key == "required") {
            if (check_required(field.begin, key_end) && !variable && !is_go_bool(value))
                report(vb, ve, "required takes true or false, not " + in_quotes(value));
        } else if (key == "id") {
            mark(id_);
        } else if (key == "sharing") {
            mark(sharing_);
            std::string s = lower(value);
            if (!variable && s != "shared" && s != "private" && s != "locked")
                report(vb, ve, "sharing takes shared, private or locked, not " + in_quotes(value));
        } else if (key == "mode") {
            mark(mode_);
            if (!variable && !is_uint32(value, 8))
                report(vb, ve, "mode takes an octal number such as 0600, not " + in_quotes(value));
        } else if (key == "uid" || key == "gid") {
            mark(key == "uid" ? uid_ : gid_);
            if (!variable && !is_uint32(value, 10))
                report(vb, ve, key + " takes a non-negative number, not " + in_quotes(value));
        } else if (key == "env") {
            mark(env_);
        } else if (key == "size") {
            mark(size_);
        } else {
            std::string message = "unknown mount option " + in_quotes(key);
            if (auto near = closest_match(key, kKeys))
                message += " (did you mean " + std::string(*near) + "?)";
            report(field.begin, key_end, std::move(message));
        }
    }

    // BuildKit checks `required` against the type read so far, so it must follow type=.
    bool check_required(size_t begin, size_t end) {
        if (type_ == "secret" || type_ == "ssh") return true;
        std::string message = "required applies only to secret and ssh mounts, not " + type_;
        if (!type_given_)
            message += " (if this is a secret or ssh mount, put type= before required)";
        report(begin, end, std::move(message));
        return false;
    }

    void per_type_checks() {
        for (auto [seen, name] : {std::pair{&mode_, "mode"}, {&uid_, "uid"}, {&gid_, "gid"}}) {
            if (seen->present && !file_info_allowed())
                report(seen->begin, seen->end,
                       std::string(name) + " is not allowed on " + type_ +
                           " mounts (only secret, ssh and cache)");
        }
        if (sharing_.present && type_ != "cache")
            report(sharing_.begin, sharing_.end,
                   "sharing applies only to cache mounts, not " + type_);
        if (env_.present && type_ != "secret")
            report(env_.begin, env_.end, "env applies only to secret mounts, not " + type_);
        if (size_.present && type_ != "tmpfs")
            report(size_.begin, size_.end, "size applies only to tmpfs mounts, not " + type_);
        if (type_ == "secret") {
            if (from_.present) report(from_.begin, from_.end, "a secret mount cannot have from=");
            if (source_.nonempty && id_.nonempty)
                report(id_.begin, id_.end, "a secret mount takes either id= or source=, not both");
            if (!source_.nonempty && !target_.nonempty && !id_.nonempty && !env_.nonempty)
                report(0, value_.size(), "a secret mount needs id=, source= or target=");
        } else if (type_ == "bind" || type_ == "cache" || type_ == "tmpfs") {
            if (!target_.nonempty)
                report(0, value_.size(),
                       "a " + type_ + " mount needs target=<path in the container>");
        }
    }
};

void check(LintContext& ctx) {
    ctx.each_instruction(
        [&](const Instruction& ins, size_t) {
            if (ins.kind != InstructionKind::Run) return;
            for (const dockerfile::Flag& flag : ins.flags) {
                if (flag.name != "mount" || !flag.value || flag.value->empty()) continue;
                MountChecker(ctx, flag).run();
            }
        },
        /*with_triggers=*/true);
}

}  // namespace

const Rule invalid_run_mount_rule = {
    {"InvalidRunMount", "A RUN --mount value that BuildKit cannot parse", "", Severity::Error},
    check};

}  // namespace envbuilder::rules
