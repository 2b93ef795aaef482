#include <catch2/catch.hpp>

#include "oci/image_config.h"
#include "syntax/json_text.h"

using namespace envbuilder::oci;
using envbuilder::json_text;
using nlohmann::json;

namespace {

// Read and written again: the bytes the executor would write for `text` (it writes every config
// as compact JSON with sorted keys), and the config.
ImageConfig round_trip(const std::string& text) {
    const json parsed = json::parse(text);
    std::string problem;
    std::optional<ImageConfig> config = image_config_from_json(parsed, &problem);
    INFO(problem);
    REQUIRE(config);
    CHECK(json_text(to_json(*config)) == json_text(parsed));
    // Reading what was written gives the same config.
    CHECK(image_config_from_json(to_json(*config)) == config);
    return *config;
}

std::string problem_of(const std::string& text) {
    std::string problem;
    CHECK_FALSE(image_config_from_json(json::parse(text), &problem));
    return problem;
}

// As `docker build` wrote them (Docker 20), container_config and all.
const char* const kDockerConfig = R"({
  "architecture": "amd64",
  "config": {
    "Hostname": "", "Domainname": "", "User": "", "AttachStdin": false, "AttachStdout": false,
    "AttachStderr": false, "Tty": false, "OpenStdin": false, "StdinOnce": false,
    "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    "Cmd": ["bash"], "Image": "sha256:2b7412e6465c3c7fc5bb21d3e6f1917c167358449fecac8176c6e496e5c1f05f",
    "Volumes": null, "WorkingDir": "", "Entrypoint": null, "OnBuild": null, "Labels": null
  },
  "container": "6e2ed9fa7a8b6e1e9cf4e5bb4ab8a34e9a1ce0c9a9b8a0b0b0e0b0b0b0b0b0b0",
  "container_config": {
    "Hostname": "6e2ed9fa7a8b", "Domainname": "", "User": "", "AttachStdin": false,
    "Tty": false, "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
    "Cmd": ["/bin/sh", "-c", "#(nop) ", "CMD [\"bash\"]"], "Image": "sha256:2b74",
    "Volumes": null, "WorkingDir": "", "Entrypoint": null, "OnBuild": null, "Labels": {}
  },
  "created": "2023-02-04T02:25:27.394186417Z",
  "docker_version": "20.10.23",
  "history": [
    {"created": "2023-02-04T02:25:26.960164355Z", "created_by": "/bin/sh -c #(nop) ADD file:18e7 in / "},
    {"created": "2023-02-04T02:25:27.394186417Z", "created_by": "/bin/sh -c #(nop)  CMD [\"bash\"]", "empty_layer": true}
  ],
  "os": "linux",
  "rootfs": {"type": "layers", "diff_ids": ["sha256:67a4178b7d47beb6a1f697a593bd0c6841c67eb0da00f2badefb05fd30671490"]}
})";

// As BuildKit writes an OCI config, with every member the spec and Docker's extensions define.
const char* const kOciConfig = R"({
  "created": "2024-05-01T10:00:00Z",
  "author": "Ada <ada@example.com>",
  "architecture": "arm64",
  "variant": "v8",
  "os": "linux",
  "os.version": "10.0.17763.1879",
  "os.features": ["win32k"],
  "config": {
    "User": "app:staff",
    "ExposedPorts": {"8080/tcp": {}, "53/udp": {}},
    "Env": ["PATH=/usr/bin", "EMPTY="],
    "Entrypoint": ["/entry.sh"],
    "Cmd": ["--serve"],
    "Volumes": {"/data": {}},
    "WorkingDir": "/srv",
    "Labels": {"org.opencontainers.image.version": "1.2", "empty": ""},
    "StopSignal": "SIGQUIT",
    "ArgsEscaped": true,
    "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/"], "Interval": 90000000000,
                    "Timeout": 500000000, "StartPeriod": 2000000000, "StartInterval": 1000000000,
                    "Retries": 3},
    "Shell": ["/bin/ash", "-eo", "pipefail", "-c"],
    "OnBuild": ["RUN make"]
  },
  "rootfs": {"type": "layers", "diff_ids": []},
  "history": [{"created": "2024-05-01T10:00:00Z", "created_by": "MAINTAINER Ada",
               "author": "Ada", "comment": "buildkit.dockerfile.v0", "empty_layer": false}]
})";

}  // namespace

TEST_CASE("a Docker-written config reads and writes back byte for byte, container_config kept",
          "[oci][image_config]") {
    ImageConfig config = round_trip(kDockerConfig);
    CHECK(*config.architecture == "amd64");
    CHECK(*config.created == "2023-02-04T02:25:27.394186417Z");
    REQUIRE(config.config);
    CHECK(*config.config->cmd == std::vector<std::string>{"bash"});
    CHECK(config.config->entrypoint.is_null());
    CHECK(config.config->volumes.is_null());
    CHECK(config.config->labels.is_null());
    CHECK(*config.config->user == "");
    // Docker's own members, at the top and inside "config", are kept as they came.
    CHECK(config.extra.count("container_config"));
    CHECK(config.extra.at("docker_version") == "20.10.23");
    CHECK(config.config->extra.at("Hostname") == "");
    CHECK(config.config->extra.at("Tty") == false);
    REQUIRE(config.history);
    CHECK(config.history->size() == 2);
    CHECK(!(*config.history)[0].empty_layer.present());
    CHECK(*(*config.history)[1].empty_layer);
    CHECK(config.rootfs->diff_ids->size() == 1);
}

TEST_CASE("an OCI config with every modeled member round-trips typed", "[oci][image_config]") {
    ImageConfig config = round_trip(kOciConfig);
    CHECK(*config.os_version == "10.0.17763.1879");
    CHECK(*config.os_features == std::vector<std::string>{"win32k"});
    CHECK(*config.variant == "v8");
    CHECK(*config.author == "Ada <ada@example.com>");
    const ContainerConfig& c = *config.config;
    CHECK(c.exposed_ports->size() == 2);
    CHECK(c.exposed_ports->count("53/udp"));
    CHECK(c.volumes->count("/data"));
    CHECK(c.labels->at("empty") == "");
    CHECK(*c.args_escaped);
    CHECK(*c.healthcheck->interval == 90'000'000'000LL);
    CHECK(*c.healthcheck->start_interval == 1'000'000'000LL);
    CHECK(*c.healthcheck->retries == 3);
    CHECK(*c.on_build == std::vector<std::string>{"RUN make"});
    CHECK(c.extra.empty());
    CHECK(config.extra.empty());
    const HistoryEntry& h = config.history->at(0);
    CHECK(*h.comment == "buildkit.dockerfile.v0");
    CHECK(h.empty_layer.has_value());
    CHECK_FALSE(*h.empty_layer);
    CHECK(config.rootfs->diff_ids->empty());
}

TEST_CASE("absent, null and empty stay what they were", "[oci][image_config]") {
    ImageConfig nulls = round_trip(
        R"({"architecture":"amd64","os":"linux","config":{"Entrypoint":null,"Cmd":null,"Env":[],
            "Labels":{},"ExposedPorts":null,"Healthcheck":null,"WorkingDir":null},
            "rootfs":{"type":"layers","diff_ids":[]},"history":null})");
    const ContainerConfig& c = *nulls.config;
    CHECK(c.entrypoint.is_null());
    CHECK(c.cmd.is_null());
    CHECK(c.env.has_value());
    CHECK(c.env->empty());
    CHECK(c.labels.has_value());
    CHECK(c.exposed_ports.is_null());
    CHECK(c.healthcheck.is_null());
    CHECK(!c.user.present());
    CHECK(!c.shell.present());
    CHECK(nulls.history.is_null());
    CHECK(!nulls.created.present());

    const json written = to_json(nulls);
    CHECK(written["config"].contains("Entrypoint"));
    CHECK(written["config"]["Entrypoint"].is_null());
    CHECK(!written["config"].contains("User"));
    CHECK(written["config"]["Env"] == json::array());
    CHECK(written["config"]["Labels"] == json::object());
    CHECK(!written.contains("created"));

    // A null config (the spec allows it) and no config at all.
    CHECK(round_trip(R"({"os":"linux","config":null})").config.is_null());
    CHECK(!round_trip(R"({"os":"linux"})").config.present());
    CHECK(json_text(to_json(ImageConfig{})) == "{}");
}

TEST_CASE("members nobody models are kept at every level", "[oci][image_config]") {
    ImageConfig config = round_trip(R"({"os":"linux","x-top":{"deep":[1,2.5,"s",null]},
        "config":{"Cmd":["a"],"Healthcheck":{"Test":["NONE"],"x-check":1},"x-config":true,
                  "ExposedPorts":{"80/tcp":{"x-port":1},"81/tcp":null}},
        "rootfs":{"type":"layers","diff_ids":[],"x-rootfs":"r"},
        "history":[{"created_by":"x","x-history":[]}]})");
    CHECK(config.extra.at("x-top")["deep"].size() == 4);
    CHECK(config.config->extra.at("x-config") == true);
    CHECK(config.config->healthcheck->extra.at("x-check") == 1);
    CHECK(config.config->exposed_ports->at("80/tcp") == json{{"x-port", 1}});
    CHECK(config.config->exposed_ports->at("81/tcp").is_null());
    CHECK(config.rootfs->extra.at("x-rootfs") == "r");
    CHECK(config.history->at(0).extra.count("x-history"));
}

TEST_CASE("changes made to the typed config are what is written", "[oci][image_config]") {
    ImageConfig config = round_trip(kDockerConfig);
    config.config->entrypoint = std::vector<std::string>{"/entry.sh"};
    config.config->cmd.set_null();
    config.config->labels.make()["a"] = "b";
    config.rootfs->diff_ids.make().push_back("sha256:" + std::string(64, 'b'));
    config.author.reset();
    const json written = to_json(config);
    CHECK(written["config"]["Entrypoint"] == json::array({"/entry.sh"}));
    CHECK(written["config"]["Cmd"].is_null());
    CHECK(written["config"]["Labels"] == json{{"a", "b"}});
    CHECK(written["rootfs"]["diff_ids"].size() == 2);
    CHECK(written["container_config"]["Hostname"] == "6e2ed9fa7a8b");
    CHECK(!written.contains("author"));
    // A healthcheck is written as Docker writes it (the HEALTHCHECK history shows this text).
    Healthcheck check;
    check.test = std::vector<std::string>{"CMD", "true"};
    check.retries = 3;
    check.interval = 1'000'000'000;
    CHECK(json_text(to_json(check)) ==
          R"({"Interval":1000000000,"Retries":3,"Test":["CMD","true"]})");
}

TEST_CASE("a member of the wrong type is an error naming it, never a throw",
          "[oci][image_config]") {
    CHECK(problem_of(R"([1])") == "the image config must be an object, not an array");
    CHECK(problem_of(R"({"os":7})") == "os must be a string, not a number");
    CHECK(problem_of(R"({"config":[]})") == "config must be an object, not an array");
    CHECK(problem_of(R"({"config":{"Env":["A=1",2]}})") ==
          "config.Env[1] must be a string, not a number");
    CHECK(problem_of(R"({"config":{"Labels":{"a":null}}})") ==
          "config.Labels.a must be a string, not null");
    CHECK(problem_of(R"({"config":{"ExposedPorts":{"80/tcp":"yes"}}})") ==
          "config.ExposedPorts.80/tcp must be an object, not a string");
    CHECK(problem_of(R"({"config":{"ArgsEscaped":"true"}})") ==
          "config.ArgsEscaped must be true or false, not a string");
    CHECK(problem_of(R"({"config":{"Healthcheck":{"Interval":1.5}}})") ==
          "config.Healthcheck.Interval must be a whole number, not a fractional number");
    CHECK(problem_of(R"({"config":{"Healthcheck":{"Retries":18446744073709551615}}})") ==
          "config.Healthcheck.Retries is out of range (18446744073709551615)");
    CHECK(problem_of(R"({"rootfs":{"diff_ids":"sha256:a"}})") ==
          "rootfs.diff_ids must be an array, not a string");
    CHECK(problem_of(R"({"history":[{},{"empty_layer":1}]})") ==
          "history[1].empty_layer must be true or false, not a number");
    CHECK(problem_of(R"({"history":[null]})") == "history[0] must be an object, not null");
    CHECK(problem_of(R"({"os.features":"x"})") == "os.features must be an array, not a string");
}
