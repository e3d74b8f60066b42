/* Fetch and verify target packages: repositories from JSON, the cache, signatures (pkgfetch.h). */
#include "fetch.h"
#include "rpm.h"

#include <inttypes.h>
#include <unistd.h>

#include "leapp/util.h"

static char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? xstrdup(s) : NULL;
}

int pkgfetch_pkg_from_json(json_t *o, struct pkgfetch_pkg *p)
{
	memset(p, 0, sizeof(*p));
	p->name = jstr(o, "name");
	p->version = jstr(o, "version");
	p->release = jstr(o, "release");
	p->arch = jstr(o, "arch");
	p->repo = jstr(o, "repo");
	p->location = jstr(o, "location");
	p->checksum_type = jstr(o, "checksum_type");
	p->checksum = jstr(o, "checksum");
	p->action = jstr(o, "action");
	json_t *e = json_object_get(o, "epoch"), *sz = json_object_get(o, "size");
	p->epoch = json_is_integer(e) && json_integer_value(e) > 0 ? (uint64_t)json_integer_value(e) : 0;
	p->size = json_is_integer(sz) && json_integer_value(sz) > 0 ? (uint64_t)json_integer_value(sz) : 0;
	p->installonly = json_is_true(json_object_get(o, "installonly"));
	if (!p->name || !p->version || !p->release || !p->arch || !p->repo) {
		pkgfetch_pkg_clear(p);
		return -EINVAL;
	}
	p->nevra = p->epoch ? xasprintf("%s-%" PRIu64 ":%s-%s.%s", p->name, p->epoch, p->version, p->release, p->arch)
			    : xasprintf("%s-%s-%s.%s", p->name, p->version, p->release, p->arch);
	return 0;
}

void pkgfetch_pkg_clear(struct pkgfetch_pkg *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->version);
	free(p->release);
	free(p->arch);
	free(p->repo);
	free(p->location);
	free(p->checksum_type);
	free(p->checksum);
	free(p->action);
	free(p->nevra);
	dl_item_clear(&p->dl);
	keys_check_clear(&p->check);
	memset(p, 0, sizeof(*p));
}

char *pkgfetch_in_root(const char *root, const char *p)
{
	return rpmenv_in_root(root, p);
}

static json_t *repo_by_id(json_t *repos, const char *id)
{
	size_t i;
	json_t *r;
	json_array_foreach(repos, i, r) {
		const char *rid = json_string_value(json_object_get(r, "repoid"));
		if (rid && !strcmp(rid, id))
			return r;
	}
	return NULL;
}

struct repo_urls {
	char *id;
	char **urls;
	size_t n;
	bool gpgcheck;
};

static void push_url(struct repo_urls *ru, char *u)
{
	for (size_t i = 0; i < ru->n; i++)
		if (!strcmp(ru->urls[i], u)) {
			free(u);
			return;
		}
	ru->urls = xrealloc(ru->urls, (ru->n + 1) * sizeof(char *));
	ru->urls[ru->n++] = u;
}

/* The base URLs of a repository: baseurl= entries, then its metalink's mirrors by preference,
 * then what its mirrorlist lists. (The packages are verified against the checksums of the
 * metadata, itself verified against the metalink when it was fetched.) */
static int resolve_repo(const struct pkgfetch_opts *o, const struct dl_opts *dlo, json_t *r, struct repo_urls *ru,
			char **ret_err)
{
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(r, "baseurl"), i, v)
		if (json_is_string(v) && *json_string_value(v))
			push_url(ru, dl_expand_vars(json_string_value(v), o->basearch, o->releasever));
	const char *mt = json_string_value(json_object_get(r, "metalink"));
	if (mt && *mt) {
		_cleanup_free_ char *url = dl_expand_vars(mt, o->basearch, o->releasever);
		_cleanup_free_ char *err = NULL;
		struct metalink m = {0};
		int rr = metalink_fetch(dlo, url, &m, &err);
		if (rr < 0 && o->log) {
			_cleanup_free_ char *l = xasprintf("repository %s: %s", ru->id, err);
			o->log(l, o->userdata);
		}
		for (size_t k = 0; rr == 0 && k < m.n_urls; k++)
			push_url(ru, xstrdup(m.urls[k]));
		metalink_clear(&m);
	}
	const char *ml = json_string_value(json_object_get(r, "mirrorlist"));
	if (ml && *ml) {
		_cleanup_free_ char *url = dl_expand_vars(ml, o->basearch, o->releasever);
		_cleanup_free_ char *text = NULL, *err = NULL;
		char **urls = NULL;
		size_t n = 0;
		int rr = dl_fetch_small(dlo, url, 4 << 20, &text, NULL, &err);
		if (rr == 0)
			rr = dl_parse_mirrorlist(text, &urls, &n);
		if (rr < 0) {
			if (!ru->n) {
				*ret_err = rr == -EPROTONOSUPPORT
						   ? xasprintf("repository %s: its mirrorlist %s is a metalink: give it as "
							       "metalink=",
							       ru->id, url)
						   : xasprintf("repository %s: cannot read its mirrorlist: %s", ru->id,
							       err ? err : strerror(-rr));
				return rr;
			}
			if (o->log) {
				_cleanup_free_ char *l = xasprintf("repository %s: mirrorlist %s unusable (%s); using its baseurl",
								   ru->id, url, err ? err : strerror(-rr));
				o->log(l, o->userdata);
			}
		}
		for (size_t k = 0; k < n; k++) {
			push_url(ru, dl_expand_vars(urls[k], o->basearch, o->releasever));
			free(urls[k]);
		}
		free(urls);
	}
	if (!ru->n) {
		*ret_err = mt ? xasprintf("repository %s: its metalink %s lists no usable mirror", ru->id, mt)
			      : xasprintf("repository %s: no baseurl, metalink or mirrorlist to download from", ru->id);
		return -EINVAL;
	}
	json_t *g = json_object_get(r, "gpgcheck");
	ru->gpgcheck = !json_is_false(g);
	return 0;
}

static void dl_progress(uint64_t done, uint64_t total, void *ud)
{
	const struct pkgfetch_opts *o = ud;
	if (o->progress)
		o->progress("downloading packages", done, total, o->userdata);
}

static void dl_log(const char *line, void *ud)
{
	const struct pkgfetch_opts *o = ud;
	if (o->log)
		o->log(line, o->userdata);
}

int pkgfetch_run(const struct pkgfetch_opts *o, json_t *repos, const struct keys_set *trusted, struct pkgfetch_pkg *pkgs,
		 size_t n, struct dl_stats *ret_stats, char **ret_err)
{
	struct dl_opts dlo = {
		.cache_dir = o->cache_dir,
		.parallel = o->parallel,
		.retries = o->retries,
		.backoff = o->backoff,
		.timeout = o->timeout,
		.progress = dl_progress,
		.log = dl_log,
		.userdata = (void *)o,
	};
	/* the repositories the packages come from */
	struct repo_urls *rus = NULL;
	size_t n_rus = 0;
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		bool seen = false;
		for (size_t k = 0; k < n_rus && !seen; k++)
			seen = !strcmp(rus[k].id, pkgs[i].repo);
		if (seen)
			continue;
		json_t *rj = repo_by_id(repos, pkgs[i].repo);
		if (!rj) {
			*ret_err = xasprintf("%s: its repository %s is not one of the target repositories", pkgs[i].nevra,
					     pkgs[i].repo);
			r = -EINVAL;
			break;
		}
		rus = xrealloc(rus, (n_rus + 1) * sizeof(*rus));
		rus[n_rus] = (struct repo_urls){.id = xstrdup(pkgs[i].repo)};
		r = resolve_repo(o, &dlo, rj, &rus[n_rus], ret_err);
		n_rus++;
	}
	struct dl_repo *drs = xcalloc(n_rus + 1, sizeof(*drs));
	for (size_t k = 0; k < n_rus; k++)
		drs[k] = (struct dl_repo){.id = rus[k].id, .urls = rus[k].urls, .n_urls = rus[k].n};
	struct dl_item *items = xcalloc(n + 1, sizeof(*items));
	if (r == 0) {
		for (size_t i = 0; i < n; i++)
			items[i] = (struct dl_item){
				.repoid = pkgs[i].repo,
				.location = pkgs[i].location,
				.checksum_type = pkgs[i].checksum_type,
				.checksum = pkgs[i].checksum,
				.size = pkgs[i].size,
				.label = pkgs[i].nevra,
			};
		r = dl_run(&dlo, drs, n_rus, items, n, ret_stats, ret_err);
		for (size_t i = 0; i < n; i++) {
			dl_item_clear(&pkgs[i].dl);
			pkgs[i].dl = items[i];
		}
	}
	free(items);
	/* verify: signature (unless not wanted), header digests, payload digest */
	if (r == 0) {
		struct keys_verifier *v = keys_verifier_new(trusted);
		if (!v) {
			*ret_err = xstrdup("librpm: cannot read its configuration");
			r = -EIO;
		}
		for (size_t i = 0; v && i < n && r == 0; i++) {
			struct pkgfetch_pkg *p = &pkgs[i];
			bool repo_check = true;
			for (size_t k = 0; k < n_rus; k++)
				if (!strcmp(rus[k].id, p->repo))
					repo_check = rus[k].gpgcheck;
			p->sig_checked = o->gpgcheck && repo_check;
			keys_check_clear(&p->check);
			int rr = keys_verify_package(v, p->dl.path, p->sig_checked, &p->check);
			if (rr < 0) {
				*ret_err = xasprintf("%s: cannot read %s: %s", p->nevra, p->dl.path, strerror(-rr));
				r = rr;
				break;
			}
			if (p->check.verdict == KEYS_CORRUPT) {
				/* nothing damaged stays under a final name in the cache */
				unlink(p->dl.path);
				p->dl.done = false;
			}
			p->sig_status = !o->gpgcheck		       ? "nogpgcheck"
					: !repo_check		       ? "repo-gpgcheck-off"
					: p->check.verdict == KEYS_OK ? "ok"
								       : "unsigned";
			if (o->progress)
				o->progress("verifying packages", i + 1, n, o->userdata);
		}
		keys_verifier_free(v);
	}
	for (size_t k = 0; k < n_rus; k++) {
		free(rus[k].id);
		for (size_t j = 0; j < rus[k].n; j++)
			free(rus[k].urls[j]);
		free(rus[k].urls);
	}
	free(rus);
	free(drs);
	return r;
}

char *pkgfetch_problem(const struct pkgfetch_pkg *p)
{
	const struct keys_check *c = &p->check;
	const char *id = c->key_id ? c->key_id : "(none)";
	const char *from = p->dl.url ? p->dl.url : p->dl.path;
	switch (c->verdict) {
	case KEYS_OK:
		return NULL;
	case KEYS_UNSIGNED:
		return p->sig_checked ? xasprintf("%s (repository %s): not signed", p->nevra, p->repo) : NULL;
	case KEYS_NOKEY:
		return xasprintf("%s (repository %s): signed with key %s, which is not a trusted key", p->nevra, p->repo, id);
	case KEYS_NOTTRUSTED:
		return xasprintf("%s (repository %s): signed with key %s, which librpm does not trust%s%s", p->nevra, p->repo,
				 id, c->detail ? ": " : "", c->detail ? c->detail : "");
	case KEYS_BAD_SIGNATURE:
		return xasprintf("%s (repository %s): the signature of key %s does not verify (%s); from %s", p->nevra,
				 p->repo, id, c->detail ? c->detail : "BAD", from);
	case KEYS_CORRUPT:
		return xasprintf("%s (repository %s): the package file is corrupt (%s); from %s", p->nevra, p->repo,
				 c->detail ? c->detail : "unreadable", from);
	}
	return NULL;
}

json_t *pkgfetch_pkg_to_json(const struct pkgfetch_opts *o, const struct pkgfetch_pkg *p)
{
	_cleanup_free_ char *in_root = pkgfetch_in_root(o->root, p->dl.path);
	json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "name",
			      p->name, "epoch", (json_int_t)p->epoch, "version", p->version, "release", p->release, "arch",
			      p->arch, "action", p->action ? p->action : "install", "installonly", p->installonly, "repo",
			      p->repo, "location", p->location, "path", p->dl.path, "path_in_root", in_root,
			      "checksum_type", p->checksum_type, "checksum", p->checksum, "size", (json_int_t)p->size,
			      "signature", p->sig_status ? p->sig_status : "unsigned");
	json_object_set_new(j, "url", p->dl.url ? json_string(p->dl.url) : json_null());
	json_object_set_new(j, "key_id", p->check.key_id ? json_string(p->check.key_id) : json_null());
	return j;
}
