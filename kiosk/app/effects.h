// The kiosk's one worker thread for slow work (a save waiting on a locked database, the Argon2id
// PIN check, printing, a pack import, the pack check at attract): the App posts jobs, the worker
// runs them in order, and each job's completion (a closure) comes back to the UI thread, which
// applies it in App::tick(); for the features' effects (model/effects.h) that closure hands a
// typed result to the feature. Everything the jobs touch (the Desk, the pack loader) is used by
// the worker only, so the UI thread never waits on them.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace kiosk {

// Applied on the UI thread; it may change the App's state and post further jobs.
using Completion = std::function<void()>;
// Runs on the worker. The stop token is set when the kiosk shuts down: a long job (the import)
// abandons its work cleanly, a short one just finishes. Returns what the UI thread applies
// (may be empty).
using Job = std::function<Completion(std::stop_token const&)>;

class Effects {
public:
    Effects();
    // Jobs not started yet are dropped; the running one is asked to stop and waited for.
    ~Effects();
    Effects(Effects const&) = delete;
    Effects& operator=(Effects const&) = delete;

    void post(Job);
    // The completions of finished jobs, oldest first (for the UI thread).
    std::vector<Completion> take_done();
    // Blocks until no job is queued or running (scripts, screenshots, tests: App::settle()).
    void wait_idle();
    // Whether a job is queued or running, or a completion waits to be taken.
    bool busy() const;

private:
    void run(std::stop_token const&);

    mutable std::mutex m_mutex; // guards everything below but m_thread
    std::condition_variable_any m_posted; // a job was posted (or stop was requested)
    std::condition_variable m_idle; // the queue ran empty with no job running
    std::deque<Job> m_jobs;
    std::vector<Completion> m_done;
    bool m_running {false};
    // Last: started once the members above exist, and stopped and joined before they go.
    std::jthread m_thread;
};

} // namespace kiosk
