#include "registry/client_support.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "syntax/percent_encoding.h"

namespace envbuilder::registry::detail {

std::string url_escape(const std::string& s) {
    return dockerfile::percent_encode(s, ":/");
}

bool retryable(long status) {
    return status == 429 || status >= 500;
}
void for_each_parallel(size_t count, int parallel, const std::function<void(size_t)>& work) {
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (size_t i; !failed && (i = next++) < count;) {
            try {
                work(i);
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!first_error) first_error = std::current_exception();
                failed = true;
            }
        }
    };
    const size_t threads = std::min<size_t>(count, static_cast<size_t>(std::max(1, parallel)));
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace envbuilder::registry::detail
