/* The engine's parts and what they share: an actor process, a stage run, the engine of one run. */
#ifndef BROKER_ENGINE_H
#define BROKER_ENGINE_H

#include <sys/resource.h>
#include <uv.h>

#include "broker.h"
#include "leapp/proto.h"
#include "sandbox.h"

/*
 * The engine is split by concern (DESIGN.md section 8):
 *   engine.c     the workflow: phases in order, barriers, policies; leapp actor run
 *   resume.c     where --resume continues and what it refuses
 *   scheduler.c  one stage: dependency order, --jobs, preparing the next sandbox ahead
 *   proc.c       one actor process: prepare, start, timeouts, reaping, the end of its run
 *   router.c     frames to and from an actor: hello, input, and a dispatch table per type
 */

#define LOG_KEEP_LINES 20
#define LOG_MAX_BYTES (1u << 20)      /* logs stored per actor run; the rest is counted */

/* What an actor can make the broker hold or store, per run (DESIGN.md section 6). Crossing one
 * kills the actor with an error naming the limit. A log line is cut at LOG_LINE_MAX when its
 * frame is read, before anything is copied. */
#define LOG_LINE_MAX (64u << 10)
#define RUN_MAX_LOG_READ ((size_t)64 << 20) /* log bytes read (log frames and output) */
#define RUN_MAX_MESSAGES 1000000
#define RUN_MAX_REPORTS 10000
#define RUN_MAX_DIALOGS 1000

struct engine;
struct stage_run;

/* P_PREPARED: sandboxed and waiting to exec the actor (spawn_go): the broker sets up the next
 * actor's sandbox while the actor before it runs, so that the namespaces and mounts cost no
 * wall time on the critical path. The actor itself still starts only when its turn comes. */
enum proc_state { P_PENDING, P_PREPARED, P_RUNNING, P_DONE };

struct proc {
	struct engine *e;
	struct stage_run *sr;
	struct manifest *m;
	int position;
	enum proc_state state;
	bool skipped;            /* committed earlier (resume) or disabled */
	int64_t run;
	pid_t pid;
	/* handles */
	uv_pipe_t chan, outp;
	uv_timer_t timer, grace;
	int open_handles;
	int go_fd;               /* P_PREPARED: releases the waiting child (spawn_go) */
	bool discarded;          /* a prepared child no longer needed: killed, never counted as a run */
	bool prepare_failed;     /* do not prepare ahead again; the normal start reports why */
	bool chan_eof, out_eof, exited, got_done, error_frame, killed, timed_out;
	int wstatus;
	struct rusage ru;
	char *failure;           /* why it failed, when it did */
	struct frame_reader rd;
	uint64_t seq;            /* messages and report entries, in the order the actor sent them */
	double t0, t1;
	/* input feeding */
	int64_t feed_okey;
	bool feed_done;
	/* logs, and what counts toward the limits per run */
	size_t log_bytes, logs_dropped, log_read;
	size_t n_messages, n_reports, n_dialogs;
	char *last_logs[LOG_KEEP_LINES];
	size_t n_last;
	struct buf outline;
	/* effects applied only once the run commits */
	json_t *pending_workflow;
	json_t *pending_logfiles;   /* LogFile messages: name -> content, written at commit (brokerfs.h) */
	bool pending_inhibitor, pending_stop;
	/* dependency graph inside the stage */
	size_t *deps;
	size_t n_deps;
	struct sandbox_spec sb;
	char *sb_inputs;         /* what its writable set was computed from (proc_sandbox_inputs) */
	bool reprepare;          /* prepared ahead, but that changed before its turn: prepare again */
	char *scratch;
};

struct stage_run {
	struct engine *e;
	const struct phase_def *phase;
	enum stage stage;
	struct proc *procs;
	size_t n, running, finished;
	bool stop_starting;
};

struct engine {
	struct leapp_ctx *c;
	uv_loop_t loop;
	uv_signal_t sigchld, sigint, sigterm;
	uv_check_t check;
	struct execution *exec;
	enum run_kind kind;
	json_t *workflow_cfg;
	json_t *answers;
	char *hostname;
	char *host_mountinfo;
	bool inhibited, errors, stop_after_phase, interrupted;
	char *store_error;       /* the first audit store error: the workflow stops (DESIGN.md section 2) */
	struct stage_run *sr;
	/* actor run (leapp actor run) */
	bool single;
	json_t *single_input, *single_output;
};

/* engine.c */
void engine_stop(struct engine *e, const char *why);
bool engine_store_failed(struct engine *e, int r, const char *what);
char *engine_boot_id(void);
int engine_load_workflow_cfg(struct engine *e);

/* resume.c */
int engine_resume_prepare(struct engine *e, struct execution *ex, size_t *ret_from);

/* scheduler.c */
void stage_schedule(struct stage_run *sr);
void stage_clear(struct stage_run *sr);
void run_stage(struct engine *e, const struct phase_def *ph, enum stage st, bool resume);

/* proc.c */
void proc_set_failure(struct proc *p, const char *fmt, ...) _printf_(2, 3);
void proc_kill(struct proc *p, const char *why);
void proc_discard(struct proc *p);
int proc_prepare(struct proc *p, bool hold);
int proc_start(struct proc *p);
void proc_sigchld_cb(uv_signal_t *h, int signum);

/* router.c */
void router_send_hello(struct proc *p);
void router_feed(struct proc *p);
void router_read_frames(struct proc *p);
void proc_log(struct proc *p, const char *level, const char *msg);
/* Count n log bytes read from the actor; false (and the actor killed) past RUN_MAX_LOG_READ. */
bool proc_log_read(struct proc *p, size_t n);
char *proc_last_logs(struct proc *p);

#endif
