#include "syntax/run_mount.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "syntax/csv_fields.h"
#include "syntax/suggestions.h"

namespace envbuilder::dockerfile {

namespace {

constexpr std::array<std::string_view, 5> kTypes = {"bind", "cache", "tmpfs", "secret", "ssh"};
constexpr std::array<std::string_view, 19> kKeys = {
    "type",     "from", "source",    "src", "target",   "dst", "destination",
    "readonly", "ro",   "readwrite", "rw",  "required", "id",  "sharing",
    "mode",     "uid",  "gid",       "env", "size"};

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string lower_case(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Go's strconv.ParseBool.
std::optional<bool> go_bool(std::string_view v) {
    for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"})
        if (v == t) return true;
    for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"})
        if (v == f) return false;
    return std::nullopt;
}

// strconv.ParseUint(v, base, 32).
std::optional<uint32_t> go_uint32(std::string_view v, uint32_t base) {
    if (v.empty()) return std::nullopt;
    uint64_t n = 0;
    for (char c : v) {
        uint32_t digit = c >= '0' && c <= '9' ? static_cast<uint32_t>(c - '0') : 99;
        if (digit >= base) return std::nullopt;
        n = n * base + digit;
        if (n > UINT32_MAX) return std::nullopt;
    }
    return static_cast<uint32_t>(n);
}

// Where a key was given: for the per-type checks, which point at the key.
struct Seen {
    bool present = false;
    size_t begin = 0, end = 0;
};

class MountReader {
  public:
    MountReader(std::string_view value, bool unexpanded) : value_(value), unexpanded_(unexpanded) {}

    ParsedMount read() {
        CsvResult csv = split_csv(value_);
        if (csv.error) {
            report(csv.error_offset, value_.size(),
                   "--mount is not a valid comma-separated list: " + *csv.error);
            return std::move(result_);
        }
        for (const CsvField& field : csv.fields) read_field(field);
        if (!bad_type_) per_type_checks();
        return std::move(result_);
    }

  private:
    std::string_view value_;
    bool unexpanded_;
    ParsedMount result_;
    bool type_given_ = false, bad_type_ = false;
    Seen from_, source_, target_, id_, sharing_, mode_, uid_, gid_, env_, size_;

    RunMount& mount() { return result_.mount; }
    void report(size_t begin, size_t end, std::string message) {
        result_.problems.push_back({std::move(message), begin, end});
    }
    bool file_info_allowed() const {
        return result_.mount.type == "secret" || result_.mount.type == "ssh" ||
               result_.mount.type == "cache";
    }

    void read_field(const CsvField& field) {
        std::string_view text = field.text;
        // A quoted field's text no longer lines up with the value: point at the whole field.
        const bool exact = value_.substr(field.begin, field.end - field.begin) == text;
        const size_t eq = text.find('=');
        const std::string key = lower_case(text.substr(0, eq));
        const size_t key_end = exact ? field.begin + std::min(eq, text.size()) : field.end;
        if (eq == std::string_view::npos) {
            read_bare_key(key, field, key_end);
            return;
        }
        const std::string_view value = text.substr(eq + 1);
        const size_t value_begin = exact ? field.begin + eq + 1 : field.begin;
        const size_t value_end = field.end;
        const bool unchecked = unexpanded_ && value.find('$') != std::string_view::npos;
        auto bad_value = [&](const std::string& expected) {
            report(value_begin, value_end, key + " takes " + expected + ", not " + quoted(value));
        };
        auto keep = [&](Seen& seen, std::optional<std::string>& slot) {
            seen = {true, field.begin, key_end};
            slot = value.empty() ? std::nullopt : std::optional<std::string>(value);
        };
        if (key == "type") {
            if (unchecked) return;
            const std::string type = lower_case(value);
            if (std::find(kTypes.begin(), kTypes.end(), type) == kTypes.end()) {
                std::string message = "unknown mount type " + quoted(value);
                if (auto near = closest_match(type, kTypes))
                    message += " (did you mean " + std::string(*near) + "?)";
                report(value_begin, value_end,
                       message + "; expected bind, cache, tmpfs, secret or ssh");
                bad_type_ = true;
                return;
            }
            mount().type = type;
            type_given_ = true;
        } else if (key == "from") {
            keep(from_, mount().from);
        } else if (key == "source" || key == "src") {
            keep(source_, mount().source);
        } else if (key == "target" || key == "dst" || key == "destination") {
            keep(target_, mount().target);
        } else if (key == "readonly" || key == "ro" || key == "readwrite" || key == "rw") {
            auto flag = go_bool(value);
            if (!flag && !unchecked) bad_value("true or false");
            (key == "ro" || key == "readonly" ? mount().readonly : mount().readwrite) =
                flag.value_or(false);
        } else if (key == "required") {
            auto flag = go_bool(value);
            if (check_required(field.begin, key_end) && !flag && !unchecked)
                bad_value("true or false");
            mount().required = flag.value_or(false);
        } else if (key == "id") {
            keep(id_, mount().id);
        } else if (key == "sharing") {
            keep(sharing_, mount().sharing);
            const std::string sharing = lower_case(value);
            if (!unchecked && sharing != "shared" && sharing != "private" && sharing != "locked")
                bad_value("shared, private or locked");
        } else if (key == "mode") {
            mode_ = {true, field.begin, key_end};
            mount().mode = go_uint32(value, 8);
            if (!mount().mode && !unchecked) bad_value("an octal number such as 0600");
        } else if (key == "uid" || key == "gid") {
            (key == "uid" ? uid_ : gid_) = {true, field.begin, key_end};
            auto id = go_uint32(value, 10);
            (key == "uid" ? mount().uid : mount().gid) = id;
            if (!id && !unchecked) bad_value("a non-negative number");
        } else if (key == "env") {
            keep(env_, mount().env);
        } else if (key == "size") {
            keep(size_, mount().size);
        } else {
            std::string message = "unknown mount option " + quoted(key);
            if (auto near = closest_match(key, kKeys))
                message += " (did you mean " + std::string(*near) + "?)";
            report(field.begin, key_end, std::move(message));
        }
    }

    void read_bare_key(const std::string& key, const CsvField& field, size_t key_end) {
        if (key == "ro" || key == "readonly") {
            mount().readonly = true;
        } else if (key == "rw" || key == "readwrite") {
            mount().readwrite = true;
        } else if (key == "required") {
            if (check_required(field.begin, key_end)) mount().required = true;
        } else {
            report(field.begin, field.end,
                   "mount option " + quoted(field.text) +
                       " must be key=value (only ro, rw and required may stand alone)");
        }
    }

    // BuildKit checks `required` against the type read so far, so it must follow type=.
    bool check_required(size_t begin, size_t end) {
        const std::string& type = mount().type;
        if (type == "secret" || type == "ssh") return true;
        std::string message = "required applies only to secret and ssh mounts, not " + type;
        if (!type_given_)
            message += " (if this is a secret or ssh mount, put type= before required)";
        report(begin, end, std::move(message));
        return false;
    }

    void per_type_checks() {
        const std::string& type = mount().type;
        for (auto [seen, name] : {std::pair{&mode_, "mode"}, {&uid_, "uid"}, {&gid_, "gid"}})
            if (seen->present && !file_info_allowed())
                report(seen->begin, seen->end,
                       std::string(name) + " is not allowed on " + type +
                           " mounts (only secret, ssh and cache)");
        if (sharing_.present && type != "cache")
            report(sharing_.begin, sharing_.end,
                   "sharing applies only to cache mounts, not " + type);
        if (env_.present && type != "secret")
            report(env_.begin, env_.end, "env applies only to secret mounts, not " + type);
        if (size_.present && type != "tmpfs")
            report(size_.begin, size_.end, "size applies only to tmpfs mounts, not " + type);
        if (type == "secret") {
            if (from_.present) report(from_.begin, from_.end, "a secret mount cannot have from=");
            if (mount().source && mount().id)
                report(id_.begin, id_.end, "a secret mount takes either id= or source=, not both");
            if (!mount().source && !mount().target && !mount().id && !mount().env)
                report(0, value_.size(), "a secret mount needs id=, source= or target=");
        } else if (type == "bind" || type == "cache" || type == "tmpfs") {
            if (!mount().target)
                report(0, value_.size(),
                       "a " + type + " mount needs target=<path in the container>");
        }
    }
};

}  // namespace

ParsedMount parse_run_mount(std::string_view value, bool unexpanded) {
    return MountReader(value, unexpanded).read();
}

}  // namespace envbuilder::dockerfile
