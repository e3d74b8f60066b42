/* Report entries: completion, ordering, and rendering leapp-report.json and leapp-report.txt. */
#include "report.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#include "leapp/util.h"

static const char *const severities[] = {"high", "medium", "low", "info"};

static int severity_rank(const char *s)
{
	for (size_t i = 0; i < ELEMENTSOF(severities); i++)
		if (s && !strcmp(s, severities[i]))
			return (int)i;
	return (int)ELEMENTSOF(severities);
}

bool report_entry_has_group(json_t *e, const char *group)
{
	size_t i;
	json_t *g;
	json_array_foreach(json_object_get(e, "groups"), i, g)
		if (json_is_string(g) && !strcmp(json_string_value(g), group))
			return true;
	return false;
}

static void stable_key(const char *actor, const char *title, char out[41])
{
	_cleanup_free_ char *s = xasprintf("%s\n%s", actor, title);
	char hex[65];
	sha256_hex(s, strlen(s), hex);
	memcpy(out, hex, 40);
	out[40] = 0;
}

int report_entry_complete(json_t *e, const char *actor, const char *hostname, const char *exec_uuid, int64_t run,
			  uint32_t seq, char *err, size_t errlen)
{
	if (!json_is_object(e)) {
		snprintf(err, errlen, "a report entry must be a map");
		return -EINVAL;
	}
	const char *title = json_string_value(json_object_get(e, "title"));
	if (!title || !*title) {
		snprintf(err, errlen, "a report entry needs a non-empty title");
		return -EINVAL;
	}
	if (!json_is_string(json_object_get(e, "summary"))) {
		snprintf(err, errlen, "report entry '%.80s' needs a summary string", title);
		return -EINVAL;
	}
	const char *sev = json_string_value(json_object_get(e, "severity"));
	if (severity_rank(sev) >= (int)ELEMENTSOF(severities)) {
		snprintf(err, errlen, "report entry '%.80s': severity must be info, low, medium or high", title);
		return -EINVAL;
	}
	json_t *groups = json_object_get(e, "groups");
	if (!groups) {
		groups = json_array();
		json_object_set_new(e, "groups", groups);
	}
	size_t i;
	json_t *g;
	if (!json_is_array(groups)) {
		snprintf(err, errlen, "report entry '%.80s': groups must be a list of strings", title);
		return -EINVAL;
	}
	json_array_foreach(groups, i, g)
		if (!json_is_string(g)) {
			snprintf(err, errlen, "report entry '%.80s': groups must be a list of strings", title);
			return -EINVAL;
		}
	json_t *detail = json_object_get(e, "detail");
	if (detail && (!json_is_object(detail) || json_object_size(detail) == 0))
		json_object_del(e, "detail");
	const char *key = json_string_value(json_object_get(e, "key"));
	if (!key || !*key) {
		char k[41];
		stable_key(actor, title, k);
		json_object_set_new(e, "key", json_string(k));
	}
	if (!json_is_string(json_object_get(e, "audience")))
		json_object_set_new(e, "audience", json_string("sysadmin"));
	char ts[32];
	format_timestamp(now_realtime(), ts);
	json_object_set_new(e, "actor", json_string(actor));
	json_object_set_new(e, "hostname", json_string(hostname));
	json_object_set_new(e, "timeStamp", json_string(ts));
	_cleanup_free_ char *idsrc = xasprintf("%s/%lld/%u/%s", exec_uuid, (long long)run, seq, title);
	char id[65];
	sha256_hex(idsrc, strlen(idsrc), id);
	json_object_set_new(e, "id", json_string(id));
	return 0;
}

json_t *report_entry_failure(const char *actor, const char *phase, const char *cause, const char *last_logs,
			     const char *hostname, const char *exec_uuid, int64_t run)
{
	_cleanup_free_ char *title = xasprintf("Actor %s failed: %s", actor, cause);
	_cleanup_free_ char *summary = xasprintf("The actor %s in phase %s %s.%s%s", actor, phase, cause,
						 last_logs && *last_logs ? "\nLast lines it logged:\n" : "",
						 last_logs && *last_logs ? last_logs : "");
	_cleanup_free_ char *hint = xasprintf("Run it alone to see what happens: leapp actor run %s --from-last-run --debug",
					      actor);
	json_t *e = json_pack("{s:s, s:s, s:s, s:[s,s], s:{s:[{s:s, s:s}]}}", "title", title, "summary", summary,
			      "severity", "high", "groups", "error", "failure", "detail", "remediations", "type", "hint",
			      "context", hint);
	/* the key names the actor and that it failed, not the cause, so it is stable */
	char k[41];
	_cleanup_free_ char *kt = xasprintf("failure in %s", phase);
	stable_key(actor, kt, k);
	json_object_set_new(e, "key", json_string(k));
	char err[128];
	report_entry_complete(e, actor, hostname, exec_uuid, run, 0xffffffffu, err, sizeof(err));
	return e;
}

static int cmp_entries(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int cx = report_entry_has_group(x, "error") ? 0 : report_entry_has_group(x, "inhibitor") ? 1 : 2;
	int cy = report_entry_has_group(y, "error") ? 0 : report_entry_has_group(y, "inhibitor") ? 1 : 2;
	if (cx != cy)
		return cx - cy;
	int sx = severity_rank(json_string_value(json_object_get(x, "severity")));
	int sy = severity_rank(json_string_value(json_object_get(y, "severity")));
	if (sx != sy)
		return sx - sy;
	/* stable by title, then key, so two runs of the same system give the same file */
	int t = strcmp(json_string_value(json_object_get(x, "title")) ?: "", json_string_value(json_object_get(y, "title")) ?: "");
	if (t)
		return t;
	return strcmp(json_string_value(json_object_get(x, "key")) ?: "", json_string_value(json_object_get(y, "key")) ?: "");
}

json_t *report_sorted(json_t *entries)
{
	size_t n = json_array_size(entries);
	json_t **v = xcalloc(n + 1, sizeof(json_t *));
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(entries, i);
	qsort(v, n, sizeof(json_t *), cmp_entries);
	json_t *out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

/* v1.0.0/v1.1.0 had "tags" and "flags" where v1.2.0 has "groups". */
static json_t *entry_for_schema(json_t *e, const char *schema)
{
	json_t *c = json_deep_copy(e);
	if (!strcmp(schema, "1.2.0"))
		return c;
	json_t *groups = json_object_get(c, "groups"), *tags = json_array(), *flags = json_array();
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g) {
		const char *s = json_string_value(g);
		if (!strcmp(s, "inhibitor") || !strcmp(s, "failure"))
			json_array_append(flags, g);
		else if (!strcmp(s, "error")) {
			if (!report_entry_has_group(c, "failure"))
				json_array_append_new(flags, json_string("failure"));
		} else
			json_array_append(tags, g);
	}
	json_object_del(c, "groups");
	json_object_set_new(c, "tags", tags);
	json_object_set_new(c, "flags", flags);
	if (!strcmp(schema, "1.0.0"))
		json_object_del(c, "key");
	return c;
}

static void txt_entry(struct buf *b, json_t *e)
{
	const char *sev = json_string_value(json_object_get(e, "severity"));
	const char *kind = report_entry_has_group(e, "error") ? " (error)" : report_entry_has_group(e, "inhibitor") ? " (inhibitor)" : "";
	buf_printf(b, "Risk Factor: %s%s\n", sev, kind);
	buf_printf(b, "Title: %s\n", json_string_value(json_object_get(e, "title")));
	buf_printf(b, "Summary: %s\n", json_string_value(json_object_get(e, "summary")));
	json_t *detail = json_object_get(e, "detail");
	json_t *links = json_object_get(detail, "external");
	size_t i;
	json_t *x;
	if (json_array_size(links)) {
		buf_printf(b, "Related links:\n");
		json_array_foreach(links, i, x)
			buf_printf(b, "    - %s: %s\n", json_string_value(json_object_get(x, "title")),
				   json_string_value(json_object_get(x, "url")));
	}
	json_array_foreach(json_object_get(detail, "remediations"), i, x) {
		const char *type = json_string_value(json_object_get(x, "type"));
		json_t *ctx = json_object_get(x, "context");
		if (type && !strcmp(type, "command") && json_is_array(ctx)) {
			buf_printf(b, "Remediation: [command] ");
			size_t k;
			json_t *a;
			json_array_foreach(ctx, k, a)
				buf_printf(b, "%s%s", k ? " " : "", json_string_value(a));
			buf_printf(b, "\n");
		} else {
			buf_printf(b, "Remediation: [%s] %s\n", type ? type : "hint", json_string_value(ctx) ?: "");
		}
	}
	buf_printf(b, "Key: %s\n", json_string_value(json_object_get(e, "key")));
	buf_printf(b, "----------------------------------------\n");
}

int report_write(const char *logdir, const char *run_id, json_t *entries, const char *schema, char **ret_err)
{
	if (!schema)
		schema = "1.2.0";
	if (strcmp(schema, "1.0.0") && strcmp(schema, "1.1.0") && strcmp(schema, "1.2.0")) {
		*ret_err = xasprintf("unknown report schema '%s' (1.0.0, 1.1.0 or 1.2.0)", schema);
		return -EINVAL;
	}
	json_t *sorted = report_sorted(entries);
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(sorted, i, e)
		json_array_append_new(out, entry_for_schema(e, schema));
	json_t *doc = json_pack("{s:s, s:o}", "leapp_run_id", run_id, "entries", out);
	char *js = json_dumps(doc, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	_cleanup_free_ char *jpath = path_join(logdir, "leapp-report.json");
	_cleanup_free_ char *tpath = path_join(logdir, "leapp-report.txt");
	size_t jl = strlen(js);
	js = xrealloc(js, jl + 2);
	js[jl++] = '\n';
	js[jl] = 0;
	int r = write_file_atomic(jpath, js, jl, 0644);
	free(js);
	if (r < 0) {
		*ret_err = xasprintf("cannot write %s: %s", jpath, strerror(-r));
		json_decref(sorted);
		return r;
	}
	struct buf b = {0};
	json_array_foreach(sorted, i, e)
		txt_entry(&b, e);
	r = write_file_atomic(tpath, b.data ? b.data : "", b.len, 0644);
	buf_free(&b);
	json_decref(sorted);
	if (r < 0) {
		*ret_err = xasprintf("cannot write %s: %s", tpath, strerror(-r));
		return r;
	}
	return 0;
}

void report_archive_previous(const char *logdir, const char *log_name)
{
	const char *names[] = {"leapp-report.json", "leapp-report.txt", log_name};
	_cleanup_free_ char *arch = path_join(logdir, "archive");
	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		if (!names[i])
			continue;
		_cleanup_free_ char *p = path_join(logdir, names[i]);
		struct stat st;
		if (stat(p, &st) < 0)
			continue;
		if (mkdir_p(arch, 0755) < 0)
			return;
		struct tm tm;
		gmtime_r(&st.st_mtime, &tm);
		char stamp[32];
		strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
		for (int n = 0; n < 1000; n++) {
			_cleanup_free_ char *dst = n ? xasprintf("%s/%s.%s.%d", arch, names[i], stamp, n)
						     : xasprintf("%s/%s.%s", arch, names[i], stamp);
			if (access(dst, F_OK) == 0)
				continue;
			rename(p, dst);
			break;
		}
	}
}

char *report_hostname(const char *root)
{
	if (root && strcmp(root, "/")) {
		_cleanup_free_ char *p = path_join(root, "/etc/hostname");
		_cleanup_free_ char *data = NULL;
		if (read_file(p, 4096, &data, NULL) == 0) {
			char *s = str_strip(data);
			char *nl = strchr(s, '\n');
			if (nl)
				*nl = 0;
			if (*s)
				return xstrdup(s);
		}
	}
	char h[256];
	if (gethostname(h, sizeof(h)) == 0) {
		h[sizeof(h) - 1] = 0;
		return xstrdup(h);
	}
	return xstrdup("localhost");
}
