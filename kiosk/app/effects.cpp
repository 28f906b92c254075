// The worker thread and its two queues; see effects.h.
#include "app/effects.h"

#include "ksd/log.h"

#include <exception>
#include <utility>

namespace kiosk {

Effects::Effects()
    : m_thread([this](std::stop_token const& stop) { run(stop); }) {
}

Effects::~Effects() {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.clear();
    }
    m_thread.request_stop(); // wakes run() through the stop token
    m_thread.join();
}

void Effects::post(Job job) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_posted.notify_one();
}

std::vector<Completion> Effects::take_done() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_done, {});
}

void Effects::wait_idle() {
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_jobs.empty() && !m_running; });
}

bool Effects::busy() const {
    std::lock_guard lock(m_mutex);
    return !m_jobs.empty() || m_running || !m_done.empty();
}

void Effects::run(std::stop_token const& stop) {
    std::unique_lock lock(m_mutex);
    while (true) {
        if (!m_posted.wait(lock, stop, [this] { return !m_jobs.empty(); }))
            return; // stop requested with nothing to do
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_running = true;
        lock.unlock();
        Completion done;
        try {
            done = job(stop);
        } catch (std::exception const& e) {
            // A job reports failures in its completion; this is a bug, logged, not fatal.
            ksd::log::error("effects", std::string("a background job threw: ") + e.what());
        }
        lock.lock();
        m_running = false;
        if (done)
            m_done.push_back(std::move(done));
        if (m_jobs.empty())
            m_idle.notify_all();
        if (stop.stop_requested())
            return;
    }
}

} // namespace kiosk
