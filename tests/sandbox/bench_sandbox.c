/* Benchmark helper: the cost of starting an actor in its sandbox against the same start without
 * it, measured in one process, interleaved, with the broker's own spawn and sandbox code. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../broker/spawn.h"
#include "leapp/util.h"

/* CPU time of this process and its reaped children, us */
static double cpu_us(void)
{
	struct rusage a, b;
	getrusage(RUSAGE_SELF, &a);
	getrusage(RUSAGE_CHILDREN, &b);
	return (double)(a.ru_utime.tv_sec + a.ru_stime.tv_sec + b.ru_utime.tv_sec + b.ru_stime.tv_sec) * 1e6 +
	       (double)(a.ru_utime.tv_usec + a.ru_stime.tv_usec + b.ru_utime.tv_usec + b.ru_stime.tv_usec);
}

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* One start: prepare, spawn, wait for the exit, release. Returns its wall time in us. */
static double one(const char *exe, const char *root, bool sandbox, int *ret_status, double *ret_cpu)
{
	_cleanup_free_ char *statedir = path_join(root, "var/lib/leapp");
	_cleanup_free_ char *logdir = path_join(root, "var/log/leapp");
	_cleanup_free_ char *scratch = path_join(statedir, "scratch/bench");
	struct sandbox_spec sb = {
		.enabled = sandbox, .profile = SANDBOX_SOURCE, .actor = "bench", .phase = "FactsCollection",
		.root = root, .statedir = statedir, .logdir = logdir, .scratch = scratch, .exec = exe,
		.memory_mb = SANDBOX_DEFAULT_MEMORY_MB, .cpu_seconds = SANDBOX_DEFAULT_CPU_SECONDS,
		.open_files = SANDBOX_DEFAULT_OPEN_FILES, .pids = SANDBOX_DEFAULT_PIDS, .netns_fd = -1,
	};
	int sv[2], op[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(op, O_CLOEXEC) < 0) {
		perror("socketpair");
		exit(1);
	}
	double t0 = now_us(), c0 = cpu_us();
	char *err = NULL;
	if (sandbox_prepare(&sb, &err) < 0) {
		fprintf(stderr, "sandbox_prepare: %s\n", err);
		exit(1);
	}
	double tp = now_us();
	char *argv[] = {(char *)exe, NULL};
	char *envp[] = {"PATH=/usr/bin:/bin", NULL};
	struct spawn_opts so = {.path = exe, .argv = argv, .envp = envp, .chan_fd = sv[1], .out_fd = op[1], .sandbox = &sb};
	pid_t pid;
	if (spawn_actor(&so, &pid, NULL) < 0) {
		perror("spawn_actor");
		exit(1);
	}
	double ts = now_us();
	close(sv[1]);
	close(op[1]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("waitpid");
			exit(1);
		}
	st = sandbox_exit_status(&sb, st);
	double tw = now_us();
	sandbox_release(&sb);
	double t1 = now_us();
	*ret_cpu = cpu_us() - c0;
	if (getenv("BENCH_SPLIT"))
		fprintf(stderr, "%s prep %.0f spawn %.0f wait %.0f release %.0f\n", sandbox ? "on" : "off", tp - t0, ts - tp, tw - ts, t1 - tw);
	char buf[512];
	ssize_t n = read(op[0], buf, sizeof(buf) - 1);
	if (n > 0 && (!WIFEXITED(st) || WEXITSTATUS(st) || getenv("BENCH_SPLIT"))) {
		buf[n] = 0;
		fprintf(stderr, "%s", buf);
	}
	close(sv[0]);
	close(op[0]);
	*ret_status = st;
	return t1 - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_sandbox N EXECUTABLE ROOT\n"
				"  starts EXECUTABLE N times with and N times without the sandbox, interleaved; prints\n"
				"  the median wall time (us) per start with and without, then the mean CPU time (us,\n"
				"  this process and its children) per start with and without\n");
		return 2;
	}
	int n = atoi(argv[1]);
	const char *exe = argv[2], *root = argv[3];
	char *err = NULL;
	if (sandbox_check_host(&err) < 0) {
		fprintf(stderr, "sandbox: %s\n", err);
		return 1;
	}
	double *on = xcalloc((size_t)n, sizeof(double)), *off = xcalloc((size_t)n, sizeof(double));
	double con = 0, coff = 0, c;
	int st;
	one(exe, root, true, &st, &c); /* warm up: the phase's network namespace, caches */
	one(exe, root, false, &st, &c);
	for (int i = 0; i < n; i++) {
		on[i] = one(exe, root, true, &st, &c);
		con += c;
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "the sandboxed start failed (status %d)\n", st);
			return 1;
		}
		off[i] = one(exe, root, false, &st, &c);
		coff += c;
	}
	qsort(on, (size_t)n, sizeof(double), cmp);
	qsort(off, (size_t)n, sizeof(double), cmp);
	/* wall: median per start; CPU: mean per start (broker side and child side together) */
	printf("%.0f %.0f %.0f %.0f\n", on[n / 2], off[n / 2], con / n, coff / n);
	free(on);
	free(off);
	return 0;
}
