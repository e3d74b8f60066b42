/* Report entries: checking and completing them, ordering, rendering the report files, archiving. */
#include "report.h"

#include <ctype.h>
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

static bool is_str(json_t *o, const char *k)
{
	return json_is_string(json_object_get(o, k));
}

/* detail.<name>, when there: a list of maps that each have the string fields k1 and k2. */
static int check_pairs(json_t *l, const char *name, const char *k1, const char *k2, char *why, size_t n)
{
	if (l && !json_is_array(l)) {
		snprintf(why, n, "detail.%s must be a list", name);
		return -EINVAL;
	}
	size_t i;
	json_t *x;
	json_array_foreach(l, i, x)
		if (!is_str(x, k1) || !is_str(x, k2)) {
			snprintf(why, n, "detail.%s[%zu] needs %s and %s strings", name, i, k1, k2);
			return -EINVAL;
		}
	return 0;
}

/* detail as report-schema-v120.json has it; why gets the first problem. */
static int check_detail(json_t *d, char *why, size_t n)
{
	if (!json_is_object(d)) {
		snprintf(why, n, "detail must be a map");
		return -EINVAL;
	}
	json_t *ext = json_object_get(d, "external"), *rem = json_object_get(d, "remediations"),
	       *res = json_object_get(d, "related_resources");
	if (!ext && !rem && !res) {
		snprintf(why, n, "detail needs external, remediations or related_resources");
		return -EINVAL;
	}
	if (check_pairs(ext, "external", "url", "title", why, n) < 0 ||
	    check_pairs(res, "related_resources", "scheme", "title", why, n) < 0)
		return -EINVAL;
	size_t i;
	json_t *x;
	if (rem && !json_is_array(rem)) {
		snprintf(why, n, "detail.remediations must be a list");
		return -EINVAL;
	}
	json_array_foreach(rem, i, x) {
		const char *type = json_string_value(json_object_get(x, "type"));
		json_t *ctx = json_object_get(x, "context");
		if (type && (!strcmp(type, "hint") || !strcmp(type, "playbook"))) {
			if (!json_is_string(ctx)) {
				snprintf(why, n, "detail.remediations[%zu]: a %s needs a context string", i, type);
				return -EINVAL;
			}
		} else if (type && !strcmp(type, "command")) {
			size_t k;
			json_t *a;
			bool ok = json_is_array(ctx) && json_array_size(ctx) > 0;
			json_array_foreach(ctx, k, a)
				ok &= json_is_string(a);
			if (!ok) {
				snprintf(why, n, "detail.remediations[%zu]: a command needs a context list of strings", i);
				return -EINVAL;
			}
		} else {
			snprintf(why, n, "detail.remediations[%zu]: type must be hint, command or playbook", i);
			return -EINVAL;
		}
	}
	return 0;
}

char *report_json_text(json_t *doc, size_t *ret_len)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	size_t n = strlen(s);
	s = xrealloc(s, n + 2);
	s[n++] = '\n';
	s[n] = 0;
	*ret_len = n;
	return s;
}

/* leapp before report schema 1.2.0 had "flags" and "tags" where 1.2.0 has "groups". */
static int merge_legacy_groups(json_t *e, json_t *groups)
{
	static const char *const legacy[] = {"flags", "tags"};
	for (size_t l = 0; l < ELEMENTSOF(legacy); l++) {
		json_t *v = json_object_get(e, legacy[l]);
		if (!v)
			continue;
		if (!json_is_array(v))
			return -EINVAL;
		size_t i;
		json_t *g;
		json_array_foreach(v, i, g) {
			if (!json_is_string(g))
				return -EINVAL;
			if (!report_entry_has_group(e, json_string_value(g)))
				json_array_append(groups, g);
		}
		json_object_del(e, legacy[l]);
	}
	return 0;
}

int report_entry_complete(json_t *e, const char *actor, const char *hostname, const char *exec_uuid, int64_t run,
			  uint64_t seq, char *err, size_t errlen)
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
	if (!is_str(e, "summary")) {
		snprintf(err, errlen, "report entry '%.80s' needs a summary string", title);
		return -EINVAL;
	}
	const char *sev = json_string_value(json_object_get(e, "severity"));
	if (severity_rank(sev) >= (int)ELEMENTSOF(severities)) {
		snprintf(err, errlen, "report entry '%.80s': severity must be info, low, medium or high", title);
		return -EINVAL;
	}
	json_t *aud = json_object_get(e, "audience");
	if (aud && (!json_is_string(aud) ||
		    (strcmp(json_string_value(aud), "sysadmin") && strcmp(json_string_value(aud), "developer")))) {
		snprintf(err, errlen, "report entry '%.80s': audience must be sysadmin or developer", title);
		return -EINVAL;
	}
	json_t *groups = json_object_get(e, "groups");
	if (!groups) {
		groups = json_array();
		json_object_set_new(e, "groups", groups);
	}
	size_t i;
	json_t *g;
	bool groups_ok = json_is_array(groups);
	json_array_foreach(groups, i, g)
		groups_ok &= json_is_string(g);
	if (!groups_ok || merge_legacy_groups(e, groups) < 0) {
		snprintf(err, errlen, "report entry '%.80s': groups must be a list of strings", title);
		return -EINVAL;
	}
	json_t *detail = json_object_get(e, "detail");
	if (detail && json_is_object(detail) && json_object_size(detail) == 0) {
		json_object_del(e, "detail");
	} else if (detail) {
		char why[160];
		if (check_detail(detail, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "report entry '%.80s': %s", title, why);
			return -EINVAL;
		}
	}
	json_t *kv = json_object_get(e, "key");
	if (kv && !json_is_null(kv) && !json_is_string(kv)) {
		snprintf(err, errlen, "report entry '%.80s': key must be a string", title);
		return -EINVAL;
	}
	if (!aud)
		json_object_set_new(e, "audience", json_string("sysadmin"));
	const char *key = json_string_value(kv);
	if (!key || !*key) {
		/* leapp's rule for an entry without a key (an actor that did not use report_new) */
		char k[41];
		report_key_default(json_string_value(json_object_get(e, "severity")),
				   json_string_value(json_object_get(e, "audience")), title, k);
		json_object_set_new(e, "key", json_string(k));
	}
	char ts[32];
	format_timestamp(now_realtime(), ts);
	json_object_set_new(e, "actor", json_string(actor));
	json_object_set_new(e, "hostname", json_string(hostname));
	json_object_set_new(e, "timeStamp", json_string(ts));
	_cleanup_free_ char *idsrc = xasprintf("%s/%lld/%llu/%s", exec_uuid, (long long)run, (unsigned long long)seq, title);
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
	/* no key: leapp's, from severity, audience and title, as leapp keys its error entries */
	char err[128];
	report_entry_complete(e, actor, hostname, exec_uuid, run, 0xffffffffu, err, sizeof(err));
	return e;
}

static int entry_class(json_t *e)
{
	return report_entry_has_group(e, "error") ? 0 : report_entry_has_group(e, "inhibitor") ? 1 : 2;
}

static int cmp_entries(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int cx = entry_class(x), cy = entry_class(y);
	if (cx != cy)
		return cx - cy;
	int sx = severity_rank(json_string_value(json_object_get(x, "severity")));
	int sy = severity_rank(json_string_value(json_object_get(y, "severity")));
	if (sx != sy)
		return sx - sy;
	/* then by title and key, so that two runs of the same system give the same file */
	int t = strcmp(json_string_value(json_object_get(x, "title")) ?: "", json_string_value(json_object_get(y, "title")) ?: "");
	if (t)
		return t;
	t = strcmp(json_string_value(json_object_get(x, "key")) ?: "", json_string_value(json_object_get(y, "key")) ?: "");
	if (t)
		return t;
	return strcmp(json_string_value(json_object_get(x, "actor")) ?: "", json_string_value(json_object_get(y, "actor")) ?: "");
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

/* Schemas 1.0.0 and 1.1.0 had "flags" (failure, inhibitor) and "tags" where 1.2.0 has "groups";
 * 1.0.0 had no key. */
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

/* One entry of leapp-report.txt, in leapp's layout. */
/* One argument as Python's shlex.quote writes it (leapp quotes each word of a command remediation). */
static void txt_shell_quote(struct buf *b, const char *s)
{
	bool safe = *s;
	for (const char *p = s; *p && safe; p++)
		safe = isalnum((unsigned char)*p) || strchr("_@%+=:,./-", *p);
	if (safe) {
		buf_printf(b, "%s", s);
		return;
	}
	buf_printf(b, "'");
	for (const char *p = s; *p; p++)
		if (*p == '\'')
			buf_printf(b, "'\"'\"'");
		else
			buf_printf(b, "%c", *p);
	buf_printf(b, "'");
}

/* The first remediation of a type, or NULL. */
static json_t *txt_remediation(json_t *detail, const char *type)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(detail, "remediations"), i, x)
		if (json_is_string(json_object_get(x, "type")) && !strcmp(json_string_value(json_object_get(x, "type")), type))
			return x;
	return NULL;
}

/*
 * One entry, byte for byte as leapp's generate_report_file writes it: "Risk Factor: high " keeps
 * its trailing space when no (error) or (inhibitor) follows; the remediations are the first
 * hint, every command (each word quoted as shlex.quote does) and the first playbook.
 */
static void txt_entry(struct buf *b, json_t *e, bool with_key)
{
	const char *kind = report_entry_has_group(e, "error")       ? "(error)"
			   : report_entry_has_group(e, "inhibitor") ? "(inhibitor)"
								    : "";
	buf_printf(b, "Risk Factor: %s %s\n", json_string_value(json_object_get(e, "severity")), kind);
	buf_printf(b, "Title: %s\n", json_string_value(json_object_get(e, "title")));
	buf_printf(b, "Summary: %s\n", json_string_value(json_object_get(e, "summary")));
	json_t *detail = json_object_get(e, "detail");
	size_t i;
	json_t *x;
	json_t *links = json_object_get(detail, "external");
	if (json_array_size(links)) {
		buf_printf(b, "Related links:\n");
		json_array_foreach(links, i, x)
			buf_printf(b, "    - %s: %s\n", json_string_value(json_object_get(x, "title")),
				   json_string_value(json_object_get(x, "url")));
	}
	struct buf r = {0};
	if ((x = txt_remediation(detail, "hint")))
		buf_printf(&r, "%s[hint] %s", r.len ? "\n" : "", json_string_value(json_object_get(x, "context")) ?: "");
	json_array_foreach(json_object_get(detail, "remediations"), i, x) {
		const char *type = json_string_value(json_object_get(x, "type"));
		if (!type || strcmp(type, "command"))
			continue;
		buf_printf(&r, "%s[command] ", r.len ? "\n" : "");
		size_t k;
		json_t *a;
		json_array_foreach(json_object_get(x, "context"), k, a) {
			if (k)
				buf_printf(&r, " ");
			txt_shell_quote(&r, json_string_value(a) ?: "");
		}
	}
	if ((x = txt_remediation(detail, "playbook")))
		buf_printf(&r, "%s[playbook] %s", r.len ? "\n" : "", json_string_value(json_object_get(x, "context")) ?: "");
	if (r.len)
		buf_printf(b, "Remediation: %s\n", r.data);
	buf_free(&r);
	if (with_key)
		buf_printf(b, "Key: %s\n", json_string_value(json_object_get(e, "key")));
	buf_printf(b, "----------------------------------------\n");
}

/* A new, unique logdir/archive/leapp-<stamp>[-N] directory. */
static int archive_dir_new(const char *logdir, time_t t, char **ret_path, char **ret_err)
{
	_cleanup_free_ char *arch = path_join(logdir, "archive");
	int r = mkdir_p(arch, 0755);
	if (r < 0) {
		*ret_err = xasprintf("cannot create %s: %s", arch, strerror(-r));
		return r;
	}
	struct tm tm;
	localtime_r(&t, &tm);
	char stamp[32];
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	for (int n = 0; n < 1000; n++) {
		char *d = n ? xasprintf("%s/leapp-%s-%d", arch, stamp, n) : xasprintf("%s/leapp-%s", arch, stamp);
		if (mkdir(d, 0755) == 0) {
			*ret_path = d;
			return 0;
		}
		r = -errno;
		free(d);
		if (r != -EEXIST) {
			*ret_err = xasprintf("cannot create a directory in %s: %s", arch, strerror(-r));
			return r;
		}
	}
	*ret_err = xasprintf("cannot create a directory in %s: too many archives from %s", arch, stamp);
	return -EEXIST;
}

/* Move the names that exist in logdir into a new archive directory. */
static int archive_files(const char *logdir, const char *const *names, size_t n, char **ret_err)
{
	time_t newest = 0;
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		_cleanup_free_ char *p = path_join(logdir, names[i]);
		struct stat st;
		if (lstat(p, &st) < 0)
			continue;
		any = true;
		if (st.st_mtime > newest)
			newest = st.st_mtime;
	}
	if (!any)
		return 0;
	_cleanup_free_ char *dir = NULL;
	int r = archive_dir_new(logdir, newest, &dir, ret_err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (!names[i])
			continue;
		_cleanup_free_ char *p = path_join(logdir, names[i]);
		_cleanup_free_ char *dst = path_join(dir, names[i]);
		if (rename(p, dst) < 0 && errno != ENOENT) {
			r = -errno;
			*ret_err = xasprintf("cannot archive %s to %s: %s", p, dst, strerror(-r));
			return r;
		}
	}
	return 0;
}

int report_archive_previous(const char *logdir, const char *log_name, char **ret_err)
{
	const char *names[] = {"leapp-report.json", "leapp-report.txt", log_name};
	return archive_files(logdir, names, ELEMENTSOF(names), ret_err);
}

/* Does path hold exactly data? (A missing file does not count as different.) */
static bool file_differs(const char *path, const char *data, size_t len)
{
	_cleanup_free_ char *old = NULL;
	size_t olen = 0;
	int r = read_file(path, 256u << 20, &old, &olen);
	if (r == -ENOENT)
		return false;
	if (r < 0)
		return true;
	return olen != len || memcmp(old, data, len) != 0;
}

int report_write(const char *logdir, const char *run_id, json_t *entries, const char *schema, bool keep_replaced,
		 char **ret_err)
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
	/* as leapp writes it: two-space indent, UTF-8, a final newline */
	size_t jl;
	char *js = report_json_text(doc, &jl);
	json_decref(doc);
	struct buf b = {0};
	json_array_foreach(sorted, i, e)
		txt_entry(&b, e, strcmp(schema, "1.0.0") != 0);
	json_decref(sorted);
	_cleanup_free_ char *jpath = path_join(logdir, "leapp-report.json");
	_cleanup_free_ char *tpath = path_join(logdir, "leapp-report.txt");
	int r = 0;
	if (keep_replaced && (file_differs(jpath, js, jl) || file_differs(tpath, b.data ? b.data : "", b.len))) {
		const char *names[] = {"leapp-report.json", "leapp-report.txt"};
		r = archive_files(logdir, names, ELEMENTSOF(names), ret_err);
	}
	if (r == 0 && (r = write_file_atomic(jpath, js, jl, 0644)) < 0)
		*ret_err = xasprintf("cannot write %s: %s", jpath, strerror(-r));
	if (r == 0 && (r = write_file_atomic(tpath, b.data ? b.data : "", b.len, 0644)) < 0)
		*ret_err = xasprintf("cannot write %s: %s", tpath, strerror(-r));
	free(js);
	buf_free(&b);
	return r;
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
