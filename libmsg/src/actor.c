/* The actor-side runtime: hello, input iteration, produce/report/log/dialog; broker or standalone. */
#include "leapp/actor.h"

#include <fcntl.h>
#include <strings.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "leapp/manifest.h"
#include "leapp/model.h"
#include "leapp/proto.h"

#define OUT_FLUSH_AT (64u * 1024u)

struct input_msg {
	char *model;
	json_t *data;
};

static struct {
	bool inited;
	bool broker;          /* fd 3 is a socket */
	bool input_done;      /* end-of-input seen (or standalone input exhausted) */
	json_t *hello;
	json_t *config, *workflow, *answers;
	char *name, *phase, *execution, *root, *scratch;
	struct frame_reader reader;
	msgpack_sbuffer out;  /* pending frames to the broker */
	/* buffered input for actor_consume() and standalone mode */
	struct input_msg *buffered;
	size_t n_buffered, next_buffered;
	char *cur_model;
	/* models asked for by name (actor_consume*) that had no message: a run for debugging says so */
	char **missing;
	size_t n_missing;
	char *workflow_model; /* the model the workflow configuration is a message of */
	/* standalone */
	json_t *sa_out;
	struct model_registry *models;
	struct manifest *manifest;
} A;

static _noreturn_ void die(const char *fmt, ...) _printf_(1, 2);
static _noreturn_ void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", A.name ? A.name : "actor");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void out_flush(void)
{
	if (!A.broker || A.out.size == 0)
		return;
	if (write_all(LEAPP_ACTOR_FD, A.out.data, A.out.size) < 0)
		die("cannot write to the broker: %s", strerror(errno));
	msgpack_sbuffer_clear(&A.out);
}

/* Append one complete frame built in a scratch sbuffer to the output queue. */
static void out_frame(msgpack_sbuffer *sb, bool flush_now)
{
	frame_end(sb);
	msgpack_sbuffer_write(&A.out, sb->data, sb->size);
	if (flush_now || A.out.size >= OUT_FLUSH_AT)
		out_flush();
}

/* Blocking read of the next frame from the broker. Returns 1, or dies. */
static int read_frame(msgpack_object *obj, enum frame_type *type)
{
	for (;;) {
		int r = frame_reader_next(&A.reader, obj, type, NULL, NULL);
		if (r > 0)
			return 1;
		if (r < 0)
			die("bad frame from the broker: %s", strerror(-r));
		char buf[65536];
		ssize_t n = read(LEAPP_ACTOR_FD, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("cannot read from the broker: %s", strerror(errno));
		}
		if (n == 0)
			die("the broker closed the connection");
		if (frame_reader_feed(&A.reader, buf, (size_t)n) < 0)
			die("out of memory reading from the broker");
	}
}

static char *json_dup_str(json_t *o, const char *key, const char *def)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? xstrdup(s) : (def ? xstrdup(def) : NULL);
}

static json_t *json_obj_or_empty(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_object(v) ? json_incref(v) : json_object();
}

static void take_hello(json_t *hello)
{
	A.hello = hello;
	A.name = json_dup_str(hello, "actor", A.name ? A.name : "actor");
	A.phase = json_dup_str(hello, "phase", "");
	A.execution = json_dup_str(hello, "execution", "");
	A.root = json_dup_str(hello, "root", "/");
	A.scratch = json_dup_str(hello, "scratch", NULL);
	A.config = json_obj_or_empty(hello, "config");
	A.workflow = json_obj_or_empty(hello, "workflow");
	A.answers = json_obj_or_empty(hello, "answers");
	A.workflow_model = json_dup_str(hello, "workflow_model", NULL);
}

/* ---- standalone mode ---- */

static char *exe_dir(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return xstrdup(".");
	buf[n] = 0;
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = 0;
	return xstrdup(buf);
}

static void standalone_load_schemas(void)
{
	_cleanup_free_ char *dir = exe_dir();
	_cleanup_free_ char *mpath = path_join(dir, "actor.yaml");
	char *err = NULL;
	if (access(mpath, R_OK) == 0 && manifest_load(mpath, &A.manifest, &err) < 0) {
		fprintf(stderr, "warning: %s\n", err);
		free(err);
		err = NULL;
	}
	const char *env = getenv("LEAPP_MODELS_DIR");
	_cleanup_free_ char *rel = path_join(dir, "../../models");
	const char *cands[] = {env, rel, "/usr/share/leapp/models"};
	for (size_t i = 0; i < ELEMENTSOF(cands); i++) {
		if (!cands[i] || access(cands[i], R_OK) < 0)
			continue;
		A.models = model_registry_new();
		if (model_registry_load_dir(A.models, cands[i], &err) < 0 || model_registry_resolve(A.models, &err) < 0) {
			fprintf(stderr, "warning: models not loaded, messages are not validated: %s\n", err);
			free(err);
			model_registry_free(A.models);
			A.models = NULL;
		}
		break;
	}
	if (A.manifest && A.models && manifest_check_models(A.manifest, A.models, &err) < 0) {
		fprintf(stderr, "warning: %s\n", err);
		free(err);
	}
}

static json_t *load_json_file(const char *path)
{
	json_error_t e;
	json_t *j;
	if (strcmp(path, "-")) {
		j = json_load_file(path, 0, &e);
	} else {
		/* an empty stdin (</dev/null, an empty pipe) means "no input" */
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		if (read_file("/dev/stdin", 64u << 20, &data, &len) < 0 || strspn(data, " \t\r\n") == len)
			return NULL;
		j = json_loadb(data, len, 0, &e);
	}
	if (!j)
		die("%s:%d:%d: %s", strcmp(path, "-") ? path : "stdin", e.line, e.column, e.text);
	return j;
}

static char *scratch_made; /* the scratch directory a standalone run made itself */
static pid_t scratch_owner; /* a child the actor forked and that calls exit() leaves it alone */

static void scratch_remove(void)
{
	if (!scratch_made || getpid() != scratch_owner)
		return;
	const char *keep = getenv("LEAPP_KEEP_SCRATCH");
	if (keep && *keep && strcmp(keep, "0"))
		fprintf(stderr, "%s: the scratch directory is kept: %s (LEAPP_KEEP_SCRATCH)\n", actor_name(), scratch_made);
	else
		rm_rf(scratch_made);
	free(scratch_made);
	scratch_made = NULL;
}

/* A scratch directory of the run's own, in $TMPDIR (default /tmp), removed when the actor
 * exits unless LEAPP_KEEP_SCRATCH=1 asks to keep it for a look. */
static void standalone_scratch(json_t *hello)
{
	const char *tmp = getenv("TMPDIR");
	_cleanup_free_ char *tmpl = path_join(tmp && *tmp ? tmp : "/tmp", "leapp-actor-scratch.XXXXXX");
	if (!mkdtemp(tmpl))
		return;
	json_object_set_new(hello, "scratch", json_string(tmpl));
	scratch_made = xstrdup(tmpl);
	scratch_owner = getpid();
	atexit(scratch_remove);
}

static void standalone_init(int argc, char **argv)
{
	const char *input = NULL, *root = NULL, *config = NULL, *answers = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = !strcmp(a, "--input") ? &input : !strcmp(a, "--root") ? &root :
				   !strcmp(a, "--config") ? &config : !strcmp(a, "--answers") ? &answers : NULL;
		if (!dst || i + 1 >= argc) {
			fprintf(stderr, "usage: %s [--input FILE.json] [--root DIR] [--config FILE.json] [--answers FILE.json]\n",
				argv[0]);
			exit(2);
		}
		*dst = argv[++i];
	}
	standalone_load_schemas();
	json_t *in = NULL;
	if (input)
		in = load_json_file(input);
	else if (!isatty(0))
		in = load_json_file("-");
	json_t *msgs = json_is_array(in) ? in : json_object_get(in, "messages");
	json_t *hello = json_object();
	json_object_set_new(hello, "type", json_string("hello"));
	json_object_set_new(hello, "actor", json_string(A.manifest ? A.manifest->name : "actor"));
	json_object_set_new(hello, "phase", json_string(A.manifest ? A.manifest->phase : ""));
	json_object_set_new(hello, "execution", json_string("standalone"));
	const char *in_root = json_is_object(in) ? json_string_value(json_object_get(in, "root")) : NULL;
	json_object_set_new(hello, "root", json_string(root ? root : in_root ? in_root : "/"));
	if (json_is_object(in)) {
		const char *keys[] = {"config", "workflow", "answers", "scratch"};
		for (size_t i = 0; i < ELEMENTSOF(keys); i++)
			if (json_object_get(in, keys[i]))
				json_object_set(hello, keys[i], json_object_get(in, keys[i]));
	}
	if (config)
		json_object_set_new(hello, "config", load_json_file(config));
	if (answers)
		json_object_set_new(hello, "answers", load_json_file(answers));
	const struct model *wm = model_registry_workflow_config(A.models);
	if (wm)
		json_object_set_new(hello, "workflow_model", json_string(wm->name));
	if (!json_object_get(hello, "scratch"))
		standalone_scratch(hello);
	take_hello(hello);
	size_t i;
	json_t *m;
	json_array_foreach(msgs, i, m) {
		const char *model = json_string_value(json_object_get(m, "model"));
		json_t *data = json_object_get(m, "data");
		if (!model || !json_is_object(data))
			die("%s: message %zu: needs \"model\" and a \"data\" object", input ? input : "stdin", i);
		if (A.models) {
			const struct model *md = model_registry_find(A.models, model);
			char err[512];
			if (!md)
				die("%s: message %zu: unknown model '%s'", input ? input : "stdin", i, model);
			if (model_pack_json(md, data, NULL, err, sizeof(err)) < 0)
				die("%s: message %zu (%s): %s", input ? input : "stdin", i, model, err);
		}
		if (A.manifest && !manifest_consumes(A.manifest, model))
			continue; /* the broker would not deliver it either */
		A.buffered = xrealloc(A.buffered, (A.n_buffered + 1) * sizeof(*A.buffered));
		A.buffered[A.n_buffered].model = xstrdup(model);
		A.buffered[A.n_buffered].data = json_incref(data);
		A.n_buffered++;
	}
	A.input_done = true;
	json_decref(in);
	A.sa_out = json_pack("{s:s, s:[], s:[], s:[], s:[], s:[], s:[]}", "actor", A.name, "messages", "reports", "logs",
			     "dialogs", "commands", "errors");
}

static void standalone_print(void)
{
	char *s = json_dumps(A.sa_out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputs(s, stdout);
	fputc('\n', stdout);
	fflush(stdout);
	free(s);
}

/* ---- public API ---- */

void actor_init(int argc, char **argv)
{
	if (A.inited)
		return;
	A.inited = true;
	msgpack_sbuffer_init(&A.out);
	struct stat st;
	A.broker = fstat(LEAPP_ACTOR_FD, &st) == 0 && S_ISSOCK(st.st_mode);
	if (!A.broker) {
		standalone_init(argc, argv);
		return;
	}
	frame_reader_init(&A.reader, 0);
	msgpack_object obj;
	enum frame_type t;
	read_frame(&obj, &t);
	if (t != FRAME_HELLO)
		die("expected hello from the broker, got %s", frame_type_name(t));
	take_hello(msgpack_to_json(&obj));
}

bool actor_has_broker(void) { return A.broker; }
const char *actor_name(void) { return A.name ? A.name : "actor"; }
const char *actor_phase(void) { return A.phase ? A.phase : ""; }
const char *actor_execution(void) { return A.execution ? A.execution : ""; }
const char *actor_root(void) { return A.root ? A.root : "/"; }
const char *actor_scratch_dir(void) { return A.scratch; }
json_t *actor_config(void) { return A.config; }
json_t *actor_workflow_config(void) { return A.workflow; }
json_t *actor_hello(void) { return A.hello; }

char *actor_path(const char *abs_path)
{
	return path_join(actor_root(), abs_path);
}

/* Read the next input message from the broker; 1 got one, 0 end. */
static int read_input(char **ret_model, json_t **ret_data)
{
	if (A.input_done)
		return 0;
	for (;;) {
		msgpack_object obj;
		enum frame_type t;
		out_flush(); /* never block on input with output pending */
		read_frame(&obj, &t);
		if (t == FRAME_END_OF_INPUT) {
			A.input_done = true;
			return 0;
		}
		if (t != FRAME_MESSAGE)
			die("unexpected %s frame from the broker", frame_type_name(t));
		const msgpack_object *data = mp_map_get(&obj, "data");
		char *model = mp_map_dup_str(&obj, "model");
		if (!model || !data)
			die("malformed message frame from the broker");
		*ret_model = model;
		*ret_data = msgpack_to_json(data);
		return 1;
	}
}

int actor_next(const char **ret_model, json_t **ret_data)
{
	free(A.cur_model);
	A.cur_model = NULL;
	if (A.next_buffered < A.n_buffered) {
		struct input_msg *m = &A.buffered[A.next_buffered++];
		A.cur_model = m->model;
		m->model = NULL;
		*ret_model = A.cur_model;
		*ret_data = m->data;
		m->data = NULL;
		return 1;
	}
	int r = read_input(&A.cur_model, ret_data);
	if (r > 0)
		*ret_model = A.cur_model;
	return r;
}

static void buffer_all_input(void)
{
	char *model;
	json_t *data;
	while (read_input(&model, &data) > 0) {
		A.buffered = xrealloc(A.buffered, (A.n_buffered + 1) * sizeof(*A.buffered));
		A.buffered[A.n_buffered].model = model;
		A.buffered[A.n_buffered].data = data;
		A.n_buffered++;
	}
}

/* The actor asked for model and got nothing. The workflow configuration counts as given when
 * hello carries it (actors fall back to it). */
static void note_missing(const char *model)
{
	if (A.workflow_model && !strcmp(model, A.workflow_model) && json_object_size(A.workflow) > 0)
		return;
	for (size_t i = 0; i < A.n_missing; i++)
		if (!strcmp(A.missing[i], model))
			return;
	A.missing = xrealloc(A.missing, (A.n_missing + 1) * sizeof(char *));
	A.missing[A.n_missing++] = xstrdup(model);
}

/* Run for debugging (standalone, or leapp actor run): an actor that did nothing because an
 * input was not given must say so, or the empty result reads as "all is well". In a workflow
 * a missing input is an ordinary fact (nothing produced it), so nothing is said there. */
static void report_missing(void)
{
	const char *kind = getenv("LEAPP_EXECUTION_KIND");
	if (!A.n_missing || (A.broker && !(kind && !strcmp(kind, "actor-run"))))
		return;
	struct buf b = {0};
	for (size_t i = 0; i < A.n_missing; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", A.missing[i]);
	actor_log(LOG_LEVEL_WARNING,
		  "missing input: no %s message was given; what this actor does with %s was skipped (add %s to the input)",
		  b.data, A.n_missing > 1 ? "them" : "it", A.n_missing > 1 ? "them" : "it");
	buf_free(&b);
}

json_t *actor_consume(const char *model)
{
	buffer_all_input();
	json_t *a = json_array();
	for (size_t i = A.next_buffered; i < A.n_buffered; i++)
		if (A.buffered[i].model && !strcmp(A.buffered[i].model, model))
			json_array_append(a, A.buffered[i].data);
	if (json_array_size(a) == 0)
		note_missing(model);
	return a;
}

json_t *actor_consume_last(const char *model)
{
	json_t *a = actor_consume(model);
	size_t n = json_array_size(a);
	json_t *last = n ? json_incref(json_array_get(a, n - 1)) : NULL;
	json_decref(a);
	return last;
}

int actor_produce(const char *model, json_t *data)
{
	if (!json_is_object(data)) {
		json_decref(data);
		return -EINVAL;
	}
	if (!A.broker) {
		if (A.manifest && !manifest_produces(A.manifest, model))
			die("produces undeclared model '%s'", model);
		if (A.models) {
			const struct model *md = model_registry_find(A.models, model);
			char err[512];
			if (!md)
				die("produces unknown model '%s'", model);
			if (model_pack_json(md, data, NULL, err, sizeof(err)) < 0)
				die("invalid %s message: %s", model, err);
		}
		json_array_append_new(json_object_get(A.sa_out, "messages"), json_pack("{s:s, s:o}", "model", model, "data", data));
		return 0;
	}
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 3, "produce");
	mp_pack_kv_str(&pk, "model", model);
	mp_pack_str(&pk, "data");
	json_pack_msgpack(&pk, data);
	out_frame(&sb, false);
	msgpack_sbuffer_destroy(&sb);
	json_decref(data);
	return 0;
}

static void send_json_frame(const char *type, const char *key, json_t *value, bool flush)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 2, type);
	mp_pack_str(&pk, key);
	json_pack_msgpack(&pk, value);
	out_frame(&sb, flush);
	msgpack_sbuffer_destroy(&sb);
}

json_t *report_new(const char *title, const char *summary, const char *severity)
{
	return json_pack("{s:s, s:s, s:s, s:[]}", "title", title ? title : "", "summary", summary ? summary : "",
			 "severity", severity ? severity : "info", "groups");
}

void report_add_group(json_t *e, const char *group)
{
	json_t *g = json_object_get(e, "groups");
	size_t i;
	json_t *v;
	json_array_foreach(g, i, v)
		if (!strcmp(json_string_value(v), group))
			return;
	json_array_append_new(g, json_string(group));
}

void report_set_key(json_t *e, const char *key)
{
	json_object_set_new(e, "key", json_string(key));
}

static json_t *detail_list(json_t *e, const char *name)
{
	json_t *d = json_object_get(e, "detail");
	if (!d) {
		d = json_object();
		json_object_set_new(e, "detail", d);
	}
	json_t *l = json_object_get(d, name);
	if (!l) {
		l = json_array();
		json_object_set_new(d, name, l);
	}
	return l;
}

void report_add_hint(json_t *e, const char *hint)
{
	json_array_append_new(detail_list(e, "remediations"), json_pack("{s:s, s:s}", "type", "hint", "context", hint));
}

void report_add_command(json_t *e, const char *const *argv)
{
	json_t *a = json_array();
	for (size_t i = 0; argv && argv[i]; i++)
		json_array_append_new(a, json_string(argv[i]));
	json_array_append_new(detail_list(e, "remediations"), json_pack("{s:s, s:o}", "type", "command", "context", a));
}

void report_add_external(json_t *e, const char *url, const char *title)
{
	json_array_append_new(detail_list(e, "external"), json_pack("{s:s, s:s}", "url", url, "title", title));
}

void report_add_resource(json_t *e, const char *scheme, const char *title)
{
	json_array_append_new(detail_list(e, "related_resources"), json_pack("{s:s, s:s}", "scheme", scheme, "title", title));
}

int actor_report(json_t *entry)
{
	if (!json_is_object(entry)) {
		json_decref(entry);
		return -EINVAL;
	}
	const char *key = json_string_value(json_object_get(entry, "key"));
	if (!key || !*key) {
		/* leapp's key for an entry that sets none, from what the entry ends up with */
		char k[41];
		report_key_default(json_string_value(json_object_get(entry, "severity")),
				   json_string_value(json_object_get(entry, "audience")),
				   json_string_value(json_object_get(entry, "title")), k);
		json_object_set_new(entry, "key", json_string(k));
	}
	if (!A.broker)
		json_array_append_new(json_object_get(A.sa_out, "reports"), entry);
	else {
		send_json_frame("report", "entry", entry, false);
		json_decref(entry);
	}
	return 0;
}

static const char *const level_names[] = {"debug", "info", "warning", "error"};

void actor_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	const char *lv = (size_t)level < ELEMENTSOF(level_names) ? level_names[level] : "info";
	if (!A.broker) {
		fprintf(stderr, "%s: %s: %s\n", actor_name(), lv, msg);
		if (A.sa_out)
			json_array_append_new(json_object_get(A.sa_out, "logs"), json_pack("{s:s, s:s}", "level", lv, "message", msg));
		return;
	}
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 3, "log");
	mp_pack_kv_str(&pk, "level", lv);
	mp_pack_kv_str(&pk, "message", msg);
	/* log lines are flushed at once: they are what explains a crash that follows */
	out_frame(&sb, true);
	msgpack_sbuffer_destroy(&sb);
}

void actor_error(const char *message, const char *details_fmt, ...)
{
	_cleanup_free_ char *details = NULL;
	if (details_fmt) {
		va_list ap;
		va_start(ap, details_fmt);
		details = xvasprintf(details_fmt, ap);
		va_end(ap);
	}
	if (!A.broker) {
		fprintf(stderr, "%s: error: %s%s%s\n", actor_name(), message, details ? ": " : "", details ? details : "");
		if (A.sa_out) {
			json_array_append_new(json_object_get(A.sa_out, "errors"),
					      json_pack("{s:s, s:s, s:s?}", "severity", "high", "message", message, "details", details));
			standalone_print();
		}
		exit(1);
	}
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 4, "error");
	mp_pack_kv_str(&pk, "severity", "high");
	mp_pack_kv_str(&pk, "message", message);
	mp_pack_kv_str(&pk, "details", details);
	out_frame(&sb, true);
	msgpack_sbuffer_destroy(&sb);
	exit(1);
}

/* Answers arrive as the text of the answerfile; type them as the component says. */
static json_t *typed_answer(json_t *comp, json_t *raw)
{
	const char *type = json_string_value(json_object_get(comp, "type"));
	const char *s = json_string_value(raw);
	if (!s || !type)
		return json_incref(raw);
	if (!strcmp(type, "bool")) {
		if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcmp(s, "1"))
			return json_true();
		if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcmp(s, "0"))
			return json_false();
		return json_incref(raw);
	}
	if (!strcmp(type, "number")) {
		char *end;
		long long i = strtoll(s, &end, 10);
		if (*s && !*end)
			return json_integer(i);
		double d = strtod(s, &end);
		if (*s && !*end)
			return json_real(d);
		return json_incref(raw);
	}
	if (!strcmp(type, "multiple_choice")) {
		json_t *a = json_array();
		_cleanup_free_ char *copy = xstrdup(s);
		char *save = NULL;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(a, json_string(str_strip(t)));
		return a;
	}
	return json_incref(raw);
}

json_t *actor_dialog(json_t *dialog)
{
	const char *scope = json_string_value(json_object_get(dialog, "scope"));
	json_t *ans = scope ? json_object_get(A.answers, scope) : NULL;
	json_t *ret = json_object();
	size_t ci;
	json_t *comp;
	json_array_foreach(json_object_get(dialog, "components"), ci, comp) {
		const char *key = json_string_value(json_object_get(comp, "key"));
		json_t *raw = key ? json_object_get(ans, key) : NULL;
		if (raw)
			json_object_set_new(ret, key, typed_answer(comp, raw));
		else if (key && json_object_get(comp, "default") && !json_is_null(json_object_get(comp, "default")))
			json_object_set(ret, key, json_object_get(comp, "default"));
	}
	if (!A.broker)
		json_array_append_new(json_object_get(A.sa_out, "dialogs"), dialog);
	else {
		send_json_frame("dialog", "dialog", dialog, false);
		json_decref(dialog);
	}
	return ret;
}

void actor_progress(const char *what, uint64_t done, uint64_t total)
{
	static double last;
	double now = now_monotonic();
	/* throttle, but never drop the final "all done" update */
	if (now - last < 0.1 && !(total && done >= total))
		return;
	last = now;
	if (!A.broker)
		return;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 4, "progress");
	mp_pack_kv_str(&pk, "what", what ? what : "");
	mp_pack_str(&pk, "done");
	msgpack_pack_uint64(&pk, done);
	mp_pack_str(&pk, "total");
	msgpack_pack_uint64(&pk, total);
	out_frame(&sb, true);
	msgpack_sbuffer_destroy(&sb);
}

int actor_stop_after_phase(const char *reason)
{
	if (!A.broker) {
		json_array_append_new(json_object_get(A.sa_out, "commands"),
				      json_pack("{s:s, s:s?}", "command", "stop-after-phase", "reason", reason));
		return 0;
	}
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 3, "command");
	mp_pack_kv_str(&pk, "command", "stop-after-phase");
	mp_pack_kv_str(&pk, "reason", reason);
	out_frame(&sb, false);
	msgpack_sbuffer_destroy(&sb);
	return 0;
}

int actor_finish(void)
{
	report_missing();
	if (!A.broker) {
		standalone_print();
		return 0;
	}
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	frame_begin(&sb, &pk, 1, "done");
	out_frame(&sb, true);
	msgpack_sbuffer_destroy(&sb);
	return 0;
}

/* ---- hooks for leapp-msg (see actor-internal.h) ---- */
#include "actor-internal.h"

void actor_attach(json_t *hello, json_t *sa_out)
{
	A.inited = true;
	msgpack_sbuffer_init(&A.out);
	struct stat st;
	A.broker = fstat(LEAPP_ACTOR_FD, &st) == 0 && S_ISSOCK(st.st_mode);
	A.input_done = true;
	take_hello(json_incref(hello));
	if (!A.broker)
		A.sa_out = sa_out ? json_incref(sa_out) : json_pack("{s:s, s:[], s:[], s:[], s:[], s:[], s:[]}", "actor",
								 A.name, "messages", "reports", "logs", "dialogs",
								 "commands", "errors");
	if (!A.broker && !A.models)
		standalone_load_schemas();
}

void actor_flush(void)
{
	out_flush();
}

json_t *actor_standalone_output(void)
{
	return A.sa_out;
}

json_t *actor_take_all_input(void)
{
	buffer_all_input();
	json_t *a = json_array();
	for (size_t i = A.next_buffered; i < A.n_buffered; i++)
		json_array_append_new(a, json_pack("{s:s, s:O}", "model", A.buffered[i].model, "data", A.buffered[i].data));
	return a;
}
