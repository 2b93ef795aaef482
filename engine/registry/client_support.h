#pragma once
// Helpers the registry client's parts (client.cpp, client_pull.cpp, client_push.cpp) share.
#include <cstddef>
#include <functional>
#include <string>

namespace envbuilder::registry::detail {

// A repository name or digest in a URL path: unreserved characters, ':' and '/' kept.
std::string url_escape(const std::string& s);
// Statuses worth another attempt: 429 and 5xx.
bool retryable(long status);
// Runs work(i) for i in [0, count) on up to `parallel` threads (this one included). After a
// failure no new item starts; the first failure is rethrown once all threads are done.
void for_each_parallel(size_t count, int parallel, const std::function<void(size_t)>& work);

}  // namespace envbuilder::registry::detail
