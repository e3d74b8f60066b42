/* The target userspace's package set, resolved into an empty root (userspace.h). */
#include "plan.h"
#include "fetch.h"

#include <dirent.h>
#include <sys/stat.h>

#include <rpm/rpmver.h>

#include "leapp/util.h"

char **userspace_base_packages(json_t *config, size_t *n)
{
	json_t *a = json_object_get(config, "base_packages");
	if (!json_is_array(a)) {
		static const char *const def[] = {"system-release", "bash", "rpm"};
		char **v = xcalloc(ELEMENTSOF(def) + 1, sizeof(char *));
		for (size_t i = 0; i < ELEMENTSOF(def); i++)
			v[i] = xstrdup(def[i]);
		*n = ELEMENTSOF(def);
		return v;
	}
	char **v = xcalloc(json_array_size(a) + 1, sizeof(char *));
	size_t i, k = 0;
	json_t *s;
	json_array_foreach(a, i, s)
		if (json_is_string(s) && *json_string_value(s))
			v[k++] = xstrdup(json_string_value(s));
	*n = k;
	return v;
}

static void add_request(struct userspace_requests *r, const char *name, const char *reason)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name)) {
			if (!strstr(r->v[i].reason, reason)) {
				char *j = xasprintf("%s; %s", r->v[i].reason, reason);
				free(r->v[i].reason);
				r->v[i].reason = j;
			}
			return;
		}
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n++] = (struct userspace_request){xstrdup(name), xstrdup(reason)};
}

void userspace_requests_collect(struct userspace_requests *ret, char *const *base, size_t n_base, json_t *tasks)
{
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < n_base; i++)
		add_request(ret, base[i], "the target userspace's base (target_userspace_creator configuration)");
	size_t i, k;
	json_t *t, *p;
	json_array_foreach(tasks, i, t) {
		const char *who = json_string_value(json_object_get(t, "requester"));
		const char *why = json_string_value(json_object_get(t, "reason"));
		_cleanup_free_ char *reason = xasprintf("requested by %s: %s", who ? who : "an actor", why ? why : "(no reason)");
		json_array_foreach(json_object_get(t, "packages"), k, p)
			if (json_is_string(p) && *json_string_value(p))
				add_request(ret, json_string_value(p), reason);
	}
}

void userspace_requests_clear(struct userspace_requests *r)
{
	for (size_t i = 0; r && i < r->n; i++) {
		free(r->v[i].name);
		free(r->v[i].reason);
	}
	if (r) {
		free(r->v);
		memset(r, 0, sizeof(*r));
	}
}

static char **strv_of(json_t *a, size_t *n)
{
	*n = json_array_size(a);
	char **v = xcalloc(*n + 1, sizeof(char *));
	size_t i, k = 0;
	json_t *s;
	json_array_foreach(a, i, s)
		if (json_is_string(s))
			v[k++] = xstrdup(json_string_value(s));
	*n = k;
	return v;
}

int userspace_resolve(json_t *plan, const struct userspace_requests *req, const char *arch, struct solve_result *ret,
		      char **ret_err)
{
	struct solve_ctx *s = solve_new(arch);
	size_t i;
	json_t *r, *v;
	int rc = 0;
	json_array_foreach(json_object_get(plan, "repos"), i, r) {
		const char *id = json_string_value(json_object_get(r, "repoid"));
		/* the local metadata (a file:// baseurl, or the copy fetched for a remote one) */
		const char *url = repomd_dir_of(r);
		if (!url)
			url = json_string_value(json_array_get(json_object_get(r, "baseurl"), 0));
		size_t n_ex = 0, n_inc = 0;
		char **ex = strv_of(json_object_get(r, "exclude"), &n_ex);
		char **inc = strv_of(json_object_get(r, "includepkgs"), &n_inc);
		json_t *prio = json_object_get(r, "priority");
		struct solve_repo_opts o = {
			.id = id ? id : "?",
			.baseurl = url,
			.exclude = ex,
			.n_exclude = n_ex,
			.includepkgs = inc,
			.n_includepkgs = n_inc,
			.module_hotfixes = json_is_true(json_object_get(r, "module_hotfixes")),
			.priority = json_is_integer(prio) ? (int)json_integer_value(prio) : 99,
		};
		rc = solve_add_repo(s, &o, ret_err);
		strv_free_n(ex, n_ex);
		strv_free_n(inc, n_inc);
		if (rc < 0)
			break;
	}
	if (rc == 0) {
		json_array_foreach(json_object_get(plan, "excludes"), i, v)
			if (json_is_string(v))
				solve_add_exclude(s, json_string_value(v));
		struct solve_task *tasks = xcalloc(req->n + 1, sizeof(*tasks));
		for (i = 0; i < req->n; i++)
			tasks[i] = (struct solve_task){SOLVE_TASK_INSTALL, req->v[i].name, req->v[i].reason};
		rc = solve_run_install(s, tasks, req->n, ret, ret_err);
		free(tasks);
	}
	solve_free(s);
	return rc;
}

char *userspace_path_in_root(int target_major)
{
	return xasprintf("/var/lib/leapp/el%duserspace", target_major);
}

static int cmp_kver_desc(const void *a, const void *b)
{
	return -rpmvercmp(*(char *const *)a, *(char *const *)b);
}

char **userspace_kernels(const char *dir, size_t *ret_n)
{
	static const char *const bases[] = {"/lib/modules", "/usr/lib/modules"};
	char **v = xcalloc(1, sizeof(char *));
	size_t n = 0;
	struct stat st;
	/* a merged /usr: /lib is a symlink (maybe absolute, which would lead out of dir) */
	_cleanup_free_ char *lib = path_join(dir, "/lib");
	bool merged = lstat(lib, &st) == 0 && S_ISLNK(st.st_mode);
	for (size_t b = merged ? 1 : 0; b < ELEMENTSOF(bases); b++) {
		_cleanup_free_ char *md = path_join(dir, bases[b]);
		DIR *d = opendir(md);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			_cleanup_free_ char *dep = xasprintf("%s/%s/modules.dep", md, de->d_name);
			_cleanup_free_ char *vm = xasprintf("%s/%s/vmlinuz", md, de->d_name);
			if (stat(dep, &st) < 0 && stat(vm, &st) < 0)
				continue;
			bool dup = false;
			for (size_t i = 0; i < n && !dup; i++)
				dup = !strcmp(v[i], de->d_name);
			if (dup)
				continue;
			v = xrealloc(v, (n + 2) * sizeof(char *));
			v[n++] = xstrdup(de->d_name);
			v[n] = NULL;
		}
		if (d)
			closedir(d);
	}
	if (n > 1)
		qsort(v, n, sizeof(char *), cmp_kver_desc);
	*ret_n = n;
	return v;
}
