/* Out of memory in the broker: one allocator for the broker's own code, jansson and libuv, a
 * clean stop instead of an abort, and the test hook that fails the Nth allocation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "broker.h"

static pid_t broker_pid;
static bool counting;
static bool spawn_noted;

/*
 * Runs once when an allocation fails (libmsg's x*() and, through them, jansson's and libuv's).
 * There is nothing to clean up that the design does not already survive: the store's open
 * batch is never committed (SQLite discards it, as after a crash, and integrity holds), the
 * broker's files are written to a temporary name and renamed without allocating in between,
 * and the actors die with the broker (PR_SET_PDEATHSIG, the sandbox's PID namespace). What the
 * abort did wrong was the signal and the core: this says why it stopped and exits 1. What
 * stdio holds (the console, the log) is flushed first. In a child forked to start an actor
 * (before its exec) the broker's buffers are not the child's to flush: it only exits, and the
 * broker records that start as failed.
 */
static void broker_oom(size_t n)
{
	if (getpid() != broker_pid)
		_exit(127);
	fflush(NULL);
	char msg[256], what[64] = "an allocation failed";
	if (n)
		snprintf(what, sizeof(what), "an allocation of %zu bytes failed", n);
	int len = snprintf(msg, sizeof(msg),
			   "leapp: error: out of memory (%s): stopped; the audit store keeps what was committed before\n",
			   what);
	if (len > 0) {
		ssize_t w _unused_ = write(2, msg, (size_t)len < sizeof(msg) ? (size_t)len : sizeof(msg) - 1);
	}
	_exit(EXIT_ERROR);
}

static void *uv_malloc_x(size_t n) { return xmalloc(n); }
static void *uv_realloc_x(void *p, size_t n) { return xrealloc(p, n); }
static void *uv_calloc_x(size_t n, size_t m) { return xcalloc(n, m); }

void broker_alloc_init(void)
{
	broker_pid = getpid();
	util_oom_handler_set(broker_oom);
	/* jansson and libuv return NULL (or UV_ENOMEM) where the callers could not go on either;
	 * through xmalloc they stop the same clean way, and the test hook counts them too */
	json_set_alloc_funcs(xmalloc, free);
	uv_replace_allocator(uv_malloc_x, uv_realloc_x, uv_calloc_x, free);

	/* LEAPP_FAULT_ALLOC=N: the Nth allocation from here fails (tests/engine/test-fault-alloc.sh);
	 * =count: none fails, the counts are printed. A test hook like the crash points: honoured
	 * only with LEAPP_UNSUPPORTED=1, and removed from the environment at once, so that it is
	 * neither recorded with the execution (a --resume would inherit it) nor passed to actors. */
	const char *v = getenv("LEAPP_FAULT_ALLOC"), *u = getenv("LEAPP_UNSUPPORTED");
	if (!v)
		return;
	if (!u || strcmp(u, "1")) {
		fprintf(stderr, "leapp: LEAPP_FAULT_ALLOC ignored: it is a test hook (LEAPP_UNSUPPORTED=1)\n");
	} else if (!strcmp(v, "count")) {
		counting = true;
	} else {
		char *end;
		unsigned long nth = strtoul(v, &end, 10);
		if (*v && !*end && nth > 0)
			util_alloc_fault_set(nth);
		else
			fprintf(stderr, "leapp: LEAPP_FAULT_ALLOC=%s ignored: not a positive number nor \"count\"\n", v);
	}
	unsetenv("LEAPP_FAULT_ALLOC");
}

void broker_alloc_spawn_note(void)
{
	if (counting && !spawn_noted)
		fprintf(stderr, "leapp: fault hook: %lu allocations before the first actor\n", util_alloc_count());
	spawn_noted = true;
}

void broker_alloc_exit_note(void)
{
	if (counting)
		fprintf(stderr, "leapp: fault hook: %lu allocations\n", util_alloc_count());
}
