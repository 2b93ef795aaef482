// The install order, computed as the devcontainers CLI computes it (its worklist, override
// priorities and round sort), so that a configuration installs its features in the same order
// whichever tool builds it. Equality and sorting follow the CLI's comparisons, with strings
// compared as JavaScript's localeCompare does (features/locale_order.h).
#include "features/install_order.h"

#include <algorithm>
#include <deque>
#include <map>
#include <stdexcept>

#include "features/locale_order.h"

namespace envbuilder::features {

namespace {

using Json = nlohmann::ordered_json;

struct Node {
    FeatureRef ref;
    Json options;
    std::shared_ptr<const ResolvedFeature> resolved;
    std::vector<std::string> aliases;    // the feature's id and legacyIds, once resolved
    std::vector<size_t> depends_on;      // nodes
    std::vector<size_t> installs_after;  // soft nodes (not part of the build by themselves)
    int priority = 0;
    bool user_provided = false;
    std::string required_by;
};

const char* js_typeof(const Json& v) {
    if (v.is_string()) return "string";
    if (v.is_boolean()) return "boolean";
    if (v.is_number()) return "number";
    return "object";
}

std::vector<std::string> js_keys(const Json& v) {
    std::vector<std::string> keys;
    if (v.is_object())
        for (const auto& [key, _] : v.items()) keys.push_back(key);
    else if (v.is_array())
        for (size_t i = 0; i < v.size(); ++i) keys.push_back(std::to_string(i));
    return keys;
}

const Json* js_member(const Json& v, const std::string& key) {
    if (v.is_object()) {
        auto found = v.find(key);
        return found == v.end() ? nullptr : &*found;
    }
    if (v.is_array()) return &v.at(std::stoul(key));
    return nullptr;
}

int compare_bool(bool a, bool b) {
    return a == b ? 0 : a ? 1 : -1;
}

// Options compared as the CLI compares them: strings and booleans by value; objects by their
// number of keys, then key by key (sorted), comparing string and boolean values.
int compare_options(const Json& a, const Json& b) {
    if (a.is_string() && b.is_string())
        return locale_compare(a.get<std::string>(), b.get<std::string>());
    if (a.is_boolean() && b.is_boolean()) return compare_bool(a.get<bool>(), b.get<bool>());
    if (std::string_view(js_typeof(a)) == "object" && std::string_view(js_typeof(b)) == "object") {
        auto keys_a = js_keys(a), keys_b = js_keys(b);
        if (keys_a.size() != keys_b.size()) return keys_a.size() < keys_b.size() ? -1 : 1;
        std::sort(keys_a.begin(), keys_a.end());
        std::sort(keys_b.begin(), keys_b.end());
        for (size_t i = 0; i < keys_a.size(); ++i) {
            if (keys_a[i] != keys_b[i]) return locale_compare(keys_a[i], keys_b[i]);
            const Json* va = js_member(a, keys_a[i]);
            const Json* vb = js_member(b, keys_b[i]);
            if (va->is_string() && vb->is_string())
                if (int c = locale_compare(va->get<std::string>(), vb->get<std::string>()))
                    return c;
            if (va->is_boolean() && vb->is_boolean())
                if (int c = compare_bool(va->get<bool>(), vb->get<bool>())) return c;
        }
        return 0;
    }
    return locale_compare(js_typeof(a), js_typeof(b));
}

int compare_ids(const Node& a, const Node& b) {
    const std::string ca = a.ref.collection(), cb = b.ref.collection();
    if (ca != cb) return locale_compare(ca, cb);
    const std::vector<std::string> own_a{a.ref.name}, own_b{b.ref.name};
    const auto& aliases_a = a.aliases.empty() ? own_a : a.aliases;
    const auto& aliases_b = b.aliases.empty() ? own_b : b.aliases;
    for (const auto& x : aliases_a)
        if (std::find(aliases_b.begin(), aliases_b.end(), x) != aliases_b.end()) return 0;
    return locale_compare(a.ref.name, b.ref.name);
}

// The round sort, and (== 0) feature equality.
int compare_nodes(const Node& a, const Node& b) {
    if (a.ref.kind != b.ref.kind) return locale_compare(a.ref.user_id, b.ref.user_id);
    switch (a.ref.kind) {
        case SourceKind::Oci: {
            const std::string& da = a.resolved->manifest_digest;
            const std::string& db = b.resolved->manifest_digest;
            if (da == db && compare_options(a.options, b.options) == 0) return 0;
            if (int c = compare_ids(a, b)) return c;
            if (!a.ref.tag.empty() && !b.ref.tag.empty() && a.ref.tag != b.ref.tag)
                return locale_compare(a.ref.tag, b.ref.tag);
            if (int c = compare_options(a.options, b.options)) return c;
            return da == db ? 0 : locale_compare(da, db);
        }
        case SourceKind::LocalFolder:
            if (int c = locale_compare(a.ref.folder.string(), b.ref.folder.string())) return c;
            return compare_options(a.options, b.options);
        case SourceKind::Tarball:
            if (int c = locale_compare(a.ref.url, b.ref.url)) return c;
            return compare_options(a.options, b.options);
    }
    return 0;
}

bool same_feature(const Node& a, const Node& b) {
    return a.ref.kind == b.ref.kind && compare_nodes(a, b) == 0;
}

// Whether `candidate` is what the soft dependency (installsAfter, or an override entry) names:
// the same id without version, or one of the named feature's legacy ids.
bool satisfies_soft(const Node& candidate, const Node& soft) {
    if (candidate.ref.kind != soft.ref.kind) return false;
    switch (candidate.ref.kind) {
        case SourceKind::Oci: {
            const std::string resource = candidate.ref.resource();
            if (resource == soft.ref.resource()) return true;
            return std::any_of(soft.aliases.begin(), soft.aliases.end(),
                               [&](const std::string& alias) {
                                   return soft.ref.collection() + "/" + alias == resource;
                               });
        }
        case SourceKind::LocalFolder:
            return candidate.ref.folder == soft.ref.folder;
        case SourceKind::Tarball:
            return candidate.ref.url == soft.ref.url;
    }
    return false;
}

std::string cache_key(const FeatureRef& ref) {
    switch (ref.kind) {
        case SourceKind::Oci:
            return "oci " + ref.resource() + ":" + ref.tag + "@" + ref.digest;
        case SourceKind::LocalFolder:
            return "dir " + ref.folder.string();
        case SourceKind::Tarball:
            return "url " + ref.url;
    }
    return ref.user_id;
}

class Planner {
  public:
    Planner(const std::filesystem::path& config_folder, const FeatureResolver& resolve)
        : config_folder_(config_folder), resolve_(resolve) {}

    InstallPlan run(const std::vector<UserFeature>& features,
                    const std::vector<std::string>& overrides) {
        std::deque<size_t> queue;
        for (const UserFeature& f : features) {
            size_t n = add_node(f.id, f.options, "");
            nodes_[n].user_provided = true;
            queue.push_back(n);
        }
        expand(queue);
        apply_overrides(overrides);
        drop_soft_dependencies_outside_the_build();
        return sort_in_rounds();
    }

  private:
    size_t add_node(const std::string& id, Json options, const std::string& required_by) {
        auto parsed = parse_feature_ref(id, config_folder_);
        if (auto* error = std::get_if<FeatureRefError>(&parsed))
            throw std::runtime_error(required_by.empty() ? error->message
                                                         : error->message + " (named by feature " +
                                                               required_by + ")");
        Node node;
        node.ref = std::get<FeatureRef>(std::move(parsed));
        node.options = std::move(options);
        node.required_by = required_by;
        nodes_.push_back(std::move(node));
        return nodes_.size() - 1;
    }

    std::shared_ptr<const ResolvedFeature> resolve(const FeatureRef& ref) {
        auto [slot, fresh] = resolved_.try_emplace(cache_key(ref));
        if (fresh) slot->second = resolve_(ref);
        return slot->second;
    }

    static std::vector<std::string> aliases_of(const FeatureMetadata& meta) {
        std::vector<std::string> aliases{meta.id};
        aliases.insert(aliases.end(), meta.legacy_ids.begin(), meta.legacy_ids.end());
        return aliases;
    }

    // The CLI's worklist: breadth first through dependsOn; a feature equal to one already taken
    // is not taken again (its dependents are satisfied by the one taken).
    void expand(std::deque<size_t>& queue) {
        while (!queue.empty()) {
            const size_t n = queue.front();
            queue.pop_front();
            nodes_[n].resolved = resolve(nodes_[n].ref);
            if (std::any_of(worklist_.begin(), worklist_.end(),
                            [&](size_t w) { return same_feature(nodes_[w], nodes_[n]); }))
                continue;
            const FeatureMetadata& meta = nodes_[n].resolved->metadata;
            nodes_[n].aliases = aliases_of(meta);
            for (const auto& [id, options] : meta.depends_on) {
                size_t dep = add_node(id, options, nodes_[n].ref.user_id);
                nodes_[n].depends_on.push_back(dep);
                queue.push_back(dep);
            }
            for (const std::string& id : meta.installs_after) {
                size_t soft = add_node(id, Json::object(), nodes_[n].ref.user_id);
                // Only an OCI feature's legacy ids widen what it matches. A soft dependency that
                // cannot be fetched still matches by its id; it does not fail the build.
                if (nodes_[soft].ref.kind == SourceKind::Oci) {
                    try {
                        nodes_[soft].aliases = aliases_of(resolve(nodes_[soft].ref)->metadata);
                    } catch (const std::exception&) {
                    }
                }
                nodes_[n].installs_after.push_back(soft);
            }
            worklist_.push_back(n);
        }
    }

    // overrideFeatureInstallOrder: the first entry gets the highest priority.
    void apply_overrides(const std::vector<std::string>& overrides) {
        const int count = static_cast<int>(overrides.size());
        for (int i = count - 1; i >= 0; --i) {
            size_t entry;
            try {
                entry = add_node(overrides[i], Json::object(), "");
            } catch (const std::exception& e) {
                throw std::runtime_error("overrideFeatureInstallOrder: " + std::string(e.what()));
            }
            bool matched = false;
            for (size_t w : worklist_) {
                if (!satisfies_soft(nodes_[w], nodes_[entry])) continue;
                nodes_[w].priority = std::max(nodes_[w].priority, count - i);
                matched = true;
            }
            if (!matched)
                notes_.push_back(
                    "overrideFeatureInstallOrder names \"" + overrides[i] +
                    "\", which is not one of the features being installed; it has no effect");
        }
    }

    void drop_soft_dependencies_outside_the_build() {
        for (size_t w : worklist_) {
            auto& soft = nodes_[w].installs_after;
            soft.erase(std::remove_if(soft.begin(), soft.end(),
                                      [&](size_t s) {
                                          return std::none_of(
                                              worklist_.begin(), worklist_.end(), [&](size_t c) {
                                                  return satisfies_soft(nodes_[c], nodes_[s]);
                                              });
                                      }),
                       soft.end());
        }
    }

    bool ready(const Node& node, const std::vector<size_t>& installed) const {
        auto has = [&](auto&& match) {
            return std::any_of(installed.begin(), installed.end(), match);
        };
        for (size_t d : node.depends_on)
            if (!has([&](size_t i) { return same_feature(nodes_[i], nodes_[d]); })) return false;
        for (size_t s : node.installs_after)
            if (!has([&](size_t i) { return satisfies_soft(nodes_[i], nodes_[s]); })) return false;
        return true;
    }

    InstallPlan sort_in_rounds() {
        std::vector<size_t> pending = worklist_, installed;
        while (!pending.empty()) {
            std::vector<size_t> round;
            for (size_t p : pending)
                if (ready(nodes_[p], installed)) round.push_back(p);
            if (round.empty()) throw std::runtime_error(describe_cycle(pending));
            int top = 0;
            for (size_t r : round) top = std::max(top, nodes_[r].priority);
            std::erase_if(round, [&](size_t r) { return nodes_[r].priority != top; });
            std::erase_if(pending, [&](size_t p) {
                return std::any_of(round.begin(), round.end(),
                                   [&](size_t r) { return same_feature(nodes_[r], nodes_[p]); });
            });
            std::stable_sort(round.begin(), round.end(), [&](size_t a, size_t b) {
                return compare_nodes(nodes_[a], nodes_[b]) < 0;
            });
            installed.insert(installed.end(), round.begin(), round.end());
        }
        InstallPlan plan;
        for (size_t i : installed) {
            Node& n = nodes_[i];
            plan.order.push_back({n.ref, n.options, n.resolved, n.user_provided, n.required_by});
        }
        plan.notes = std::move(notes_);
        return plan;
    }

    // Follows unmet dependencies among the features left until one repeats.
    std::string describe_cycle(const std::vector<size_t>& pending) const {
        auto next_of = [&](size_t n) -> std::optional<size_t> {
            for (size_t d : nodes_[n].depends_on)
                for (size_t p : pending)
                    if (same_feature(nodes_[p], nodes_[d])) return p;
            for (size_t s : nodes_[n].installs_after)
                for (size_t p : pending)
                    if (satisfies_soft(nodes_[p], nodes_[s])) return p;
            return std::nullopt;
        };
        std::vector<size_t> path{pending.front()};
        while (true) {
            auto next = next_of(path.back());
            if (!next) break;
            auto seen = std::find(path.begin(), path.end(), *next);
            if (seen != path.end()) {
                std::string text;
                for (auto it = seen; it != path.end(); ++it)
                    text += nodes_[*it].ref.user_id + " → ";
                return "Dev Container Features depend on each other in a cycle (" + text +
                       nodes_[*next].ref.user_id +
                       "), so no install order exists; remove one of these dependsOn/installsAfter "
                       "entries";
            }
            path.push_back(*next);
        }
        std::string names;
        for (size_t p : pending) names += (names.empty() ? "" : ", ") + nodes_[p].ref.user_id;
        return "no install order exists for the Dev Container Features " + names;
    }

    std::filesystem::path config_folder_;
    const FeatureResolver& resolve_;
    std::deque<Node> nodes_;
    std::vector<size_t> worklist_;
    std::map<std::string, std::shared_ptr<const ResolvedFeature>> resolved_;
    std::vector<std::string> notes_;
};

}  // namespace

InstallPlan plan_install_order(const std::vector<UserFeature>& features,
                               const std::vector<std::string>& override_install_order,
                               const std::filesystem::path& config_folder,
                               const FeatureResolver& resolve) {
    return Planner(config_folder, resolve).run(features, override_install_order);
}

}  // namespace envbuilder::features
