/* Actor processes: preparing and starting them, reading their output, timeouts, reaping, the end of a run. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "broker.h"
#include "brokerfs.h"
#include "engine.h"
#include "output.h"
#include "report.h"
#include "spawn.h"

/* The crash test's kill points (tests/upgrade/test-upgrade-crash.sh): is the environment
 * variable var set to this actor's name? Only with LEAPP_UNSUPPORTED=1. */
static bool devel_kill_point(const char *var, const char *actor)
{
	const char *unsupported = getenv("LEAPP_UNSUPPORTED"), *v = getenv(var);
	return unsupported && !strcmp(unsupported, "1") && v && !strcmp(v, actor);
}

#define OUTPUT_LINE_MAX 4096
#define EOF_GRACE_MS 500              /* channel closed, waiting for the exit status */
#define EXIT_DRAIN_MS 2000            /* exited, waiting for the channel to drain */
#define TERM_GRACE_MS 3000            /* SIGTERM at the timeout, SIGKILL after this */

static void proc_maybe_finish(struct proc *p);
static char *proc_sandbox_inputs(struct proc *p);

void proc_set_failure(struct proc *p, const char *fmt, ...) _printf_(2, 3);
void proc_set_failure(struct proc *p, const char *fmt, ...)
{
	if (p->failure)
		return; /* the first cause is the one that matters */
	va_list ap;
	va_start(ap, fmt);
	p->failure = xvasprintf(fmt, ap);
	va_end(ap);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char slab[65536];
	/* one read at a time on the loop thread: a static slab avoids an allocation per read */
	(void)h;
	(void)suggested;
	*buf = uv_buf_init(slab, sizeof(slab));
}

static void on_grace(uv_timer_t *t)
{
	struct proc *p = t->data;
	if (!p->exited && p->chan_eof && !p->got_done) {
		proc_kill(p, "closed its channel (fd 3) without finishing (protocol violation)");
		return;
	}
	if (p->exited) {
		/* exited, but something still holds its output open: stop waiting */
		p->chan_eof = p->out_eof = true;
		proc_maybe_finish(p);
	}
}

static void on_chan_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct proc *p = s->data;
	if (n > 0) {
		if (!p->killed) {
			if (frame_reader_feed(&p->rd, buf->base, (size_t)n) < 0) {
				proc_kill(p, "sent more than the broker could buffer (out of memory)");
				return;
			}
			router_read_frames(p);
		}
		return;
	}
	if (n == 0)
		return;
	/* EOF or error: the actor's end is closed */
	uv_read_stop(s);
	p->chan_eof = true;
	if (p->state == P_PREPARED)
		return; /* its set-up failed (or it was discarded): handled at its turn */
	if (!p->exited && !p->got_done && !p->killed) {
		/* give the exit status a moment: a crash closes fd 3 before SIGCHLD arrives */
		uv_timer_start(&p->grace, on_grace, EOF_GRACE_MS, 0);
	}
	proc_maybe_finish(p);
}

static void on_out_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct proc *p = s->data;
	if (n > 0) {
		if (p->killed || !proc_log_read(p, (size_t)n))
			return; /* drained until the pipe closes, not kept */
		for (ssize_t i = 0; i < n; i++) {
			char ch = buf->base[i];
			if (ch == '\n' || p->outline.len >= OUTPUT_LINE_MAX) {
				if (p->outline.len)
					proc_log(p, "output", p->outline.data);
				p->outline.len = 0;
				if (ch == '\n')
					continue;
			}
			buf_append(&p->outline, &ch, 1);
		}
		return;
	}
	if (n == 0)
		return;
	if (p->outline.len) {
		proc_log(p, "output", p->outline.data);
		p->outline.len = 0;
	}
	uv_read_stop(s);
	p->out_eof = true;
	if (p->state == P_PREPARED)
		return;
	proc_maybe_finish(p);
}

static void on_term_grace(uv_timer_t *t)
{
	struct proc *p = t->data;
	if (!p->exited) {
		kill(-p->pid, SIGKILL);
		kill(p->pid, SIGKILL);
	}
}

static void on_timeout(uv_timer_t *t)
{
	struct proc *p = t->data;
	if (p->exited)
		return;
	double limit = p->m->timeout > 0 ? p->m->timeout : p->e->c->opt.actor_timeout;
	p->timed_out = true;
	proc_set_failure(p, "timed out after %.0f s", limit);
	proc_log(p, "error", "timeout: sending SIGTERM, then SIGKILL");
	kill(-p->pid, SIGTERM);
	kill(p->pid, SIGTERM);
	uv_timer_start(&p->timer, on_term_grace, TERM_GRACE_MS, 0);
}

void proc_kill(struct proc *p, const char *why)
{
	if (p->killed)
		return;
	p->killed = true;
	proc_set_failure(p, "%s", why);
	if (p->pid > 0 && !p->exited) {
		kill(-p->pid, SIGKILL);
		kill(p->pid, SIGKILL);
	}
	if (!uv_is_closing((uv_handle_t *)&p->chan))
		uv_read_stop((uv_stream_t *)&p->chan);
	p->chan_eof = true;
	proc_maybe_finish(p);
}

/* A prepared child was dropped because its sandbox's inputs changed: back to pending, to be
 * prepared again, at once, when its turn comes. */
static void proc_reset(struct proc *p)
{
	free(p->scratch);
	free(p->sb_inputs);
	free(p->failure);
	if (p->rd.zone)
		frame_reader_clear(&p->rd);
	memset(&p->rd, 0, sizeof(p->rd));
	p->scratch = p->sb_inputs = p->failure = NULL;
	p->pid = 0;
	p->go_fd = -1;
	p->exited = p->chan_eof = p->out_eof = p->killed = p->discarded = p->reprepare = false;
	p->wstatus = 0;
	p->prepare_failed = true; /* not ahead again: its turn has come */
	p->state = P_PENDING;
}

static void on_handle_closed(uv_handle_t *h)
{
	struct proc *p = h->data;
	if (--p->open_handles > 0)
		return;
	struct stage_run *sr = p->sr;
	if (p->reprepare) {
		proc_reset(p);
		stage_schedule(sr);
		return;
	}
	if (p->discarded) {
		p->state = P_DONE;
		p->skipped = true;
	} else {
		sr->running--;
	}
	sr->finished++;
	stage_schedule(sr);
}

static void proc_close_handles(struct proc *p)
{
	sandbox_release(&p->sb);
	uv_close((uv_handle_t *)&p->chan, on_handle_closed);
	uv_close((uv_handle_t *)&p->outp, on_handle_closed);
	uv_close((uv_handle_t *)&p->timer, on_handle_closed);
	uv_close((uv_handle_t *)&p->grace, on_handle_closed);
}

/* A prepared child that will not run (the stage stops): kill it; it is counted done, without
 * a run, once it is reaped and its handles are closed. */
void proc_discard(struct proc *p)
{
	if (p->discarded)
		return;
	p->discarded = true;
	spawn_go(p->go_fd, false);
	p->go_fd = -1;
	kill(p->pid, SIGKILL);
	if (p->exited)
		proc_close_handles(p);
}

static const char *signal_name(int sig)
{
	/* sigabbrev_np() is glibc 2.32+, newer than RHEL 8's */
	switch (sig) {
	case SIGSEGV: return "SEGV";
	case SIGABRT: return "ABRT";
	case SIGKILL: return "KILL";
	case SIGTERM: return "TERM";
	case SIGBUS: return "BUS";
	case SIGFPE: return "FPE";
	case SIGILL: return "ILL";
	case SIGXCPU: return "XCPU";
	case SIGSYS: return "SYS";
	case SIGPIPE: return "PIPE";
	case SIGINT: return "INT";
	case SIGHUP: return "HUP";
	case SIGTRAP: return "TRAP";
	case SIGXFSZ: return "XFSZ";
	default: return "?";
	}
}

static void proc_finish(struct proc *p)
{
	struct engine *e = p->e;
	struct leapp_ctx *c = e->c;
	p->state = P_DONE;
	p->t1 = now_monotonic();
	int exit_code = 0, sig = 0;
	if (WIFEXITED(p->wstatus))
		exit_code = WEXITSTATUS(p->wstatus);
	else if (WIFSIGNALED(p->wstatus))
		sig = WTERMSIG(p->wstatus);
	bool ok = !p->failure && !p->killed && exit_code == 0 && sig == 0 && p->got_done;
	if (!ok && !p->failure) {
		if (sig)
			proc_set_failure(p, "was killed by signal %d (SIG%s: %s)", sig, signal_name(sig), strsignal(sig));
		else if (exit_code == 127 && !p->got_done && p->seq == 0)
			proc_set_failure(p, "could not be started (exit code 127)");
		else if (exit_code)
			proc_set_failure(p, "exited with code %d", exit_code);
		else
			proc_set_failure(p, "exited without finishing the protocol (no done frame)");
	}
	/* the sandbox knows whether one of its limits stopped the actor */
	_cleanup_free_ char *limit = ok ? NULL : sandbox_explain_exit(&p->sb, p->wstatus);
	if (limit) {
		char *f = xasprintf("%s: %s", p->failure, limit);
		free(p->failure);
		p->failure = f;
	}
	if (e->store_error)
		ok = false; /* its run cannot commit */
	const char *status = ok ? "ok" : "failed";
	if (!ok && !p->error_frame && !e->store_error) {
		_cleanup_free_ char *last = proc_last_logs(p);
		json_t *entry = report_entry_failure(p->m->name, p->m->phase, p->failure, last, e->hostname, e->exec->uuid, p->run);
		(void)engine_store_failed(e, store_report_add(c->store, e->exec->id, p->run, "broker", entry), "storing a report entry");
		if (e->single)
			json_array_append(json_object_get(e->single_output, "errors"), entry);
		json_decref(entry);
	}
	/* test hook (tests/upgrade/test-upgrade-crash.sh): leapp dies by SIGKILL between an actor
	 * run's rows (durable) and its "committed" row, the worst moment a kill can hit a commit */
	if (ok && !e->store_error && devel_kill_point("LEAPP_DEVEL_KILL_BEFORE_COMMIT", p->m->name)) {
		if (store_flush(c->store, true) == 0)
			raise(SIGKILL);
	}
	if (!e->store_error) {
		int r = store_run_finished(c->store, p->run, status, exit_code, sig, p->t1 - p->t0, p->ru.ru_maxrss, ok, p->failure);
		if (r == 0 && ok && p->m->side_effects)
			r = store_flush(c->store, true);
		if (engine_store_failed(e, r, "recording the end of an actor run"))
			ok = false;
	}
	if (ok) {
		if (p->pending_workflow) {
			json_decref(e->workflow_cfg);
			e->workflow_cfg = json_incref(p->pending_workflow);
		}
		const char *lf_name;
		json_t *lf;
		json_object_foreach(p->pending_logfiles, lf_name, lf) {
			char *err = NULL;
			if (json_is_string(lf) && brokerfs_write_logfile(c->logdir, lf_name, json_string_value(lf), &err) < 0)
				log_warning("%s (LogFile of %s)", err, p->m->name);
			free(err);
		}
		if (p->pending_inhibitor)
			e->inhibited = true;
		if (p->pending_stop)
			e->stop_after_phase = true;
	} else {
		e->errors = true;
		if (p->sr && p->sr->phase->policy == POLICY_FAIL_IMMEDIATELY)
			p->sr->stop_starting = true;
	}
	output_actor_finish(c->out, p->m->name, p->m->description, p->m->phase, status, p->t1 - p->t0, exit_code, sig,
			    p->failure);
	proc_close_handles(p);
}

static void proc_maybe_finish(struct proc *p)
{
	if (p->state != P_RUNNING)
		return;
	if (!p->exited)
		return;
	if (!p->chan_eof || !p->out_eof) {
		if (!uv_is_active((uv_handle_t *)&p->grace))
			uv_timer_start(&p->grace, on_grace, EXIT_DRAIN_MS, 0);
		return;
	}
	uv_timer_stop(&p->grace);
	uv_timer_stop(&p->timer);
	proc_finish(p);
}

void proc_sigchld_cb(uv_signal_t *h, int signum)
{
	struct engine *e = h->data;
	struct stage_run *sr = e->sr;
	if (!sr)
		return;
	for (size_t i = 0; i < sr->n; i++) {
		struct proc *p = &sr->procs[i];
		if ((p->state != P_RUNNING && p->state != P_PREPARED) || p->exited)
			continue;
		int st;
		struct rusage ru;
		pid_t r = wait4(p->pid, &st, WNOHANG, &ru);
		if (r != p->pid)
			continue;
		p->exited = true;
		p->wstatus = sandbox_exit_status(&p->sb, st);
		p->ru = ru;
		/* every process it started dies with it */
		kill(-p->pid, SIGKILL);
		if (p->discarded) {
			proc_close_handles(p);
			continue;
		}
		/* a prepared child that died on its own is reported when its turn comes */
		if (p->state == P_RUNNING)
			proc_maybe_finish(p);
	}
}

static char **build_env(struct engine *e, struct proc *p)
{
	struct leapp_ctx *c = e->c;
	char **env = xcalloc(64, sizeof(char *));
	size_t n = 0;
	env[n++] = xasprintf("PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", c->argv0_dir);
	env[n++] = xstrdup("LANG=C.UTF-8");
	env[n++] = xasprintf("HOME=%s", p->scratch);
	env[n++] = xstrdup("TMPDIR=/tmp");
	env[n++] = xasprintf("LEAPP_ROOT=%s", c->root);
	env[n++] = xasprintf("LEAPP_DATADIR=%s", c->datadir);
	env[n++] = xasprintf("LEAPP_BINDIR=%s", c->argv0_dir);
	env[n++] = xasprintf("LEAPP_STATEDIR=%s", c->statedir);
	env[n++] = xasprintf("LEAPP_LOGDIR=%s", c->logdir);
	env[n++] = xasprintf("LEAPP_EXECUTION_ID=%s", e->exec->uuid);
	env[n++] = xasprintf("LEAPP_EXECUTION_KIND=%s",
			     e->single ? "actor-run" : e->kind == RUN_PREUPGRADE ? "preupgrade" : "upgrade");
	env[n++] = xasprintf("LEAPP_CURRENT_PHASE=%s", p->m->phase);
	env[n++] = xasprintf("LEAPP_CURRENT_ACTOR=%s", p->m->name);
	if (c->opt.target)
		env[n++] = xasprintf("LEAPP_UPGRADE_PATH_TARGET_RELEASE=%s", c->opt.target);
	if (c->opt.nogpgcheck)
		env[n++] = xstrdup("LEAPP_NOGPGCHECK=1");
	if (c->opt.snapshot)
		env[n++] = xstrdup("LEAPP_SNAPSHOT=1");
	if (c->opt.debug)
		env[n++] = xstrdup("LEAPP_DEBUG=1");
	if (c->opt.verbose)
		env[n++] = xstrdup("LEAPP_VERBOSE=1");
	if (c->opt.json_progress)
		env[n++] = xstrdup("LEAPP_JSON_PROGRESS=1");
	if (c->opt.n_enablerepo) {
		struct buf b = {0};
		for (size_t i = 0; i < c->opt.n_enablerepo; i++)
			buf_printf(&b, "%s%s", i ? "," : "", c->opt.enablerepo[i]);
		env[n++] = xasprintf("LEAPP_ENABLE_REPOS=%s", b.data);
		buf_free(&b);
	}
	if (c->opt.n_features) {
		struct buf b = {0};
		for (size_t i = 0; i < c->opt.n_features; i++)
			buf_printf(&b, "%s%s", i ? "," : "", c->opt.features[i]);
		env[n++] = xasprintf("LEAPP_EXPERIMENTAL_FEATURES=%s", b.data);
		buf_free(&b);
	}
	/* the caller's LEAPP_* switches (LEAPP_UNSUPPORTED, LEAPP_DEVEL_*) and sanitizer options */
	extern char **environ;
	for (char **v = environ; *v && n < 60; v++) {
		if (!(str_startswith(*v, "LEAPP_") || str_startswith(*v, "ASAN_OPTIONS=") ||
		      str_startswith(*v, "UBSAN_OPTIONS=") || str_startswith(*v, "LSAN_OPTIONS=")))
			continue;
		size_t kl = (size_t)(strchr(*v, '=') - *v);
		bool dup = false;
		for (size_t i = 0; i < n && !dup; i++)
			dup = !strncmp(env[i], *v, kl + 1);
		if (!dup)
			env[n++] = xstrdup(*v);
	}
	env[n] = NULL;
	return env;
}

static void strv_free0(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static enum sandbox_profile profile_of(const struct phase_def *ph)
{
	return ph->profile == PROFILE_SOURCE ? SANDBOX_SOURCE :
	       ph->profile == PROFILE_INTERIM_PREP ? SANDBOX_INTERIM_PREP : SANDBOX_READWRITE;
}

/* Everything of a start that does not depend on the actor's turn: the fds, the sandbox, the
 * process. With hold, a sandboxed child waits before it execs the actor (proc_go releases it).
 * No run is recorded yet. */
int proc_prepare(struct proc *p, bool hold)
{
	struct engine *e = p->e;
	struct leapp_ctx *c = e->c;
	struct stage_run *sr = p->sr;
	int r;
	broker_alloc_spawn_note();
	p->go_fd = -1;
	p->scratch = path_join(c->statedir, "scratch");
	{
		char *s = path_join(p->scratch, p->m->name);
		free(p->scratch);
		p->scratch = s;
	}
	mkdir_p(p->scratch, 0700);
	int sv[2], op[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if (pipe2(op, O_CLOEXEC) < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	/* what the sandbox's writable set is computed from, to check again at its turn */
	if (hold && !c->opt.no_sandbox) {
		free(p->sb_inputs);
		p->sb_inputs = proc_sandbox_inputs(p);
	}
	/* sandbox */
	memset(&p->sb, 0, sizeof(p->sb));
	p->sb.enabled = !c->opt.no_sandbox;
	p->sb.profile = profile_of(sr->phase);
	p->sb.actor = p->m->name;
	p->sb.phase = sr->phase->name;
	p->sb.exec = p->m->exec;
	p->sb.datadir = c->datadir;
	p->sb.bindir = c->argv0_dir;
	p->sb.root = c->root;
	p->sb.statedir = c->statedir;
	p->sb.logdir = c->logdir;
	p->sb.scratch = p->scratch;
	p->sb.store_path = store_path(c->store);
	p->sb.network = p->m->sandbox.network;
	p->sb.mounts = p->m->sandbox.mounts;
	p->sb.boot = p->m->sandbox.boot;
	p->sb.devices = p->m->sandbox.devices;
	p->sb.writes = p->m->sandbox.writes;
	p->sb.n_writes = p->m->sandbox.n_writes;
	p->sb.memory_mb = p->m->limits.memory_mb ? p->m->limits.memory_mb : SANDBOX_DEFAULT_MEMORY_MB;
	p->sb.cpu_seconds = p->m->limits.cpu_seconds ? p->m->limits.cpu_seconds : SANDBOX_DEFAULT_CPU_SECONDS;
	p->sb.open_files = p->m->limits.open_files ? p->m->limits.open_files : SANDBOX_DEFAULT_OPEN_FILES;
	p->sb.pids = p->m->limits.pids ? p->m->limits.pids : SANDBOX_DEFAULT_PIDS;
	p->sb.netns_fd = -1;
#ifdef LEAPP_SANITIZER_BUILD
	p->sb.sanitizer = true;
#endif
	char *err = NULL;
	if ((r = sandbox_prepare(&p->sb, &err)) < 0) {
		proc_log(p, "error", err ? err : "sandbox preparation failed");
		proc_set_failure(p, "its sandbox could not be set up: %s", err ? err : strerror(-r));
		free(err);
		close(sv[0]);
		close(sv[1]);
		close(op[0]);
		close(op[1]);
		return r;
	}
	char *argv[] = {p->m->exec, NULL};
	char **envp = build_env(e, p);
	struct spawn_opts so = {.path = p->m->exec,
				.argv = argv,
				.envp = envp,
				.chan_fd = sv[1],
				.out_fd = op[1],
				.sandbox = &p->sb,
				.hold = hold};
	p->t0 = now_monotonic();
	r = spawn_actor(&so, &p->pid, &p->go_fd);
	strv_free0(envp);
	close(sv[1]);
	close(op[1]);
	if (r < 0) {
		close(sv[0]);
		close(op[0]);
		sandbox_release(&p->sb);
		return r;
	}
	p->state = P_PREPARED;
	frame_reader_init(&p->rd, FRAME_DEFAULT_MAX);
	uv_pipe_init(&e->loop, &p->chan, 0);
	uv_pipe_init(&e->loop, &p->outp, 0);
	uv_timer_init(&e->loop, &p->timer);
	uv_timer_init(&e->loop, &p->grace);
	p->chan.data = p->outp.data = p->timer.data = p->grace.data = p;
	p->open_handles = 4;
	uv_pipe_open(&p->chan, sv[0]);
	uv_pipe_open(&p->outp, op[0]);
	uv_read_start((uv_stream_t *)&p->chan, on_alloc, on_chan_read);
	uv_read_start((uv_stream_t *)&p->outp, on_alloc, on_out_read);
	return 0;
}

/* The actor's turn: record the run (durably first when it changes the system), let the
 * prepared child exec the actor, and talk to it. */
static int proc_go(struct proc *p)
{
	struct engine *e = p->e;
	struct leapp_ctx *c = e->c;
	struct stage_run *sr = p->sr;
	if (p->run <= 0) {
		int r = store_run_new(c->store, e->exec->id, p->m->name, p->m->phase, sr->phase->index, p->m->stage,
				      p->position, &p->run);
		/* the start of a system change is durable before it happens */
		if (r == 0 && p->m->side_effects)
			r = store_flush(c->store, true);
		if (engine_store_failed(e, r, "recording the start of an actor run"))
			return r;
	}
	int r = store_run_started(c->store, p->run, p->pid, now_realtime());
	if (engine_store_failed(e, r, "recording the start of an actor run"))
		return r;
	p->t0 = now_monotonic();
	spawn_go(p->go_fd, true);
	p->go_fd = -1;
	/* test hook (tests/upgrade/test-upgrade-crash.sh): leapp dies by SIGKILL as this actor starts */
	if (devel_kill_point("LEAPP_DEVEL_KILL_AT_START", p->m->name))
		raise(SIGKILL);
	p->state = P_RUNNING;
	sr->running++;
	double limit = p->m->timeout > 0 ? p->m->timeout : c->opt.actor_timeout;
	uv_timer_start(&p->timer, on_timeout, (uint64_t)(limit * 1000.0), 0);
	output_actor_start(c->out, p->m->name, p->m->phase);
	router_send_hello(p);
	router_feed(p);
	/* a prepared child that already died (its set-up failed) is finished now, with its output */
	if (p->exited)
		uv_timer_start(&p->grace, on_grace, 0, 0);
	return 0;
}

/*
 * What an actor's writable set is computed from that another actor can change while this one
 * is prepared ahead (DESIGN.md section 6, the sandbox's plan): the entries of leapp's state and
 * log directories (an el*userspace made meanwhile must not stay writable; the store's files)
 * and the actor's declared write paths. Compared at its turn: when it changed, the prepared
 * child is dropped and the sandbox set up again, so the set is always that of the turn.
 */
static char *proc_sandbox_inputs(struct proc *p)
{
	struct leapp_ctx *c = p->e->c;
	struct buf b = {0};
	const char *dirs[] = {c->statedir, c->logdir};
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		struct dirent **ents = NULL;
		int n = scandir(dirs[i], &ents, NULL, alphasort);
		buf_printf(&b, "%s:%d\n", dirs[i], n < 0 ? -errno : n);
		for (int k = 0; k < n; k++) {
			buf_printf(&b, "%s %d %llu\n", ents[k]->d_name, ents[k]->d_type, (unsigned long long)ents[k]->d_ino);
			free(ents[k]);
		}
		free(ents);
	}
	for (size_t i = 0; i < p->m->sandbox.n_writes; i++) {
		_cleanup_free_ char *w = path_join(c->root, p->m->sandbox.writes[i]);
		struct stat st;
		if (lstat(w, &st) < 0)
			buf_printf(&b, "%s absent\n", w);
		else
			buf_printf(&b, "%s %o %llu\n", w, st.st_mode, (unsigned long long)st.st_ino);
	}
	return b.data ? buf_steal(&b) : xstrdup("");
}

int proc_start(struct proc *p)
{
	struct engine *e = p->e;
	int r = 0;
	if (p->state == P_PREPARED && p->sb_inputs) {
		_cleanup_free_ char *now = proc_sandbox_inputs(p);
		if (strcmp(now, p->sb_inputs)) {
			p->reprepare = true;
			proc_discard(p); /* prepared again once it is reaped (proc_reset) */
			return 0;
		}
	}
	if (p->state != P_PREPARED) {
		/* without the sandbox there is no waiting child: it execs at once, so an actor that
		 * changes the system has its run recorded durably before the spawn */
		if (e->c->opt.no_sandbox && p->m->side_effects) {
			r = store_run_new(e->c->store, e->exec->id, p->m->name, p->m->phase, p->sr->phase->index, p->m->stage,
					  p->position, &p->run);
			if (r == 0)
				r = store_flush(e->c->store, true);
			if (engine_store_failed(e, r, "recording the start of an actor run"))
				return r;
		}
		r = proc_prepare(p, true);
	}
	return r < 0 ? r : proc_go(p);
}
