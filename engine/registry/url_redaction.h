#pragma once
// URLs may carry credentials in their userinfo ("https://user:password@mirror.example.com").
// Every URL the registry code shows (errors, events, warnings, progress) goes through this one
// helper, so a password given that way is never printed.
#include <string>
#include <string_view>

namespace envbuilder::registry {

// `text` with the userinfo of every URL in it ("scheme://userinfo@host") replaced by "***":
// "pull from https://u:p@m.example/v2 failed" -> "pull from https://***@m.example/v2 failed".
// Works on a single URL as on a whole message.
std::string redact_userinfo(std::string_view text);

// The host[:port] of an http(s) URL, without userinfo, lower case; empty when `url` has none.
std::string url_authority(std::string_view url);

}  // namespace envbuilder::registry
