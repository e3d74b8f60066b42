/* Module streams: modules.d INI files and modules.yaml through libmodulemd. */
#include "plan.h"
#include "fetch.h"

#include <dirent.h>
#include <modulemd.h>
#include <solv/solv_xfopen.h>

#include "leapp/ini.h"
#include "leapp/util.h"

struct modules_index {
	ModulemdModuleIndex *idx;
};

void modules_states_free(struct module_state *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].stream);
		free(m[i].state);
		strv_free_n(m[i].profiles, m[i].n_profiles);
		free(m[i].file);
	}
	free(m);
}

struct ini_ctx {
	struct module_state *v;
	size_t n;
	const char *file;
	size_t first;   /* first entry of this file */
};

static int on_module_ini(const char *section, const char *key, const char *value, int line, void *userdata)
{
	struct ini_ctx *c = userdata;
	if (!key) {
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
		c->v[c->n++] = (struct module_state){
			.name = xstrdup(section), .stream = xstrdup(""), .state = xstrdup(""), .file = xstrdup(c->file)};
		return 0;
	}
	if (c->n == c->first)
		return line; /* a key before any section */
	struct module_state *m = &c->v[c->n - 1];
	if (!strcmp(key, "name")) {
		free(m->name);
		m->name = xstrdup(value);
	} else if (!strcmp(key, "stream")) {
		free(m->stream);
		m->stream = xstrdup(value);
	} else if (!strcmp(key, "state")) {
		free(m->state);
		m->state = xstrdup(value);
	} else if (!strcmp(key, "profiles")) {
		strv_free_n(m->profiles, m->n_profiles);
		m->profiles = repofile_list_split(value, &m->n_profiles);
	}
	return 0;
}

int modules_read_states(const char *root, struct module_state **ret, size_t *ret_n, char **ret_err)
{
	_cleanup_free_ char *dir = path_join(root, "/etc/dnf/modules.d");
	struct ini_ctx c = {0};
	DIR *d = opendir(dir);
	if (!d) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	char **files = NULL;
	size_t nf = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (str_endswith(de->d_name, ".module") && de->d_name[0] != '.') {
			files = xrealloc(files, (nf + 1) * sizeof(char *));
			files[nf++] = xstrdup(de->d_name);
		}
	closedir(d);
	if (nf)
		qsort(files, nf, sizeof(char *), str_cmp_qsort);
	int r = 0;
	for (size_t i = 0; i < nf && r >= 0; i++) {
		_cleanup_free_ char *shown = xasprintf("/etc/dnf/modules.d/%s", files[i]);
		_cleanup_free_ char *p = path_join(dir, files[i]);
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		r = read_file(p, 1 << 20, &data, &len);
		if (r < 0) {
			*ret_err = xasprintf("%s: %s", shown, strerror(-r));
			break;
		}
		c.file = shown;
		c.first = c.n;
		int line = 0;
		r = ini_parse(data, len, on_module_ini, &c, &line);
		if (r != 0) {
			*ret_err = xasprintf("%s:%d: not a module state file (a line outside of a [module] section, or "
					     "not key=value)", shown, r > 0 ? r : line);
			r = -EINVAL;
		}
	}
	strv_free_n(files, nf);
	if (r < 0) {
		modules_states_free(c.v, c.n);
		return r;
	}
	*ret = c.v;
	*ret_n = c.n;
	return 0;
}

struct modules_index *modules_index_new(void)
{
	struct modules_index *m = xcalloc(1, sizeof(*m));
	m->idx = modulemd_module_index_new();
	return m;
}

void modules_index_free(struct modules_index *m)
{
	if (!m)
		return;
	g_object_unref(m->idx);
	free(m);
}

int modules_index_add_file(struct modules_index *m, const char *path, const char *repoid, char **ret_err)
{
	FILE *f = solv_xfopen(path, "r");
	if (!f) {
		*ret_err = xasprintf("repository %s: %s: %s", repoid, path, strerror(errno ? errno : EIO));
		return -EIO;
	}
	struct buf b = {0};
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_append(&b, chunk, n);
		if (b.len > (256u << 20)) {
			fclose(f);
			buf_free(&b);
			*ret_err = xasprintf("repository %s: %s: larger than 256 MiB", repoid, path);
			return -EFBIG;
		}
	}
	bool bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		*ret_err = xasprintf("repository %s: %s: read error (corrupt compressed file?)", repoid, path);
		return -EIO;
	}
	buf_append(&b, "", 1);
	g_autoptr(GPtrArray) failures = NULL;
	g_autoptr(GError) error = NULL;
	gboolean ok = modulemd_module_index_update_from_string(m->idx, b.data, FALSE, &failures, &error);
	buf_free(&b);
	if (!ok) {
		const char *why = error ? error->message : "invalid document";
		if (failures && failures->len) {
			ModulemdSubdocumentInfo *si = g_ptr_array_index(failures, 0);
			const GError *ge = modulemd_subdocument_info_get_gerror(si);
			if (ge)
				why = ge->message;
		}
		*ret_err = xasprintf("repository %s: %s: invalid modules metadata: %s", repoid, path, why);
		return -EINVAL;
	}
	return 0;
}

bool modules_index_has_stream(struct modules_index *m, const char *name, const char *stream)
{
	ModulemdModule *mod = modulemd_module_index_get_module(m->idx, name);
	if (!mod)
		return false;
	GPtrArray *streams = modulemd_module_get_all_streams(mod);
	for (guint i = 0; i < streams->len; i++) {
		const char *s = modulemd_module_stream_get_stream_name(g_ptr_array_index(streams, i));
		if (s && !strcmp(s, stream))
			return true;
	}
	return false;
}

char *modules_index_default_stream(struct modules_index *m, const char *name)
{
	ModulemdModule *mod = modulemd_module_index_get_module(m->idx, name);
	if (!mod)
		return NULL;
	ModulemdDefaults *d = modulemd_module_get_defaults(mod);
	if (!d || !MODULEMD_IS_DEFAULTS_V1(d))
		return NULL;
	const char *s = modulemd_defaults_v1_get_default_stream(MODULEMD_DEFAULTS_V1(d), NULL);
	return s ? xstrdup(s) : NULL;
}

char **modules_index_names(struct modules_index *m)
{
	g_auto(GStrv) names = modulemd_module_index_get_module_names_as_strv(m->idx);
	size_t n = names ? g_strv_length(names) : 0;
	char **v = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(names[i]);
	return v;
}

/* "name-E:V-R.arch" with the epoch written even when 0 (some modules.yaml omit it). */
static char *normalize_nevra(const char *a)
{
	const char *dot = strrchr(a, '.');
	if (!dot)
		return xstrdup(a);
	_cleanup_free_ char *nevr = xstrndup(a, (size_t)(dot - a));
	char *d1 = strrchr(nevr, '-');
	if (!d1)
		return xstrdup(a);
	*d1 = 0;
	char *d2 = strrchr(nevr, '-');
	*d1 = '-';
	if (!d2 || strchr(d2, ':'))
		return xstrdup(a);
	*d2 = 0;
	return xasprintf("%s-0:%s%s", nevr, d2 + 1, dot);
}

static void push(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = normalize_nevra(s);
}

void modules_index_filter(struct modules_index *m, char *const *active, size_t n_active,
			  struct solve_module_filter *ret)
{
	memset(ret, 0, sizeof(*ret));
	g_auto(GStrv) names = modulemd_module_index_get_module_names_as_strv(m->idx);
	for (size_t i = 0; names && names[i]; i++) {
		ModulemdModule *mod = modulemd_module_index_get_module(m->idx, names[i]);
		GPtrArray *streams = modulemd_module_get_all_streams(mod);
		for (guint k = 0; k < streams->len; k++) {
			ModulemdModuleStream *st = g_ptr_array_index(streams, k);
			if (!MODULEMD_IS_MODULE_STREAM_V2(st))
				continue;
			const char *sname = modulemd_module_stream_get_stream_name(st);
			_cleanup_free_ char *key = xasprintf("%s:%s", names[i], sname ? sname : "");
			bool on = false;
			for (size_t a = 0; a < n_active && !on; a++)
				on = !strcmp(active[a], key);
			g_auto(GStrv) arts = modulemd_module_stream_v2_get_rpm_artifacts_as_strv(MODULEMD_MODULE_STREAM_V2(st));
			for (size_t x = 0; arts && arts[x]; x++) {
				push(&ret->modular, &ret->n_modular, arts[x]);
				if (on)
					push(&ret->active, &ret->n_active, arts[x]);
			}
		}
	}
}

void modules_filter_free(struct solve_module_filter *f)
{
	strv_free_n(f->modular, f->n_modular);
	strv_free_n(f->active, f->n_active);
	memset(f, 0, sizeof(*f));
}
