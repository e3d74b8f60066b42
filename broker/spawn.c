/* Actor processes: fork, wire fds 0-3, apply the sandbox, exec. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leapp/util.h"

/* After fork only async-signal-safe calls: no malloc, no stdio. */
static void child_fail(const char *what, int err)
{
	const char *e = strerror(err);
	const char *parts[] = {"leapp: cannot start actor: ", what, ": ", e, "\n"};
	for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
		ssize_t r _unused_ = write(2, parts[i], strlen(parts[i]));
	}
	_exit(127);
}

static void close_from(int lowfd)
{
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0u, 0) == 0)
		return;
	/* kernels before 5.9 (RHEL 8) have no close_range */
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = lowfd; fd < max; fd++)
		close((int)fd);
}

int spawn_actor(const struct spawn_opts *o, pid_t *ret_pid)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		*ret_pid = pid;
		return 0;
	}
	/* child */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail("PR_SET_PDEATHSIG", errno);
	if (getppid() != parent)
		_exit(127); /* the broker died before we could ask to die with it */
	setsid();
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		child_fail("open /dev/null", errno);
	/* move the inputs out of the way of 0-3 first */
	int chan = fcntl(o->chan_fd, F_DUPFD_CLOEXEC, 10), out = fcntl(o->out_fd, F_DUPFD_CLOEXEC, 10);
	int dn = fcntl(devnull, F_DUPFD_CLOEXEC, 10);
	if (chan < 0 || out < 0 || dn < 0)
		child_fail("dup", errno);
	if (dup2(dn, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || dup2(chan, 3) < 0)
		child_fail("dup2", errno);
	close_from(4);
	const char *what = "sandbox";
	int r = o->sandbox ? sandbox_enter(o->sandbox, &what) : 0;
	if (r < 0)
		child_fail(what, -r);
	execve(o->path, o->argv, o->envp);
	child_fail(o->path, errno);
	return 0;
}

int spawn_bare(const char *path, char *const *argv, char *const *envp, int *ret_status)
{
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	*ret_status = st;
	return 0;
}
