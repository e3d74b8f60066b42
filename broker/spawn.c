/* Actor processes: clone into the sandbox's namespaces, wire fds 0-3, apply the sandbox, exec. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leapp/util.h"

/* After fork only async-signal-safe calls: no malloc, no stdio. */
static _noreturn_ void child_fail(int fd, const char *what, int err)
{
	const char *e = strerrordesc_np(err); /* untranslated: no locale, no malloc */
	if (!e)
		e = "unknown error";
	const char *parts[] = {"leapp: cannot start actor: ", what, ": ", e, "\n"};
	for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
		ssize_t r _unused_ = write(fd, parts[i], strlen(parts[i]));
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

/* The broker is gone when the other end of the channel is: with a pid namespace getppid() says 0,
 * so this is how the child notices that the broker died before PR_SET_PDEATHSIG was armed. Only
 * valid once the child closed its own copy of the broker's end (close_from). */
static bool broker_alive(void)
{
	struct pollfd p = {.fd = 3, .events = POLLIN | POLLRDHUP};
	if (poll(&p, 1, 0) < 0)
		return true;
	return !(p.revents & (POLLHUP | POLLRDHUP | POLLNVAL));
}

/* ---- the sandbox's init ----
 *
 * With the sandbox, the broker's child is pid 1 of a new pid namespace, and the actor is its
 * child. Running the actor itself as pid 1 would be one process less, but the kernel protects
 * a namespace's init from every signal it has no handler for, except SIGKILL from outside:
 * SIGTERM at the timeout, SIGXCPU at the CPU limit, SIGABRT from abort(), SIGPIPE would all be
 * lost on an ordinary actor, and the orphans of its children would stay zombies, counted by the
 * pids limit. So pid 1 is this small loop instead: it starts the actor, forwards the signals
 * meant for it, reaps every orphan, and when the actor ends it leaves the actor's exact wait
 * status where the broker reads it (sandbox_exit_status) and exits. The kernel then kills and
 * reaps whatever is left in the namespace before the broker sees the init's exit. */

static volatile pid_t init_actor_pid;

static void init_forward(int sig)
{
	/* also runs in the vfork child before its exec, which must not forward anything */
	if (init_actor_pid > 0 && getpid() == 1)
		kill(init_actor_pid, sig);
}

/* The fd on which the sandboxed child waits for the broker to have put it into its cgroups. */
#define GO_FD 4

/* The actor of a sandbox that declares mounts: in a user and mount namespace of its own, mapped
 * by the init (sandbox.h). Returns its pid (in the init) or -errno; the child execs or fails. */
static pid_t start_in_userns(const struct spawn_opts *o, const struct sandbox_spec *sb)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | CLONE_NEWUSER | CLONE_NEWNS, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		close(p[1]);
		char ok = 0;
		ssize_t n;
		while ((n = read(p[0], &ok, 1)) < 0 && errno == EINTR)
			;
		if (n != 1 || ok != 'M')
			_exit(127); /* the init said why */
		close(p[0]);
		static const int fwd[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
		struct sigaction dfl = {.sa_handler = SIG_DFL};
		for (size_t i = 0; i < ELEMENTSOF(fwd); i++)
			sigaction(fwd[i], &dfl, NULL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		const char *what = "sandbox";
		int r = sandbox_enter_actor(sb, &what);
		if (r < 0)
			child_fail(2, what, -r);
		execve(o->path, o->argv, o->envp);
		child_fail(2, o->path, errno);
	}
	close(p[0]);
	if (pid < 0) {
		int e = -errno;
		close(p[1]);
		return e;
	}
	const char *what = "sandbox";
	int r = sandbox_userns_map(pid, &what);
	ssize_t w _unused_ = write(p[1], r < 0 ? "E" : "M", 1);
	close(p[1]);
	if (r < 0)
		child_fail(2, what, -r);
	return pid;
}

static _noreturn_ void init_main(const struct spawn_opts *o, const struct sandbox_spec *sb)
{
	volatile int *status = sb->run.status;
	static const int fwd[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
	/* the broker moves us into the actor's cgroups while we set up the mounts; nothing may be
	 * started before that is done, or it would escape the limits */
	char go = 0;
	ssize_t gn;
	while ((gn = read(GO_FD, &go, 1)) < 0 && errno == EINTR)
		;
	if (gn != 1 || go != 'G')
		child_fail(2, "joining the actor's cgroups (done by the broker)", gn == 1 ? EIO : EPIPE);
	close(GO_FD);
	/* nothing in the namespace may read or write the broker's memory that this process shares */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &all, NULL);
	struct sigaction sa = {.sa_handler = init_forward, .sa_flags = SA_RESTART};
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < ELEMENTSOF(fwd); i++)
		sigaction(fwd[i], &sa, NULL);
	pid_t pid;
	if (sb->mounts) {
		pid = start_in_userns(o, sb);
		const char *what = "sandbox";
		int r = pid > 0 ? sandbox_init_lock_down(sb, &what) : 0;
		if (r < 0) {
			kill(pid, SIGKILL);
			child_fail(2, what, -r);
		}
		if (pid < 0) {
			errno = -pid;
			pid = -1;
		}
	} else
#ifdef LEAPP_SANITIZER_BUILD
		pid = fork(); /* ASan does not follow a vfork child */
#else
		pid = vfork();
#endif
	if (pid == 0) {
		struct sigaction dfl = {.sa_handler = SIG_DFL};
		for (size_t i = 0; i < ELEMENTSOF(fwd); i++)
			sigaction(fwd[i], &dfl, NULL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve(o->path, o->argv, o->envp);
		child_fail(2, o->path, errno);
	}
	if (pid < 0)
		child_fail(2, "fork (the actor, from the sandbox's init)", errno);
	init_actor_pid = pid;
	/* the actor alone holds the channel and the output: their EOF must mean it closed them */
	for (int fd = 0; fd <= 3; fd++)
		close(fd);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (;;) {
		int st;
		pid_t r = waitpid(-1, &st, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			_exit(127); /* cannot happen: the actor is our child until we reap it */
		if (r == pid) {
			status[1] = st;
			status[0] = 1;
			_exit(0);
		}
	}
}

void spawn_go(int go_fd, bool go)
{
	if (go_fd < 0)
		return;
	if (go) {
		ssize_t w _unused_ = write(go_fd, "G", 1);
	}
	close(go_fd);
}

static _noreturn_ void child_main(const struct spawn_opts *o, struct sandbox_spec *sb, int go_fd);

#ifndef LEAPP_SANITIZER_BUILD
struct vfork_arg {
	const struct spawn_opts *o;
};

/* the stack of the child that shares the broker's memory; one child at a time uses it, since the
 * broker waits for that child's exec */
static _Alignas(16) char vfork_stack[64 * 1024];

static int vfork_child(void *p)
{
	const struct vfork_arg *a = p;
	child_main(a->o, NULL, -1);
}
#endif

static int spawn_sandboxed(const struct spawn_opts *o, pid_t *ret_pid, int *ret_go_fd)
{
	struct sandbox_spec *sb = o->sandbox;
	unsigned long ns = sandbox_clone_flags(sb);
	int go[2] = {-1, -1};
	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	/* a raw clone, not fork(): the child must be created inside its new pid namespace so that it
	 * is that namespace's pid 1 and the broker's own child (wait4 on its pid keeps working) */
	pid_t pid = ns ? (pid_t)syscall(SYS_clone, SIGCHLD | ns, NULL, NULL, NULL, NULL) : fork();
	if (pid < 0) {
		int e = -errno;
		close(go[0]);
		close(go[1]);
		return e;
	}
	if (pid > 0) {
		/* the cgroup move happens here, not in the child: on cgroup v1 the first move after a
		 * quiet spell waits for an RCU grace period (~0.7 ms here), which now overlaps with the
		 * child's own set-up instead of adding to it */
		close(go[0]);
		int r = sandbox_attach(sb, pid);
		if (r < 0 || !o->hold || !ret_go_fd) {
			ssize_t w _unused_ = write(go[1], r < 0 ? "E" : "G", 1);
			close(go[1]);
		} else {
			*ret_go_fd = go[1];
		}
		sandbox_started(sb, pid);
		*ret_pid = pid;
		return 0;
	}
	child_main(o, sb, go[0]);
}

int spawn_actor(const struct spawn_opts *o, pid_t *ret_pid, int *ret_go_fd)
{
	if (ret_go_fd)
		*ret_go_fd = -1;
	if (o->sandbox && o->sandbox->enabled)
		return spawn_sandboxed(o, ret_pid, ret_go_fd);
#ifdef LEAPP_SANITIZER_BUILD
	pid_t pid = fork(); /* ASan does not follow a child that shares its memory */
	if (pid == 0)
		child_main(o, NULL, -1);
#else
	/* Without a sandbox the child only wires its fds and execs: it borrows the broker's memory
	 * until then (as posix_spawn does), instead of copying its page tables, which is most of a
	 * fork's cost in a broker that has models and the store loaded. The broker waits meanwhile.
	 * Its signals stay blocked until the child has put every handler back to the default, so
	 * that none of the broker's handlers can run on the child's borrowed stack. */
	struct vfork_arg a = {.o = o};
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid_t pid = clone(vfork_child, vfork_stack + sizeof(vfork_stack), CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
	int e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
#endif
	if (pid < 0)
		return -errno;
	*ret_pid = pid;
	return 0;
}

/* The actor's process between the fork and the exec; sb and go_fd for the sandboxed one. */
static _noreturn_ void child_main(const struct spawn_opts *o, struct sandbox_spec *sb, int go_fd)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_fail(o->out_fd, "PR_SET_PDEATHSIG", errno);
	sigset_t all;
	sigemptyset(&all);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setsid();
	const char *what = "sandbox";
	int r = sb ? sandbox_enter_early(sb, &what) : 0;
	if (r < 0)
		child_fail(o->out_fd, what, -r);
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		child_fail(o->out_fd, "open /dev/null", errno);
	/* move the inputs out of the way of 0-3 first */
	int chan = fcntl(o->chan_fd, F_DUPFD_CLOEXEC, 10), out = fcntl(o->out_fd, F_DUPFD_CLOEXEC, 10);
	int dn = fcntl(devnull, F_DUPFD_CLOEXEC, 10);
	if (chan < 0 || out < 0 || dn < 0)
		child_fail(o->out_fd, "dup", errno);
	if (dup2(dn, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 || dup2(chan, 3) < 0)
		child_fail(out, "dup2", errno);
	if (sb) {
		/* keep the go pipe at GO_FD (the actor itself gets fds 0-3 only: init closes it) */
		if (dup2(go_fd, GO_FD) < 0)
			child_fail(out, "dup2", errno);
		close_from(GO_FD + 1);
	} else {
		close_from(4);
	}
	if (!broker_alive())
		_exit(127);
	r = sb ? sandbox_enter(sb, &what) : 0;
	if (r < 0)
		child_fail(2, what, -r);
	if (sb)
		init_main(o, sb);
	execve(o->path, o->argv, o->envp);
	child_fail(2, o->path, errno);
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
