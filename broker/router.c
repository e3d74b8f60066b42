/* The router: frames to an actor (hello, its input, end-of-input) and from it, by a dispatch table. */
#include "broker.h"
#include "brokerfs.h"
#include "engine.h"
#include "leapp/proto.h"
#include "output.h"
#include "progress.h"
#include "report.h"

static bool proc_count(struct proc *p, size_t *count, size_t max, const char *what);

#define FEED_BATCH 512
#define FEED_HIGH_WATER (1u << 20)

struct wreq {
	uv_write_t req;
	msgpack_sbuffer sb;
	struct proc *p;
};

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
	router_feed(p);
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

void router_feed(struct proc *p)
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
		if (n < 0) {
			/* never end-of-input: the actor would work from partial facts */
			msgpack_sbuffer_destroy(&w->sb);
			free(w);
			_cleanup_free_ char *what = xasprintf("reading the input of actor %s", p->m->name);
			proc_kill(p, "its input could not be read from the audit store");
			engine_store_failed(e, n, what);
			return;
		}
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

void router_send_hello(struct proc *p)
{
	struct engine *e = p->e;
	struct wreq *w = xcalloc(1, sizeof(*w));
	msgpack_sbuffer_init(&w->sb);
	msgpack_packer pk;
	json_t *cfg = p->m->config_section ? json_object_get(e->c->actor_config, p->m->config_section) : NULL;
	const struct model *wm = model_registry_workflow_config(e->c->models);
	frame_begin(&w->sb, &pk, 9 + (p->m->sandbox.host_mountinfo && e->host_mountinfo) + (wm != NULL), "hello");
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
	if (wm)
		mp_pack_kv_str(&pk, "workflow_model", wm->name);
	if (p->m->sandbox.host_mountinfo && e->host_mountinfo) {
		mp_pack_str(&pk, "host");
		msgpack_pack_map(&pk, 1);
		mp_pack_kv_str(&pk, "mountinfo", e->host_mountinfo);
	}
	frame_end(&w->sb);
	send_buffer(p, w);
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

void proc_log(struct proc *p, const char *level, const char *msg)
{
	struct engine *e = p->e;
	remember_log(p, level, msg);
	size_t len = strlen(msg);
	if (p->log_bytes + len > LOG_MAX_BYTES) {
		p->logs_dropped++;
		return;
	}
	p->log_bytes += len;
	if (engine_store_failed(e, store_log_add(e->c->store, e->exec->id, p->run, level, now_realtime(), msg), "storing a log line"))
		return;
	output_actor_log(e->c->out, p->m->name, level, msg);
}

char *proc_last_logs(struct proc *p)
{
	struct buf b = {0};
	for (size_t i = 0; i < p->n_last; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "", p->last_logs[i]);
	if (p->logs_dropped)
		buf_printf(&b, "%s(%zu more log lines were dropped: over %u bytes)", b.len ? "\n" : "", p->logs_dropped,
			   LOG_MAX_BYTES);
	return buf_steal(&b);
}

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
	if (!proc_count(p, &p->n_messages, RUN_MAX_MESSAGES, "messages"))
		return;
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
	if (engine_store_failed(e, r, "storing a message")) {
		msgpack_sbuffer_destroy(&sb);
		return;
	}
	if (md->workflow_config) {
		msgpack_zone z;
		msgpack_zone_init(&z, 2048);
		msgpack_object o;
		size_t off = 0;
		if (msgpack_unpack(sb.data, sb.size, &off, &z, &o) == MSGPACK_UNPACK_SUCCESS) {
			json_decref(p->pending_workflow);
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
	if (!proc_count(p, &p->n_reports, RUN_MAX_REPORTS, "report entries"))
		return;
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
	if (engine_store_failed(e, store_report_add(e->c->store, e->exec->id, p->run, "actor", entry), "storing a report entry")) {
		json_decref(entry);
		return;
	}
	if (e->single)
		json_array_append(json_object_get(e->single_output, "reports"), entry);
	json_decref(entry);
}

bool proc_log_read(struct proc *p, size_t n)
{
	p->log_read += n;
	if (p->log_read <= RUN_MAX_LOG_READ)
		return true;
	char why[128];
	snprintf(why, sizeof(why), "sent more than %zu MiB of log lines and output (the limit per run)",
		 RUN_MAX_LOG_READ >> 20);
	proc_kill(p, why);
	return false;
}

/* A per-run limit: false (and the actor killed, the limit named) once count goes past max. */
static bool proc_count(struct proc *p, size_t *count, size_t max, const char *what)
{
	if (++*count <= max)
		return true;
	char why[128];
	snprintf(why, sizeof(why), "sent more than %zu %s (the limit per run)", max, what);
	proc_kill(p, why);
	return false;
}

static void handle_log(struct proc *p, const msgpack_object *f)
{
	_cleanup_free_ char *level = mp_map_dup_str(f, "level");
	const msgpack_object *mo = mp_map_get(f, "message");
	if (!mo || mo->type != MSGPACK_OBJECT_STR) {
		proc_kill(p, "sent a log frame without a message");
		return;
	}
	if (!proc_log_read(p, mo->via.str.size))
		return;
	/* cut here, before the copy: a 16 MiB line is never duplicated */
	_cleanup_free_ char *msg = xstrndup(mo->via.str.ptr, mo->via.str.size < LOG_LINE_MAX ? mo->via.str.size : LOG_LINE_MAX);
	const char *lv = level && (!strcmp(level, "debug") || !strcmp(level, "info") || !strcmp(level, "warning") ||
				   !strcmp(level, "error"))
				 ? level
				 : "info";
	proc_log(p, lv, msg);
	/* leapp actor run is for debugging: what the actor warns about is shown, not only stored */
	if (p->e->single && (!strcmp(lv, "warning") || !strcmp(lv, "error")))
		output_diag(p->e->c->out, lv, "actor %s: %s", p->m->name, msg);
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
	(void)engine_store_failed(e, store_report_add(e->c->store, e->exec->id, p->run, "broker", entry), "storing a report entry");
	if (e->single)
		json_array_append(json_object_get(e->single_output, "errors"), entry);
	json_decref(entry);
	p->error_frame = true;
	proc_set_failure(p, "reported an error: %s", title);
}

static void handle_dialog(struct proc *p, const msgpack_object *f)
{
	const msgpack_object *d = mp_map_get(f, "dialog");
	if (!proc_count(p, &p->n_dialogs, RUN_MAX_DIALOGS, "dialogs"))
		return;
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
	if (engine_store_failed(p->e, store_dialog_add(p->e->c->store, p->e->exec->id, p->run, dj), "storing a dialog")) {
		json_decref(dj);
		return;
	}
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

static void handle_done(struct proc *p, const msgpack_object *f)
{
	p->got_done = true;
}

static void handle_progress(struct proc *p, const msgpack_object *f)
{
	_cleanup_free_ char *what = mp_map_dup_str(f, "what");
	int64_t done = 0, total = 0;
	mp_map_get_int(f, "done", &done);
	mp_map_get_int(f, "total", &total);
	progress_show(p->e->c->out, p->m->name, what ? what : "", done, total);
}

/* What an actor may send, by frame type; anything else is a protocol violation (the broker's
 * own frames, hello, message and end-of-input, included). */
typedef void (*frame_handler)(struct proc *p, const msgpack_object *f);
static const frame_handler frame_handlers[] = {
	[FRAME_PRODUCE] = handle_produce, [FRAME_REPORT] = handle_report,   [FRAME_LOG] = handle_log,
	[FRAME_ERROR] = handle_error,     [FRAME_DIALOG] = handle_dialog,   [FRAME_COMMAND] = handle_command,
	[FRAME_DONE] = handle_done,       [FRAME_PROGRESS] = handle_progress,
};

void router_read_frames(struct proc *p)
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
		frame_handler h = (size_t)t < ELEMENTSOF(frame_handlers) ? frame_handlers[t] : NULL;
		if (!h) {
			char why[128];
			snprintf(why, sizeof(why), "sent a frame of type '%s', which actors may not send", frame_type_name(t));
			proc_kill(p, why);
			return;
		}
		h(p, &f);
	}
}
