// Background producer with a bounded queue: produce(i) for i in [begin, end)
// runs on one worker thread, at most `depth` items ahead of the consumer.
// Items come out in index order. Destroying the Prefetcher stops the worker
// (an item being produced is finished, then dropped).
//
// `produce` must not throw (wrap it in guarded() and carry errors in T).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace shenbi {

template <class T>
class Prefetcher {
public:
    Prefetcher(std::int64_t begin, std::int64_t end, int depth, std::function<T(std::int64_t)> produce)
        : next_(begin), end_(end), depth_(depth < 1 ? 1 : depth), produce_(std::move(produce)) {
        worker_ = std::thread([this] { run(); });
    }
    Prefetcher(const Prefetcher&) = delete;
    Prefetcher& operator=(const Prefetcher&) = delete;
    ~Prefetcher() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        if (worker_.joinable()) worker_.join();
    }

    // Blocks until the next item is ready; nullopt after the last one.
    std::optional<T> next() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return !queue_.empty() || done_; });
        if (queue_.empty()) return std::nullopt;
        T item = std::move(queue_.front());
        queue_.pop_front();
        cv_.notify_all();
        return item;
    }

private:
    void run() {
        for (std::int64_t i = next_; i < end_; ++i) {
            {
                std::unique_lock lock(mutex_);
                cv_.wait(lock, [this] { return stop_ || static_cast<int>(queue_.size()) < depth_; });
                if (stop_) break;
            }
            T item = produce_(i);
            std::lock_guard lock(mutex_);
            if (stop_) break;
            queue_.push_back(std::move(item));
            cv_.notify_all();
        }
        std::lock_guard lock(mutex_);
        done_ = true;
        cv_.notify_all();
    }

    std::int64_t next_;
    std::int64_t end_;
    int depth_;
    std::function<T(std::int64_t)> produce_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<T> queue_;
    bool stop_ = false;
    bool done_ = false;
    std::thread worker_;
};

}  // namespace shenbi
