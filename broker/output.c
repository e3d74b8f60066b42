/* Console lines in leapp's style, the JSON progress stream, and the debug log file. */
#include "output.h"

#include <string.h>

#include "broker.h"

#define PENDING_LOG_MAX (1u << 20)

struct output {
	bool json, verbose, debug, human_stderr;
	FILE *log;
	/* log lines written before the log file is open (loading, option checks), kept for it */
	struct buf pending;
	size_t pending_dropped;
};

struct output *output_global;

struct output *output_new(bool json_progress, bool verbose, bool debug)
{
	struct output *o = xcalloc(1, sizeof(*o));
	o->json = json_progress;
	o->verbose = verbose || debug;
	o->debug = debug;
	return o;
}

void output_free(struct output *o)
{
	if (!o)
		return;
	if (o->log)
		fclose(o->log);
	buf_free(&o->pending);
	if (output_global == o)
		output_global = NULL;
	free(o);
}

int output_open_log(struct output *o, int fd)
{
	FILE *f = fdopen(fd, "ae");
	if (!f) {
		int r = -errno;
		close(fd);
		return r;
	}
	if (o->log)
		fclose(o->log);
	o->log = f;
	setvbuf(f, NULL, _IOLBF, 0);
	if (o->pending.len)
		fwrite(o->pending.data, 1, o->pending.len, f);
	if (o->pending_dropped)
		fprintf(f, "(%zu earlier log lines were dropped)\n", o->pending_dropped);
	buf_free(&o->pending);
	o->pending_dropped = 0;
	return 0;
}

void output_set_verbosity(struct output *o, bool verbose, bool debug)
{
	if (!o)
		return;
	o->verbose = verbose || debug;
	o->debug = debug;
}

void output_human_to_stderr(struct output *o)
{
	if (o)
		o->human_stderr = true;
}

FILE *output_log_file(struct output *o)
{
	return o ? o->log : NULL;
}

bool output_json(const struct output *o)
{
	return o && o->json;
}

FILE *output_human(struct output *o)
{
	return o && (o->json || o->human_stderr) ? stderr : stdout;
}

static void log_to_file(struct output *o, const char *level, const char *who, const char *msg)
{
	if (!o)
		return;
	char ts[32];
	format_timestamp(now_realtime(), ts);
	if (o->log) {
		fprintf(o->log, "%s %s %s: %s\n", ts, level, who ? who : "leapp", msg);
		return;
	}
	if (o->pending.len + strlen(msg) > PENDING_LOG_MAX) {
		o->pending_dropped++;
		return;
	}
	buf_printf(&o->pending, "%s %s %s: %s\n", ts, level, who ? who : "leapp", msg);
}

void output_event(struct output *o, const char *event, json_t *fields)
{
	if (!o || !o->json) {
		json_decref(fields);
		return;
	}
	char ts[32];
	format_timestamp(now_realtime(), ts);
	json_t *ev = json_pack("{s:s, s:s}", "event", event, "ts", ts);
	if (fields)
		json_object_update(ev, fields);
	json_decref(fields);
	char *s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(9));
	fputs(s, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	free(s);
	json_decref(ev);
}

void output_line(struct output *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *m = xvasprintf(fmt, ap);
	va_end(ap);
	FILE *f = output_human(o);
	fputs(m, f);
	fputc('\n', f);
	fflush(f);
	log_to_file(o, "info", NULL, m);
}

void output_diag(struct output *o, const char *level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *m = xvasprintf(fmt, ap);
	va_end(ap);
	if (strcmp(level, "debug") || (o && o->debug)) {
		if (!strcmp(level, "info"))
			fprintf(stderr, "%s\n", m);
		else
			fprintf(stderr, "leapp: %s: %s\n", level, m);
	}
	log_to_file(o, level, NULL, m);
	if (!strcmp(level, "error") || !strcmp(level, "warning"))
		output_event(o, "diagnostic", json_pack("{s:s, s:s}", "level", level, "message", m));
}

void output_phase_start(struct output *o, const char *phase, int index)
{
	output_line(o, "==> Processing phase `%s`", phase);
	output_event(o, "phase-start", json_pack("{s:s, s:i}", "phase", phase, "index", index));
}

void output_phase_finish(struct output *o, const char *phase, int index, const char *status, double seconds)
{
	_cleanup_free_ char *m = xasprintf("phase %s finished: %s (%.1f ms)", phase, status, seconds * 1000.0);
	log_to_file(o, "debug", NULL, m);
	output_event(o, "phase-finish", json_pack("{s:s, s:i, s:s, s:f}", "phase", phase, "index", index, "status", status,
						  "duration_ms", seconds * 1000.0));
}

void output_actor_start(struct output *o, const char *actor, const char *phase)
{
	output_event(o, "actor-start", json_pack("{s:s, s:s}", "actor", actor, "phase", phase));
	if (o && o->log) {
		_cleanup_free_ char *m = xasprintf("actor %s started", actor);
		log_to_file(o, "debug", actor, m);
	}
}

static void fmt_duration(double s, char out[32])
{
	if (s < 1.0)
		snprintf(out, 32, "%.1f ms", s * 1000.0);
	else
		snprintf(out, 32, "%.2f s", s);
}

void output_actor_finish(struct output *o, const char *actor, const char *description, const char *phase,
			 const char *status, double seconds, int exit_code, int signal, const char *failure)
{
	char d[32];
	fmt_duration(seconds, d);
	if (!strcmp(status, "ok"))
		output_line(o, "====> * %s: %s (%s)", actor, description && *description ? description : "-", d);
	else
		output_line(o, "====> * %s: %s (%s) FAILED: %s", actor, description && *description ? description : "-", d,
			    failure ? failure : status);
	json_t *f = json_pack("{s:s, s:s, s:s, s:f}", "actor", actor, "phase", phase, "status", status, "duration_ms",
			      seconds * 1000.0);
	if (strcmp(status, "ok")) {
		json_object_set_new(f, "exit_code", json_integer(exit_code));
		json_object_set_new(f, "signal", json_integer(signal));
		if (failure)
			json_object_set_new(f, "failure", json_string(failure));
	}
	output_event(o, "actor-finish", f);
}

void output_actor_log(struct output *o, const char *actor, const char *level, const char *msg)
{
	log_to_file(o, level, actor, msg);
	if (!o)
		return;
	bool show = o->debug || (o->verbose && strcmp(level, "debug"));
	if (!show)
		return;
	fprintf(output_human(o), "        %s [%s] %s\n", actor, level, msg);
	output_event(o, "log", json_pack("{s:s, s:s, s:s}", "actor", actor, "level", level, "message", msg));
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
	_cleanup_free_ char *m = xvasprintf(fmt, ap);
	output_diag(output_global, level, "%s", m);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
}

void log_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("warning", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}
