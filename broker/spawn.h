/* Starting an actor process: socketpair on fd 3, output pipe on 1/2, sandbox, exec. */
#ifndef BROKER_SPAWN_H
#define BROKER_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

#include "sandbox.h"

struct spawn_opts {
	const char *path;       /* executable */
	char *const *argv;
	char *const *envp;
	int chan_fd;            /* becomes fd 3 */
	int out_fd;             /* becomes fds 1 and 2 (stdout and stderr, merged) */
	struct sandbox_spec *sandbox; /* prepared with sandbox_prepare(), or NULL */
	/* sandboxed only: set up everything (namespaces, mounts, limits) but leave the child
	 * waiting before it execs the actor, until spawn_go() (the broker prepares the next actor's
	 * sandbox while the one before it runs); *ret_go_fd gets the fd to release it */
	bool hold;
};

/* Fork (clone, into the sandbox's namespaces) and exec. The child dies with the broker
 * (PR_SET_PDEATHSIG), leads its own session and process group, and holds fds 0-3 only. With
 * the sandbox on, the child is the sandbox's init, pid 1 of a new pid namespace, and the actor
 * runs as its child: when the actor exits, the init exits and the kernel kills and reaps
 * everything left in the namespace before the broker sees that exit; sandbox_exit_status() gives
 * the actor's own status. A child that cannot set up its sandbox writes why to its output and
 * exits 127. Returns 0 with *ret_pid, or -errno. */
int spawn_actor(const struct spawn_opts *o, pid_t *ret_pid, int *ret_go_fd);

/* Let a child started with .hold exec its actor (go) or give up (the child exits 127); closes
 * go_fd either way. */
void spawn_go(int go_fd, bool go);

/* Same without any sandbox or channel: the "bare fork+exec+wait" of the benchmark. */
int spawn_bare(const char *path, char *const *argv, char *const *envp, int *ret_status);

#endif
