// Running a program with input and captured output under a deadline; see process.h.
#include "ksd/process.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ksd {

namespace {

// Closes what it holds when it goes out of scope.
struct Fd {
    int fd {-1};
    Fd() = default;
    Fd(Fd const&) = delete;
    Fd& operator=(Fd const&) = delete;
    ~Fd() { close(); }
    void close() {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
};

bool make_pipe(Fd& read_end, Fd& write_end) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return false;
    read_end.fd = fds[0];
    write_end.fd = fds[1];
    return true;
}

// Writing to a pipe whose reader has gone raises SIGPIPE, which would kill the whole process.
// While this guard lives, SIGPIPE is blocked on this thread only; on the way out a SIGPIPE our
// writes raised is taken off the pending set, so nobody else ever sees it.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
    }
    ~SigpipeBlock() {
        timespec zero {0, 0};
        while (sigtimedwait(&m_pipe, nullptr, &zero) > 0) { }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeBlock(SigpipeBlock const&) = delete;
    SigpipeBlock& operator=(SigpipeBlock const&) = delete;

private:
    sigset_t m_pipe {};
    sigset_t m_old {};
};

std::string name_of(std::vector<std::string> const& argv) {
    return argv.empty() ? std::string("(no program)") : argv.front();
}

} // namespace

bool program_in_path(std::string const& name) {
    if (name.find('/') != std::string::npos)
        return access(name.c_str(), X_OK) == 0;
    char const* path = std::getenv("PATH");
    std::string_view rest = path != nullptr ? path : "/usr/bin:/bin";
    while (true) {
        auto colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        if (dir.empty())
            dir = ".";
        // Appended into a reserved string: GCC 12 at -O3 warns (-Wrestrict) of a false overlap
        // in the obvious + chain.
        std::string candidate;
        candidate.reserve(dir.size() + 1 + name.size());
        candidate.append(dir).append("/").append(name);
        struct stat st { };
        if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)
            && access(candidate.c_str(), X_OK) == 0)
            return true;
        if (colon == std::string_view::npos)
            return false;
        rest.remove_prefix(colon + 1);
    }
}

Result<ProgramOutput> run_program(std::vector<std::string> const& argv, std::string_view input,
    std::chrono::milliseconds timeout, size_t max_output) {
    std::string const name = name_of(argv);
    if (argv.empty())
        return Error {"cannot run a program: no program given"};
    Fd in_r, in_w, out_r, out_w, err_r, err_w;
    if (!make_pipe(in_r, in_w) || !make_pipe(out_r, out_w) || !make_pipe(err_r, err_w))
        return Error {"cannot run " + name + ": " + std::strerror(errno)};

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_r.fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // The child starts with no blocked signals and SIGPIPE at its default, whatever this thread
    // has (SigpipeBlock below, or a kiosk that ignores SIGPIPE).
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (auto const& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    int const rc = posix_spawnp(&pid, args[0], &actions, &attr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        return Error {"cannot run " + name + ": " + std::strerror(rc)};
    in_r.close();
    out_w.close();
    err_w.close();
    for (int fd : {in_w.fd, out_r.fd, err_r.fd})
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

    SigpipeBlock sigpipe;
    ProgramOutput result;
    size_t written = 0;
    if (input.empty())
        in_w.close();
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    std::string problem;
    char buf[16384];
    while (out_r.fd >= 0 || err_r.fd >= 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            problem = name + " did not finish within " + std::to_string(timeout.count()) + " ms";
            break;
        }
        pollfd fds[3] = {{out_r.fd, POLLIN, 0}, {err_r.fd, POLLIN, 0}, {in_w.fd, POLLOUT, 0}};
        int n = poll(fds, 3, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            problem = std::string("cannot wait for ") + name + ": " + std::strerror(errno);
            break;
        }
        if (in_w.fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            ssize_t w = write(in_w.fd, input.data() + written, input.size() - written);
            if (w > 0)
                written += static_cast<size_t>(w);
            // A reader that stopped reading (EPIPE) is the program's business: its exit says.
            if (written == input.size() || (w < 0 && errno != EAGAIN && errno != EINTR))
                in_w.close();
        }
        for (int i = 0; i < 2; ++i) {
            Fd& f = i == 0 ? out_r : err_r;
            std::string& sink = i == 0 ? result.out : result.err;
            if (f.fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
                continue;
            ssize_t r = read(f.fd, buf, sizeof buf);
            if (r > 0) {
                sink.append(buf, static_cast<size_t>(r));
                if (sink.size() > max_output)
                    problem = name + " wrote more than " + std::to_string(max_output) + " bytes";
            } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                f.close();
            }
        }
        if (!problem.empty())
            break;
    }
    // A program may close its output and still run: the deadline holds for its exit too.
    int status = 0;
    while (problem.empty()) {
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR))
            break;
        if (std::chrono::steady_clock::now() >= deadline)
            problem = name + " did not finish within " + std::to_string(timeout.count()) + " ms";
        else
            usleep(2000);
    }
    if (!problem.empty()) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    }
    if (!problem.empty())
        return Error {problem};
    if (WIFSIGNALED(status))
        return Error {name + " was ended by signal " + std::to_string(WTERMSIG(status))};
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

} // namespace ksd
