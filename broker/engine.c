/* The workflow engine: phases and stages as barriers, actors in dependency order, routing. */
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <uv.h>

#include "brokerfs.h"
#include "answerfile.h"
#include "broker.h"
#include "leapp/proto.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "spawn.h"

#define FEED_BATCH 512
#define FEED_HIGH_WATER (1u << 20)
#define LOG_KEEP_LINES 20
#define LOG_MAX_BYTES (1u << 20)      /* logs stored per actor run; the rest is counted */
#define OUTPUT_LINE_MAX 4096
#define EOF_GRACE_MS 500              /* channel closed, waiting for the exit status */
#define EXIT_DRAIN_MS 2000            /* exited, waiting for the channel to drain */
#define TERM_GRACE_MS 3000            /* SIGTERM at the timeout, SIGKILL after this */

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
	uint32_t seq;
	double t0, t1;
	/* input feeding */
	int64_t feed_okey;
	bool feed_done;
	/* logs */
	size_t log_bytes, logs_dropped;
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
	struct stage_run *sr;
	/* actor run (leapp actor run) */
	bool single;
	json_t *single_input, *single_output;
};

static void proc_kill(struct proc *p, const char *why);
static void proc_maybe_finish(struct proc *p);
static void stage_schedule(struct stage_run *sr);

/* ---- small helpers ---- */

static void proc_set_failure(struct proc *p, const char *fmt, ...) _printf_(2, 3);
static void proc_set_failure(struct proc *p, const char *fmt, ...)
{
	if (p->failure)
		return; /* the first cause is the one that matters */
	va_list ap;
	va_start(ap, fmt);
	p->failure = xvasprintf(fmt, ap);
	va_end(ap);
}

static void remember_log(struct proc *p, const char *level, const char *msg)
{
	char *line = xasprintf("%s: %s", level, msg);
	if (p->n_last == LOG_KEEP_LINES) {
		free(p->last_logs[0]);
		memmove(p->last_logs, p->last_logs + 1, (LOG_KEEP_LINES - 1) * sizeof(char *));
		p->n_last--;
	}
	p->last_logs[p->n_last++] = line;
}

static void proc_log(struct proc *p, const char *level, const char *msg)
{
	struct engine *e = p->e;
	remember_log(p, level, msg);
	size_t len = strlen(msg);
	if (p->log_bytes + len > LOG_MAX_BYTES) {
		p->logs_dropped++;
		return;
	}
	p->log_bytes += len;
	store_log_add(e->c->store, e->exec->id, p->run, level, now_realtime(), msg);
	output_actor_log(e->c->out, p->m->name, level, msg);
}

static char *joined_last_logs(struct proc *p)
{
	struct buf b = {0};
	for (size_t i = 0; i < p->n_last; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "", p->last_logs[i]);
	if (p->logs_dropped)
		buf_printf(&b, "%s(%zu more log lines were dropped: over %u bytes)", b.len ? "\n" : "", p->logs_dropped,
			   LOG_MAX_BYTES);
	return buf_steal(&b);
}

/* ---- writing to the actor ---- */

struct wreq {
	uv_write_t req;
	msgpack_sbuffer sb;
	struct proc *p;
};

static void feed_more(struct proc *p);

static void on_written(uv_write_t *req, int status)
{
	struct wreq *w = (struct wreq *)req;
	struct proc *p = w->p;
	msgpack_sbuffer_destroy(&w->sb);
	free(w);
	if (status < 0) {
		p->feed_done = true; /* the actor went away; its exit explains why */
		return;
	}
	feed_more(p);
}

static void send_buffer(struct proc *p, struct wreq *w)
{
	if (!p->chan.loop || uv_is_closing((uv_handle_t *)&p->chan) || p->killed) {
		msgpack_sbuffer_destroy(&w->sb);
		free(w);
		return;
	}
	uv_buf_t b = uv_buf_init(w->sb.data, (unsigned)w->sb.size);
	w->p = p;
	if (uv_write(&w->req, (uv_stream_t *)&p->chan, &b, 1, on_written) < 0) {
		msgpack_sbuffer_destroy(&w->sb);
		free(w);
		p->feed_done = true;
	}
}

struct feed_ctx {
	struct proc *p;
	msgpack_sbuffer *out;
	int64_t last;
};

static void feed_row(void *userdata, int64_t okey, const char *model, const char *topic, const char *producer,
		     const void *data, size_t len)
{
	struct feed_ctx *f = userdata;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 5, "message");
	mp_pack_kv_str(&pk, "model", model);
	mp_pack_kv_str(&pk, "topic", topic);
	mp_pack_kv_str(&pk, "producer", producer);
	mp_pack_str(&pk, "data");
	/* the stored canonical msgpack is appended as is */
	msgpack_sbuffer_write(&sb, data, len);
	frame_end(&sb);
	msgpack_sbuffer_write(f->out, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	f->last = okey;
}

static void send_end_of_input(struct proc *p)
{
	struct wreq *w = xcalloc(1, sizeof(*w));
	msgpack_sbuffer_init(&w->sb);
	msgpack_packer pk;
	frame_begin(&w->sb, &pk, 1, "end-of-input");
	frame_end(&w->sb);
	p->feed_done = true;
	send_buffer(p, w);
}

static void feed_input_json(struct proc *p)
{
	/* leapp actor run: messages come from a JSON file, already checked against the models */
	struct engine *e = p->e;
	size_t i;
	json_t *m;
	struct wreq *w = xcalloc(1, sizeof(*w));
	msgpack_sbuffer_init(&w->sb);
	json_array_foreach(e->single_input, i, m) {
		const char *model = json_string_value(json_object_get(m, "model"));
		if (!manifest_consumes(p->m, model))
			continue;
		const struct model *md = model_registry_find(e->c->models, model);
		msgpack_sbuffer sb;
		msgpack_packer pk;
		msgpack_sbuffer_init(&sb);
		frame_begin(&sb, &pk, 5, "message");
		mp_pack_kv_str(&pk, "model", model);
		mp_pack_kv_str(&pk, "topic", md ? md->topic : "");
		mp_pack_kv_str(&pk, "producer", json_string_value(json_object_get(m, "producer")) ?: "input");
		mp_pack_str(&pk, "data");
		char err[256];
		if (!md || model_pack_json(md, json_object_get(m, "data"), &pk, err, sizeof(err)) < 0) {
			msgpack_sbuffer_destroy(&sb);
			continue;
		}
		frame_end(&sb);
		msgpack_sbuffer_write(&w->sb, sb.data, sb.size);
		msgpack_sbuffer_destroy(&sb);
	}
	send_buffer(p, w);
	send_end_of_input(p);
}

static void feed_more(struct proc *p)
{
	struct engine *e = p->e;
	if (p->feed_done || p->killed)
		return;
	if (e->single_input) {
		feed_input_json(p);
		return;
	}
	if (p->m->n_consumes == 0) {
		send_end_of_input(p);
		return;
	}
	while (!p->feed_done && uv_stream_get_write_queue_size((uv_stream_t *)&p->chan) < FEED_HIGH_WATER) {
		struct wreq *w = xcalloc(1, sizeof(*w));
		msgpack_sbuffer_init(&w->sb);
		struct feed_ctx f = {.p = p, .out = &w->sb, .last = p->feed_okey};
		int n = store_messages_read(e->c->store, e->exec->id, p->m->consumes, p->m->n_consumes, p->feed_okey,
					    FEED_BATCH, feed_row, &f);
		p->feed_okey = f.last;
		if (n > 0)
			send_buffer(p, w);
		else {
			msgpack_sbuffer_destroy(&w->sb);
			free(w);
		}
		if (n < FEED_BATCH) {
			send_end_of_input(p);
			break;
		}
	}
}

static void send_hello(struct proc *p)
{
	struct engine *e = p->e;
	struct wreq *w = xcalloc(1, sizeof(*w));
	msgpack_sbuffer_init(&w->sb);
	msgpack_packer pk;
	json_t *cfg = p->m->config_section ? json_object_get(e->c->actor_config, p->m->config_section) : NULL;
	frame_begin(&w->sb, &pk, p->m->sandbox.host_mountinfo && e->host_mountinfo ? 10 : 9, "hello");
	mp_pack_kv_str(&pk, "actor", p->m->name);
	mp_pack_kv_str(&pk, "phase", p->m->phase);
	mp_pack_kv_str(&pk, "execution", e->exec->uuid);
	mp_pack_kv_str(&pk, "root", e->c->root);
	mp_pack_kv_str(&pk, "scratch", p->scratch);
	mp_pack_str(&pk, "config");
	if (cfg)
		json_pack_msgpack(&pk, cfg);
	else
		msgpack_pack_map(&pk, 0);
	mp_pack_str(&pk, "answers");
	json_pack_msgpack(&pk, e->answers);
	mp_pack_str(&pk, "workflow");
	if (e->workflow_cfg)
		json_pack_msgpack(&pk, e->workflow_cfg);
	else
		msgpack_pack_map(&pk, 0);
	if (p->m->sandbox.host_mountinfo && e->host_mountinfo) {
		mp_pack_str(&pk, "host");
		msgpack_pack_map(&pk, 1);
		mp_pack_kv_str(&pk, "mountinfo", e->host_mountinfo);
	}
	frame_end(&w->sb);
	send_buffer(p, w);
}

/* ---- frames from the actor ---- */

/* A LogFile message: the broker writes the file for the actor (it may not write the log
 * directory); a removal is done at once, a write when the run commits. */
static void logfile_pending(struct proc *p, const msgpack_object *data)
{
	json_t *j = msgpack_to_json(data);
	const char *name = json_string_value(json_object_get(j, "name"));
	json_t *content = json_object_get(j, "content");
	if (name && json_is_null(content)) {
		char *err = NULL;
		if (brokerfs_write_logfile(p->e->c->logdir, name, NULL, &err) < 0)
			log_warning("%s (LogFile of %s)", err, p->m->name);
		free(err);
	}
	if (name) {
		if (!p->pending_logfiles)
			p->pending_logfiles = json_object();
		json_object_set(p->pending_logfiles, name, content);
	}
	json_decref(j);
}

static void handle_produce(struct proc *p, const msgpack_object *f)
{
	struct engine *e = p->e;
	_cleanup_free_ char *model = mp_map_dup_str(f, "model");
	const msgpack_object *data = mp_map_get(f, "data");
	if (!model || !data) {
		proc_kill(p, "sent a produce frame without model and data");
		return;
	}
	if (!manifest_produces(p->m, model)) {
		char why[256];
		snprintf(why, sizeof(why), "produced model '%.100s', which its manifest does not declare", model);
		proc_kill(p, why);
		return;
	}
	const struct model *md = model_registry_find(e->c->models, model);
	if (!md) {
		proc_kill(p, "produced an unknown model");
		return;
	}
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	char err[512];
	if (model_validate_msgpack(md, data, &pk, err, sizeof(err)) < 0) {
		msgpack_sbuffer_destroy(&sb);
		char why[700];
		snprintf(why, sizeof(why), "produced an invalid %s message: %s", model, err);
		proc_kill(p, why);
		return;
	}
	p->seq++;
	int64_t okey = store_okey(p->sr ? p->sr->phase->index : 0, p->m->stage, p->position, p->seq);
	int r = store_message_add(e->c->store, e->exec->id, p->run, okey, md->name, md->topic, p->m->name, sb.data, sb.size);
	if (r < 0)
		proc_kill(p, "its message could not be stored (audit store error)");
	if (!strcmp(md->name, "IPUConfig")) {
		msgpack_zone z;
		msgpack_zone_init(&z, 2048);
		msgpack_object o;
		size_t off = 0;
		if (msgpack_unpack(sb.data, sb.size, &off, &z, &o) == MSGPACK_UNPACK_SUCCESS) {
			json_decref(p->pending_workflow);
		json_decref(p->pending_logfiles);
			p->pending_workflow = msgpack_to_json(&o);
		}
		msgpack_zone_destroy(&z);
	}
	if (!strcmp(md->name, "LogFile"))
		logfile_pending(p, data);
	if (e->single)
		json_array_append_new(json_object_get(e->single_output, "messages"),
				      json_pack("{s:s, s:o}", "model", md->name, "data", msgpack_to_json(data)));
	msgpack_sbuffer_destroy(&sb);
}

static void handle_report(struct proc *p, const msgpack_object *f)
{
	struct engine *e = p->e;
	const msgpack_object *eo = mp_map_get(f, "entry");
	if (!eo || eo->type != MSGPACK_OBJECT_MAP) {
		proc_kill(p, "sent a report frame without an entry map");
		return;
	}
	json_t *entry = msgpack_to_json(eo);
	char err[256];
	if (report_entry_complete(entry, p->m->name, e->hostname, e->exec->uuid, p->run, ++p->seq, err, sizeof(err)) < 0) {
		json_decref(entry);
		char why[320];
		snprintf(why, sizeof(why), "sent an invalid report entry: %s", err);
		proc_kill(p, why);
		return;
	}
	if (report_entry_has_group(entry, "inhibitor"))
		p->pending_inhibitor = true;
	store_report_add(e->c->store, e->exec->id, p->run, "actor", entry);
	if (e->single)
		json_array_append(json_object_get(e->single_output, "reports"), entry);
	json_decref(entry);
}

static void handle_log(struct proc *p, const msgpack_object *f)
{
	_cleanup_free_ char *level = mp_map_dup_str(f, "level");
	_cleanup_free_ char *msg = mp_map_dup_str(f, "message");
	if (!msg) {
		proc_kill(p, "sent a log frame without a message");
		return;
	}
	const char *lv = level && (!strcmp(level, "debug") || !strcmp(level, "info") || !strcmp(level, "warning") ||
				   !strcmp(level, "error"))
				 ? level
				 : "info";
	proc_log(p, lv, msg);
	if (p->e->single)
		json_array_append_new(json_object_get(p->e->single_output, "logs"),
				      json_pack("{s:s, s:s}", "level", lv, "message", msg));
}

static void handle_error(struct proc *p, const msgpack_object *f)
{
	struct engine *e = p->e;
	_cleanup_free_ char *msg = mp_map_dup_str(f, "message");
	_cleanup_free_ char *details = mp_map_dup_str(f, "details");
	_cleanup_free_ char *sev = mp_map_dup_str(f, "severity");
	_cleanup_free_ char *title = xasprintf("%s", msg ? msg : "the actor reported an error");
	json_t *entry = json_pack("{s:s, s:s, s:s, s:[s]}", "title", title, "summary", details ? details : title, "severity",
				  sev && (!strcmp(sev, "low") || !strcmp(sev, "medium") || !strcmp(sev, "info")) ? sev : "high",
				  "groups", "error");
	char err[256];
	report_entry_complete(entry, p->m->name, e->hostname, e->exec->uuid, p->run, ++p->seq, err, sizeof(err));
	/* the error is the reason the run fails: it must stay visible although the run will not commit */
	store_report_add(e->c->store, e->exec->id, p->run, "broker", entry);
	if (e->single)
		json_array_append(json_object_get(e->single_output, "errors"), entry);
	json_decref(entry);
	p->error_frame = true;
	proc_set_failure(p, "reported an error: %s", title);
}

static void handle_dialog(struct proc *p, const msgpack_object *f)
{
	const msgpack_object *d = mp_map_get(f, "dialog");
	if (!d || d->type != MSGPACK_OBJECT_MAP) {
		proc_kill(p, "sent a dialog frame without a dialog map");
		return;
	}
	json_t *dj = msgpack_to_json(d);
	if (!json_is_string(json_object_get(dj, "scope")) || !json_is_array(json_object_get(dj, "components"))) {
		json_decref(dj);
		proc_kill(p, "sent a dialog without scope and components");
		return;
	}
	store_dialog_add(p->e->c->store, p->e->exec->id, p->run, dj);
	if (p->e->single)
		json_array_append(json_object_get(p->e->single_output, "dialogs"), dj);
	json_decref(dj);
}

static void handle_command(struct proc *p, const msgpack_object *f)
{
	const msgpack_object *cmd = mp_map_get(f, "command");
	if (mp_str_eq(cmd, "stop-after-phase")) {
		p->pending_stop = true;
		if (p->e->single)
			json_array_append_new(json_object_get(p->e->single_output, "commands"),
					      json_pack("{s:s}", "command", "stop-after-phase"));
		return;
	}
	proc_kill(p, "sent an unknown command");
}

static void process_frames(struct proc *p)
{
	for (;;) {
		if (p->killed)
			return;
		msgpack_object f;
		enum frame_type t;
		int r = frame_reader_next(&p->rd, &f, &t, NULL, NULL);
		if (r == 0)
			return;
		if (r == -EMSGSIZE) {
			char why[128];
			snprintf(why, sizeof(why), "sent a frame larger than the limit of %u bytes", p->rd.max);
			proc_kill(p, why);
			return;
		}
		if (r < 0) {
			proc_kill(p, "sent bytes that are not a msgpack frame (protocol violation)");
			return;
		}
		if (p->got_done) {
			proc_kill(p, "sent frames after done (protocol violation)");
			return;
		}
		switch (t) {
		case FRAME_PRODUCE: handle_produce(p, &f); break;
		case FRAME_REPORT: handle_report(p, &f); break;
		case FRAME_LOG: handle_log(p, &f); break;
		case FRAME_ERROR: handle_error(p, &f); break;
		case FRAME_DIALOG: handle_dialog(p, &f); break;
		case FRAME_COMMAND: handle_command(p, &f); break;
		case FRAME_DONE: p->got_done = true; break;
		case FRAME_PROGRESS: {
			_cleanup_free_ char *what = mp_map_dup_str(&f, "what");
			int64_t done = 0, total = 0;
			mp_map_get_int(&f, "done", &done);
			mp_map_get_int(&f, "total", &total);
			progress_show(p->e->c->out, p->m->name, what ? what : "", done, total);
			break;
		}
		default: {
			char why[128];
			snprintf(why, sizeof(why), "sent a frame of type '%s', which actors may not send", frame_type_name(t));
			proc_kill(p, why);
			return;
		}
		}
	}
}

/* ---- libuv callbacks ---- */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char slab[65536];
	/* one read at a time on the loop thread: a static slab avoids an allocation per read */
	(void)h;
	(void)suggested;
	*buf = uv_buf_init(slab, sizeof(slab));
}

static void on_grace(uv_timer_t *t);

static void on_chan_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct proc *p = s->data;
	if (n > 0) {
		if (!p->killed) {
			frame_reader_feed(&p->rd, buf->base, (size_t)n);
			process_frames(p);
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

static void proc_kill(struct proc *p, const char *why)
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

static void on_handle_closed(uv_handle_t *h)
{
	struct proc *p = h->data;
	if (--p->open_handles > 0)
		return;
	struct stage_run *sr = p->sr;
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
static void proc_discard(struct proc *p)
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
	const char *status = ok ? "ok" : "failed";
	if (!ok && !p->error_frame) {
		_cleanup_free_ char *last = joined_last_logs(p);
		json_t *entry = report_entry_failure(p->m->name, p->m->phase, p->failure, last, e->hostname, e->exec->uuid, p->run);
		store_report_add(c->store, e->exec->id, p->run, "broker", entry);
		if (e->single)
			json_array_append(json_object_get(e->single_output, "errors"), entry);
		json_decref(entry);
	}
	store_run_finished(c->store, p->run, status, exit_code, sig, p->t1 - p->t0, p->ru.ru_maxrss, ok, p->failure);
	if (ok && p->m->side_effects)
		store_flush(c->store, true);
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

static void on_sigchld(uv_signal_t *h, int signum)
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

static void on_interrupt(uv_signal_t *h, int signum)
{
	struct engine *e = h->data;
	if (!e->interrupted)
		output_diag(e->c->out, "warning", "interrupted by signal %d: stopping the actors", signum);
	e->interrupted = true;
	struct stage_run *sr = e->sr;
	if (!sr)
		return;
	sr->stop_starting = true;
	for (size_t i = 0; i < sr->n; i++)
		if (sr->procs[i].state == P_RUNNING)
			proc_kill(&sr->procs[i], "was stopped: leapp was interrupted");
	stage_schedule(sr);
}

static void on_check(uv_check_t *h)
{
	/* one write transaction per loop turn */
	struct engine *e = h->data;
	store_flush(e->c->store, false);
}

/* ---- starting actors ---- */

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
	env[n++] = xasprintf("LEAPP_EXECUTION_KIND=%s", e->kind == RUN_PREUPGRADE ? "preupgrade" : "upgrade");
	env[n++] = xasprintf("LEAPP_CURRENT_PHASE=%s", p->m->phase);
	env[n++] = xasprintf("LEAPP_CURRENT_ACTOR=%s", p->m->name);
	if (c->opt.target)
		env[n++] = xasprintf("LEAPP_UPGRADE_PATH_TARGET_RELEASE=%s", c->opt.target);
	if (c->opt.nogpgcheck)
		env[n++] = xstrdup("LEAPP_NOGPGCHECK=1");
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
static int proc_prepare(struct proc *p, bool hold)
{
	struct engine *e = p->e;
	struct leapp_ctx *c = e->c;
	struct stage_run *sr = p->sr;
	int r;
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
		if (r < 0)
			return r;
		if (p->m->side_effects)
			store_flush(c->store, true); /* the start of a system change is durable before it happens */
	}
	store_run_started(c->store, p->run, p->pid, now_realtime());
	p->t0 = now_monotonic();
	spawn_go(p->go_fd, true);
	p->go_fd = -1;
	p->state = P_RUNNING;
	sr->running++;
	double limit = p->m->timeout > 0 ? p->m->timeout : c->opt.actor_timeout;
	uv_timer_start(&p->timer, on_timeout, (uint64_t)(limit * 1000.0), 0);
	output_actor_start(c->out, p->m->name, p->m->phase);
	send_hello(p);
	feed_more(p);
	/* a prepared child that already died (its set-up failed) is finished now, with its output */
	if (p->exited)
		uv_timer_start(&p->grace, on_grace, 0, 0);
	return 0;
}

static int proc_start(struct proc *p)
{
	struct engine *e = p->e;
	int r = 0;
	if (p->state != P_PREPARED) {
		/* without the sandbox there is no waiting child: it execs at once, so an actor that
		 * changes the system has its run recorded durably before the spawn */
		if (e->c->opt.no_sandbox && p->m->side_effects) {
			r = store_run_new(e->c->store, e->exec->id, p->m->name, p->m->phase, p->sr->phase->index, p->m->stage,
					  p->position, &p->run);
			if (r < 0)
				return r;
			store_flush(e->c->store, true);
		}
		r = proc_prepare(p, true);
	}
	return r < 0 ? r : proc_go(p);
}

static bool deps_done(struct stage_run *sr, struct proc *p)
{
	for (size_t i = 0; i < p->n_deps; i++)
		if (sr->procs[p->deps[i]].state != P_DONE)
			return false;
	return true;
}

/* May p become runnable as soon as what runs now finishes? */
static bool deps_running_or_done(struct stage_run *sr, struct proc *p)
{
	for (size_t i = 0; i < p->n_deps; i++) {
		enum proc_state st = sr->procs[p->deps[i]].state;
		if (st != P_DONE && st != P_RUNNING)
			return false;
	}
	return true;
}

static void start_failed(struct stage_run *sr, struct proc *p, int r)
{
	struct engine *e = sr->e;
	output_diag(e->c->out, "error", "cannot start actor %s: %s", p->m->name, strerror(-r));
	p->state = P_DONE;
	sr->finished++;
	e->errors = true;
	if (p->run <= 0)
		store_run_new(e->c->store, e->exec->id, p->m->name, p->m->phase, sr->phase->index, p->m->stage, p->position,
			      &p->run);
	if (p->run > 0) {
		_cleanup_free_ char *cause = xasprintf("could not be started: %s", p->failure ? p->failure : strerror(-r));
		json_t *entry = report_entry_failure(p->m->name, p->m->phase, cause, "", e->hostname, e->exec->uuid, p->run);
		store_report_add(e->c->store, e->exec->id, p->run, "broker", entry);
		json_decref(entry);
		store_run_finished(e->c->store, p->run, "failed", 127, 0, 0, 0, false, cause);
	}
	if (sr->phase->policy == POLICY_FAIL_IMMEDIATELY)
		sr->stop_starting = true;
}

static void stage_schedule(struct stage_run *sr)
{
	struct engine *e = sr->e;
	bool prepared = false;
	for (size_t i = 0; i < sr->n; i++) {
		struct proc *p = &sr->procs[i];
		if (p->state != P_PENDING && p->state != P_PREPARED)
			continue;
		if (sr->stop_starting) {
			if (p->state == P_PREPARED) {
				proc_discard(p); /* counted done once it is reaped */
				continue;
			}
			p->state = P_DONE;
			p->skipped = true;
			sr->finished++;
			continue;
		}
		if (sr->running >= (size_t)e->c->opt.jobs || !deps_done(sr, p)) {
			prepared |= p->state == P_PREPARED;
			continue;
		}
		int r = proc_start(p);
		if (r < 0)
			start_failed(sr, p, r);
	}
	/* the sandbox of the next actor to run is set up while the running ones work: one ahead */
	if (!prepared && !sr->stop_starting && !e->c->opt.no_sandbox && sr->running > 0) {
		for (size_t i = 0; i < sr->n; i++) {
			struct proc *p = &sr->procs[i];
			if (p->state != P_PENDING || p->prepare_failed || !deps_running_or_done(sr, p))
				continue;
			if (proc_prepare(p, true) < 0) {
				/* the start proper will fail again and report it; free what was made */
				p->prepare_failed = true;
				free(p->failure);
				p->failure = NULL;
				free(p->scratch);
				p->scratch = NULL;
				p->state = P_PENDING;
			}
			break;
		}
	}
	if (sr->finished == sr->n)
		uv_stop(&e->loop);
}

/* Position order: a topological order of the stage (producers first), ties by name. */
static void build_stage(struct engine *e, struct stage_run *sr, struct manifest **sel, size_t n)
{
	sr->procs = xcalloc(n + 1, sizeof(*sr->procs));
	sr->n = n;
	bool *placed = xcalloc(n + 1, sizeof(bool));
	/* sel is sorted by name; repeatedly place the first actor whose producers are placed */
	for (size_t pos = 0; pos < n; pos++) {
		size_t pick = n;
		for (size_t i = 0; i < n && pick == n; i++) {
			if (placed[i])
				continue;
			bool ready = true;
			for (size_t j = 0; j < n && ready; j++) {
				if (j == i || placed[j])
					continue;
				for (size_t k = 0; k < sel[j]->n_produces && ready; k++)
					if (manifest_consumes(sel[i], sel[j]->produces[k]))
						ready = false;
			}
			if (ready)
				pick = i;
		}
		if (pick == n) /* cannot happen: cycles are refused at load time */
			for (pick = 0; placed[pick]; pick++)
				;
		placed[pick] = true;
		struct proc *p = &sr->procs[pos];
		p->e = e;
		p->sr = sr;
		p->m = sel[pick];
		p->position = pos;
		p->state = P_PENDING;
	}
	free(placed);
	for (size_t i = 0; i < n; i++) {
		struct proc *p = &sr->procs[i];
		p->deps = xcalloc(n + 1, sizeof(size_t));
		for (size_t j = 0; j < i; j++)
			for (size_t k = 0; k < sr->procs[j].m->n_produces; k++)
				if (manifest_consumes(p->m, sr->procs[j].m->produces[k])) {
					p->deps[p->n_deps++] = j;
					break;
				}
	}
}

static void stage_clear(struct stage_run *sr)
{
	for (size_t i = 0; i < sr->n; i++) {
		struct proc *p = &sr->procs[i];
		free(p->deps);
		free(p->failure);
		free(p->scratch);
		for (size_t k = 0; k < p->n_last; k++)
			free(p->last_logs[k]);
		buf_free(&p->outline);
		json_decref(p->pending_workflow);
		if (p->rd.zone)
			frame_reader_clear(&p->rd);
	}
	free(sr->procs);
	memset(sr, 0, sizeof(*sr));
}

/* Run the actors of one phase and stage; returns when all are done. */
static void run_stage(struct engine *e, const struct phase_def *ph, enum stage st, bool resume)
{
	struct leapp_ctx *c = e->c;
	struct manifest **sel = xcalloc(c->actors.n + 1, sizeof(*sel));
	size_t n = 0;
	for (size_t i = 0; i < c->actors.n; i++) {
		struct manifest *m = c->actors.v[i];
		if (strcmp(m->phase, ph->name) || m->stage != st)
			continue;
		const char *why;
		if (!actor_enabled(c, m, &why)) {
			output_diag(c->out, "debug", "actor %s is not run: %s", m->name, why);
			continue;
		}
		sel[n++] = m;
	}
	if (n == 0) {
		free(sel);
		return;
	}
	struct stage_run sr = {.e = e, .phase = ph, .stage = st};
	build_stage(e, &sr, sel, n);
	free(sel);
	if (resume)
		for (size_t i = 0; i < sr.n; i++)
			if (store_run_committed(c->store, e->exec->id, sr.procs[i].m->name, ph->name)) {
				sr.procs[i].state = P_DONE;
				sr.procs[i].skipped = true;
				sr.finished++;
			}
	e->sr = &sr;
	if (e->interrupted)
		sr.stop_starting = true;
	stage_schedule(&sr);
	/* always: when every actor of the stage was skipped (resume) or failed to start,
	 * stage_schedule() has called uv_stop() already, and only uv_run() clears that flag; left
	 * set, it would end the next stage's loop while its actors still run */
	uv_run(&e->loop, UV_RUN_DEFAULT);
	e->sr = NULL;
	store_flush(c->store, false);
	stage_clear(&sr);
}

/* ---- the workflow ---- */

static char *read_boot_id(void)
{
	_cleanup_free_ char *d = NULL;
	if (read_file("/proc/sys/kernel/random/boot_id", 128, &d, NULL) < 0)
		return NULL;
	return xstrdup(str_strip(d));
}

static void load_answers(struct engine *e)
{
	struct leapp_ctx *c = e->c;
	_cleanup_free_ char *af = path_join(c->logdir, "answerfile");
	_cleanup_free_ char *uc = path_join(c->logdir, "answerfile.userchoices");
	json_t *a = NULL, *b = NULL;
	char *err = NULL;
	if (answerfile_load(af, &a, &err) < 0) {
		output_diag(c->out, "warning", "%s (ignored)", err);
		free(err);
		err = NULL;
		a = json_object();
	}
	if (answerfile_load(uc, &b, &err) < 0) {
		output_diag(c->out, "warning", "%s (ignored)", err);
		free(err);
		b = json_object();
	}
	/* answers given with `leapp answer` win over edits of the generated answerfile */
	answers_merge(a, b);
	json_decref(b);
	e->answers = a;
}

static void dialog_inhibitors(struct engine *e)
{
	struct leapp_ctx *c = e->c;
	json_t *dialogs = store_dialogs(c->store, e->exec->id);
	json_t *missing = dialogs_unanswered(dialogs, e->answers);
	size_t i;
	json_t *m;
	json_array_foreach(missing, i, m) {
		const char *cmd = json_string_value(json_object_get(m, "command"));
		_cleanup_free_ char *summary = xasprintf(
			"The question '%s' (%s.%s) needs an answer before the upgrade can go on. Answer it with: %s",
			json_string_value(json_object_get(m, "label")), json_string_value(json_object_get(m, "scope")),
			json_string_value(json_object_get(m, "key")), cmd);
		json_t *entry = json_pack("{s:s, s:s, s:s, s:[s,s]}", "title", "Missing required answers in the answer file",
					  "summary", summary, "severity", "high", "groups", "inhibitor", "dialog");
		/* the exact command, split as the remediation schema wants it */
		json_t *argv = json_array();
		_cleanup_free_ char *copy = xstrdup(cmd);
		char *save = NULL;
		for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
			json_array_append_new(argv, json_string(t));
		json_object_set_new(entry, "detail",
				    json_pack("{s:[{s:s, s:o}]}", "remediations", "type", "command", "context", argv));
		_cleanup_free_ char *key = xasprintf("dialog %s.%s", json_string_value(json_object_get(m, "scope")),
						     json_string_value(json_object_get(m, "key")));
		char hex[65];
		sha256_hex(key, strlen(key), hex);
		hex[40] = 0;
		json_object_set_new(entry, "key", json_string(hex));
		char err[128];
		report_entry_complete(entry, "leapp", e->hostname, e->exec->uuid, 0, (uint32_t)i, err, sizeof(err));
		store_report_add(c->store, e->exec->id, 0, "broker", entry);
		json_decref(entry);
		e->inhibited = true;
	}
	_cleanup_free_ char *af = path_join(c->logdir, "answerfile");
	if (json_array_size(dialogs))
		answerfile_write(af, dialogs, e->answers);
	json_decref(missing);
	json_decref(dialogs);
}

static int engine_setup(struct engine *e, struct leapp_ctx *c)
{
	e->c = c;
	uv_loop_init(&e->loop);
	uv_signal_init(&e->loop, &e->sigchld);
	uv_signal_init(&e->loop, &e->sigint);
	uv_signal_init(&e->loop, &e->sigterm);
	uv_check_init(&e->loop, &e->check);
	e->sigchld.data = e->sigint.data = e->sigterm.data = e->check.data = e;
	uv_signal_start(&e->sigchld, on_sigchld, SIGCHLD);
	uv_signal_start(&e->sigint, on_interrupt, SIGINT);
	uv_signal_start(&e->sigterm, on_interrupt, SIGTERM);
	uv_check_start(&e->check, on_check);
	signal(SIGPIPE, SIG_IGN);
	e->hostname = report_hostname(c->root);
	if (!strcmp(c->root, "/")) {
		/* an actor's own mount namespace shows the sandbox, so the host's view is taken now */
		_cleanup_free_ char *mi = NULL;
		if (read_file("/proc/self/mountinfo", 8u << 20, &mi, NULL) == 0)
			e->host_mountinfo = TAKE_PTR(mi);
	}
	return 0;
}

static void on_close_noop(uv_handle_t *h)
{
}

static void engine_teardown(struct engine *e)
{
	uv_close((uv_handle_t *)&e->sigchld, on_close_noop);
	uv_close((uv_handle_t *)&e->sigint, on_close_noop);
	uv_close((uv_handle_t *)&e->sigterm, on_close_noop);
	uv_close((uv_handle_t *)&e->check, on_close_noop);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	uv_loop_close(&e->loop);
	json_decref(e->workflow_cfg);
	json_decref(e->answers);
	free(e->hostname);
	free(e->host_mountinfo);
}

void engine_result_clear(struct engine_result *r)
{
	free(r->stopped_after);
	execution_clear(&r->exec);
	memset(r, 0, sizeof(*r));
}

static json_t *execution_config(struct leapp_ctx *c)
{
	json_t *cfg = json_pack("{s:s, s:i, s:b, s:b, s:b, s:s?, s:b, s:s}", "root", c->root, "jobs", c->opt.jobs,
				"nogpgcheck", c->opt.nogpgcheck, "no_sandbox", c->opt.no_sandbox, "debug", c->opt.debug,
				"target", c->opt.target, "force", c->opt.force, "report_schema",
				c->opt.report_schema ? c->opt.report_schema : "1.2.0");
	json_t *env = json_object();
	extern char **environ;
	for (char **v = environ; *v; v++)
		if (str_startswith(*v, "LEAPP_")) {
			_cleanup_free_ char *k = xstrndup(*v, (size_t)(strchr(*v, '=') - *v));
			json_object_set_new(env, k, json_string(strchr(*v, '=') + 1));
		}
	json_object_set_new(cfg, "env", env);
	json_t *a = json_array();
	for (size_t i = 0; i < c->opt.n_features; i++)
		json_array_append_new(a, json_string(c->opt.features[i]));
	json_object_set_new(cfg, "experimental_features", a);
	a = json_array();
	for (size_t i = 0; i < c->opt.n_enablerepo; i++)
		json_array_append_new(a, json_string(c->opt.enablerepo[i]));
	json_object_set_new(cfg, "enablerepo", a);
	a = json_array();
	for (size_t i = 0; i < c->opt.n_whitelist; i++)
		json_array_append_new(a, json_string(c->opt.whitelist[i]));
	json_object_set_new(cfg, "whitelist_experimental", a);
#ifdef LEAPP_SANITIZER_BUILD
	json_object_set_new(cfg, "sanitizer_build", json_true());
	if (!c->opt.no_sandbox)
		json_object_set_new(cfg, "sandbox_relaxed", json_pack("[s,s]", SANDBOX_SANITIZER_RELAXES));
#endif
	return cfg;
}

/* Runs phases [from, to] of the workflow for the execution in *ex. */
static int run_phases(struct engine *e, size_t from, bool resume, struct engine_result *res)
{
	struct leapp_ctx *c = e->c;
	for (size_t i = from; i < c->wf.n; i++) {
		const struct phase_def *ph = &c->wf.phases[i];
		if (e->inhibited && ph->skip_on_inhibitor) {
			output_diag(c->out, "debug", "phase %s skipped: the upgrade is inhibited", ph->name);
			output_event(c->out, "phase-finish", json_pack("{s:s, s:i, s:s, s:f}", "phase", ph->name, "index", ph->index,
								       "status", "skipped", "duration_ms", 0.0));
			continue;
		}
		if (ph->stop_preupgrade)
			dialog_inhibitors(e);
		double t0 = now_monotonic();
		output_phase_start(c->out, ph->name, ph->index);
		bool errors_before = e->errors;
		for (int st = STAGE_BEFORE; st <= STAGE_AFTER && !e->interrupted; st++) {
			run_stage(e, ph, (enum stage)st, resume);
			if (e->errors && ph->policy == POLICY_FAIL_IMMEDIATELY)
				break;
		}
		bool phase_failed = e->errors && !errors_before;
		output_phase_finish(c->out, ph->name, ph->index, phase_failed ? "failed" : "ok", now_monotonic() - t0);
		free(res->stopped_after);
		res->stopped_after = xstrdup(ph->name);
		/* the phase barrier: everything so far is durable */
		store_flush(c->store, true);
		if (e->interrupted) {
			store_execution_update(c->store, e->exec->id, "stopped", ph->name, NULL, false);
			res->exit_code = EXIT_ERROR;
			return 0;
		}
		if (phase_failed && ph->policy != POLICY_REPORT_ONLY) {
			store_execution_update(c->store, e->exec->id, "failed", ph->name, NULL, false);
			res->exit_code = EXIT_ERROR;
			return 0;
		}
		if (ph->checkpoint && e->errors && ph->policy != POLICY_REPORT_ONLY) {
			store_execution_update(c->store, e->exec->id, "failed", ph->name, NULL, false);
			res->exit_code = EXIT_ERROR;
			return 0;
		}
		if (ph->stop_preupgrade && e->kind == RUN_PREUPGRADE) {
			store_execution_update(c->store, e->exec->id, e->inhibited ? "inhibited" : "finished", NULL, NULL, true);
			res->exit_code = e->inhibited ? EXIT_INHIBITED : e->errors ? EXIT_ERROR : EXIT_OK;
			return 0;
		}
		if (ph->inhibitor_barrier && e->inhibited) {
			store_execution_update(c->store, e->exec->id, "inhibited", NULL, NULL, true);
			res->exit_code = EXIT_INHIBITED;
			return 0;
		}
		if (e->stop_after_phase) {
			store_execution_update(c->store, e->exec->id, "stopped", i + 1 < c->wf.n ? c->wf.phases[i + 1].name : NULL,
					       NULL, false);
			res->exit_code = e->errors ? EXIT_ERROR : e->inhibited ? EXIT_INHIBITED : EXIT_OK;
			return 0;
		}
		if ((ph->request_restart_after || ph->restart_after) && i + 1 < c->wf.n) {
			_cleanup_free_ char *boot = read_boot_id();
			store_execution_update(c->store, e->exec->id, "reboot", c->wf.phases[i + 1].name, boot, false);
			res->reboot_requested = ph->request_restart_after;
			res->reboot_now = ph->restart_after;
			res->exit_code = EXIT_OK;
			output_event(c->out, "reboot-requested",
				     json_pack("{s:s, s:s}", "phase", ph->name, "reason",
					       ph->restart_after ? "the upgrade continues after a reboot into the upgraded system"
								 : "reboot to continue the upgrade in the upgrade initramfs"));
			return 0;
		}
	}
	store_execution_update(c->store, e->exec->id, e->errors ? "failed" : "finished", NULL, NULL, true);
	res->exit_code = e->errors ? EXIT_ERROR : EXIT_OK;
	return 0;
}

/* Decide where --resume continues; refuse with a clear reason when it must not. */
static int resume_prepare(struct engine *e, struct execution *ex, size_t *ret_from)
{
	struct leapp_ctx *c = e->c;
	if (!strcmp(ex->status, "finished")) {
		output_diag(c->out, "error", "the last upgrade (%s) has finished: there is nothing to resume", ex->uuid);
		return -EALREADY;
	}
	if (!strcmp(ex->status, "inhibited")) {
		output_diag(c->out, "error",
			    "the last upgrade (%s) was inhibited: fix the inhibitors in the report and run leapp upgrade again",
			    ex->uuid);
		return -EPERM;
	}
	struct run_info fr = {0};
	if (store_last_failed_run(c->store, ex->id, &fr) == 0) {
		if (!c->opt.force) {
			output_diag(c->out, "error",
				    "actor %s failed in phase %s of the last upgrade (%s); fix the cause (see the report) and "
				    "run leapp upgrade --resume --force to run it again",
				    fr.actor, fr.phase, ex->uuid);
			run_info_clear(&fr);
			return -EPERM;
		}
		output_diag(c->out, "warning", "--force: running the failed actor %s again", fr.actor);
		run_info_clear(&fr);
	}
	/* a reboot was requested: the interim phases run only after it happened */
	if (!strcmp(ex->status, "reboot") && ex->boot_id && !strcmp(c->root, "/")) {
		_cleanup_free_ char *now = read_boot_id();
		if (now && !strcmp(now, ex->boot_id)) {
			output_diag(c->out, "error",
				    "the system has not rebooted since phase %s asked for it: reboot to continue the upgrade",
				    ex->next_phase ? ex->next_phase : "?");
			return -EAGAIN;
		}
	}
	/* stopped (not inhibited: that was refused above) right before a phase that runs after a
	 * reboot, without the reboot having been asked for: the preparation of that reboot (the
	 * upgrade initramfs, its boot entry) did not finish, so going on would be wrong */
	if (!strcmp(ex->status, "stopped") && ex->next_phase) {
		const struct phase_def *nx = workflow_phase(&c->wf, ex->next_phase);
		const struct phase_def *before = nx && nx->index > 0 ? &c->wf.phases[nx->index - 1] : NULL;
		if (before && (before->request_restart_after || before->restart_after)) {
			output_diag(c->out, "error",
				    "the last upgrade (%s) stopped at the end of phase %s, before the reboot it prepares: "
				    "see the report, then run leapp upgrade again",
				    ex->uuid, before->name);
			return -EPERM;
		}
	}
	int n = store_discard_uncommitted(c->store, ex->id);
	if (n > 0)
		output_diag(c->out, "info", "discarded %d actor run(s) that did not commit", n);
	store_flush(c->store, true);
	size_t from = 0;
	if (ex->next_phase) {
		const struct phase_def *ph = workflow_phase(&c->wf, ex->next_phase);
		if (!ph) {
			output_diag(c->out, "error", "the last upgrade stopped in unknown phase '%s'", ex->next_phase);
			return -EINVAL;
		}
		from = (size_t)ph->index;
	}
	/* crashed: continue in the phase of the last recorded run, if it is later */
	json_t *runs = store_runs_list(c->store, ex->id);
	size_t nr = json_array_size(runs);
	if (nr) {
		const struct phase_def *ph =
			workflow_phase(&c->wf, json_string_value(json_object_get(json_array_get(runs, nr - 1), "phase")));
		if (ph && (size_t)ph->index > from)
			from = (size_t)ph->index;
	}
	json_decref(runs);
	/* next_phase stays as the floor while it runs: killed before a run of the phases after a
	 * reboot commits, the next resume must not go back to the phase before the reboot (whose
	 * runs are the last recorded), which would only ask for the reboot again */
	store_execution_update(c->store, ex->id, "running", c->wf.phases[from].name, NULL, false);
	*ret_from = from;
	return 0;
}

static void load_workflow_cfg(struct engine *e)
{
	void *data = NULL;
	size_t len = 0;
	if (store_message_last(e->c->store, e->exec->id, "IPUConfig", &data, &len) < 0)
		return;
	msgpack_zone z;
	msgpack_zone_init(&z, 2048);
	msgpack_object o;
	size_t off = 0;
	if (msgpack_unpack(data, len, &off, &z, &o) == MSGPACK_UNPACK_SUCCESS)
		e->workflow_cfg = msgpack_to_json(&o);
	msgpack_zone_destroy(&z);
	free(data);
}

static int sandbox_check(struct leapp_ctx *c)
{
	char *err = NULL;
	if (c->opt.no_sandbox || sandbox_check_host(&err) == 0)
		return 0;
	output_diag(c->out, "error", "%s", err);
	free(err);
	return -ENOTSUP;
}

int engine_run(struct leapp_ctx *c, enum run_kind kind, struct engine_result *res)
{
	struct engine e = {0};
	memset(res, 0, sizeof(*res));
	if (sandbox_check(c) < 0) {
		res->exit_code = EXIT_ERROR;
		return -ENOTSUP;
	}
	engine_setup(&e, c);
	e.kind = kind;
	load_answers(&e);
	size_t from = 0;
	int r;
	if (c->opt.resume) {
		r = store_execution_last(c->store, "upgrade", &res->exec);
		if (r < 0) {
			output_diag(c->out, "error", "there is no upgrade to resume in %s", store_path(c->store));
			res->exit_code = EXIT_ERROR;
			engine_teardown(&e);
			return r;
		}
		e.exec = &res->exec;
		if ((r = resume_prepare(&e, &res->exec, &from)) < 0) {
			res->exit_code = EXIT_ERROR;
			engine_teardown(&e);
			return r;
		}
		load_workflow_cfg(&e);
	} else {
		json_t *cfg = execution_config(c);
		r = store_execution_new(c->store, kind == RUN_PREUPGRADE ? "preupgrade" : "upgrade", c->cmdline, cfg, &res->exec);
		json_decref(cfg);
		if (r < 0) {
			output_diag(c->out, "error", "cannot record the execution in %s: %s", store_path(c->store), strerror(-r));
			res->exit_code = EXIT_ERROR;
			engine_teardown(&e);
			return r;
		}
		e.exec = &res->exec;
		store_flush(c->store, true);
	}
	output_event(c->out, "start", json_pack("{s:s, s:s, s:s, s:b}", "execution", res->exec.uuid, "kind", res->exec.kind,
						 "root", c->root, "resume", c->opt.resume));
	if (c->opt.no_sandbox) {
		json_t *w = json_pack("{s:s, s:s, s:s, s:[s]}", "title", "Actors ran without the sandbox (--no-sandbox)", "summary",
				      "This run was started with --no-sandbox, a debugging switch: actors were not isolated "
				      "and could have changed the system.",
				      "severity", "high", "groups", "sanity");
		char err[64];
		report_entry_complete(w, "leapp", e.hostname, res->exec.uuid, 0, 0, err, sizeof(err));
		store_report_add(c->store, res->exec.id, 0, "broker", w);
		json_decref(w);
	}
	run_phases(&e, from, c->opt.resume, res);
	res->inhibited = e.inhibited;
	res->errors = e.errors;
	store_flush(c->store, true);
	/* the broker's own footprint, for the log and for benchmarks */
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double cpu_user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	double cpu_sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	output_diag(c->out, "debug", "broker: peak RSS %ld KiB, CPU %.3f s user + %.3f s system", ru.ru_maxrss, cpu_user, cpu_sys);
	output_event(c->out, "stats", json_pack("{s:I, s:f, s:f}", "broker_peak_rss_kb", (json_int_t)ru.ru_maxrss,
						 "broker_cpu_user_s", cpu_user, "broker_cpu_sys_s", cpu_sys));
	engine_teardown(&e);
	return 0;
}

/* ---- leapp actor run ---- */

int engine_run_single(struct leapp_ctx *c, struct manifest *m, json_t *input, json_t **ret_output)
{
	struct engine e = {0};
	if (sandbox_check(c) < 0)
		return -ENOTSUP;
	engine_setup(&e, c);
	load_answers(&e);
	e.single = true;
	e.single_input = input;
	e.single_output = json_pack("{s:s, s:[], s:[], s:[], s:[], s:[], s:[]}", "actor", m->name, "messages", "reports", "logs",
				    "dialogs", "commands", "errors");
	struct execution ex;
	json_t *cfg = execution_config(c);
	int r = store_execution_new(c->store, "actor-run", c->cmdline, cfg, &ex);
	json_decref(cfg);
	if (r < 0) {
		engine_teardown(&e);
		json_decref(e.single_output);
		return r;
	}
	e.exec = &ex;
	/* the workflow configuration given with the input, else that of the last run, so that
	 * actors which need it can run alone */
	struct execution last;
	if (c->workflow_override) {
		e.workflow_cfg = json_incref(c->workflow_override);
	} else if (store_execution_last(c->store, "upgrade", &last) == 0 ||
		   store_execution_last(c->store, "preupgrade", &last) == 0) {
		struct execution *keep = e.exec;
		e.exec = &last;
		load_workflow_cfg(&e);
		e.exec = keep;
		execution_clear(&last);
	}
	const struct phase_def *ph = workflow_phase(&c->wf, m->phase);
	struct stage_run sr = {.e = &e, .phase = ph, .stage = m->stage};
	sr.procs = xcalloc(1, sizeof(*sr.procs));
	sr.n = 1;
	sr.procs[0] = (struct proc){.e = &e, .sr = &sr, .m = m, .state = P_PENDING};
	e.sr = &sr;
	stage_schedule(&sr);
	if (sr.finished < sr.n)
		uv_run(&e.loop, UV_RUN_DEFAULT);
	bool ok = sr.procs[0].state == P_DONE && !sr.procs[0].failure;
	json_object_set_new(e.single_output, "status", json_string(ok ? "ok" : "failed"));
	if (sr.procs[0].failure)
		json_object_set_new(e.single_output, "failure", json_string(sr.procs[0].failure));
	store_execution_update(c->store, ex.id, ok ? "finished" : "failed", NULL, NULL, true);
	e.sr = NULL;
	stage_clear(&sr);
	store_flush(c->store, true);
	execution_clear(&ex);
	engine_teardown(&e);
	*ret_output = e.single_output;
	return ok ? 0 : -EPROTO;
}
