/* Target repository metadata: local for file:// repositories, fetched and verified otherwise. */
#include "fetch.h"

#include <sys/stat.h>

#include "leapp/util.h"

/* the metadata types the engine reads (libsolv: primary, filelists; libmodulemd: modules) */
static const char *const wanted[] = {"primary", "filelists", "modules", "updateinfo"};

static void repomd_data_clear(struct repomd_data *d)
{
	free(d->type);
	free(d->href);
	free(d->checksum_type);
	free(d->checksum);
	*d = (struct repomd_data){0};
}

void repomd_data_free(struct repomd_data *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		repomd_data_clear(&d[i]);
	free(d);
}

/* The value of attribute name inside the tag that starts at tag (up to its '>'). */
static char *attr(const char *tag, const char *name)
{
	const char *end = strchr(tag, '>');
	_cleanup_free_ char *pat = xasprintf("%s=\"", name);
	const char *p = strstr(tag, pat);
	if (!p || (end && p > end))
		return NULL;
	p += strlen(pat);
	const char *q = strchr(p, '"');
	return q ? xstrndup(p, (size_t)(q - p)) : NULL;
}

/* The text of the first <name ...>TEXT</name> between from and to. */
static char *element(const char *from, const char *to, const char *name, char **ret_attr_type)
{
	_cleanup_free_ char *open = xasprintf("<%s", name);
	_cleanup_free_ char *close = xasprintf("</%s>", name);
	const char *p = from;
	while ((p = strstr(p, open)) && p < to) {
		char c = p[strlen(open)];
		if (c == '>' || c == ' ' || c == '\t' || c == '\n')
			break;
		p++;
	}
	if (!p || p >= to)
		return NULL;
	const char *gt = strchr(p, '>');
	const char *e = gt ? strstr(gt, close) : NULL;
	if (!gt || !e || e > to)
		return NULL;
	if (ret_attr_type)
		*ret_attr_type = attr(p, "type");
	_cleanup_free_ char *raw = xstrndup(gt + 1, (size_t)(e - gt - 1));
	return xstrdup(str_strip(raw));
}

int repomd_parse(const char *xml, struct repomd_data **ret, size_t *ret_n)
{
	struct repomd_data *v = NULL;
	size_t n = 0;
	const char *p = xml;
	if (!strstr(xml, "<repomd"))
		return -EINVAL;
	while ((p = strstr(p, "<data "))) {
		const char *end = strstr(p, "</data>");
		if (!end)
			break;
		struct repomd_data d = {0};
		d.type = attr(p, "type");
		d.checksum = element(p, end, "checksum", &d.checksum_type);
		const char *loc = strstr(p, "<location ");
		if (loc && loc < end)
			d.href = attr(loc, "href");
		_cleanup_free_ char *size = element(p, end, "size", NULL);
		uint64_t sz = 0;
		if (size && parse_uint64(size, &sz) == 0)
			d.size = sz;
		if (d.type && d.href && d.checksum && d.checksum_type) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			v[n++] = d;
		} else {
			/* an incomplete entry (no checksum, no location): skipped; d is on the stack */
			repomd_data_clear(&d);
		}
		p = end;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* baseurl=, then the metalink's mirrors by preference (with its hashes in *ml), then the
 * mirrorlist's entries */
static int collect_urls(const struct dl_opts *o, json_t *repo, char ***ret_urls, size_t *ret_n, struct metalink *ml,
			char **ret_err)
{
	char **v = NULL;
	size_t n = 0, i;
	json_t *u;
	json_array_foreach(json_object_get(repo, "baseurl"), i, u) {
		v = xrealloc(v, (n + 2) * sizeof(char *));
		v[n++] = xstrdup(json_string_value(u));
	}
	const char *mt = json_string_value(json_object_get(repo, "metalink"));
	if (mt && *mt) {
		char *err = NULL;
		int r = metalink_fetch(o, mt, ml, &err);
		if (r < 0 && !json_string_value(json_object_get(repo, "mirrorlist")) && n == 0) {
			if (ret_err)
				*ret_err = xasprintf("repository %s: %s", json_string_value(json_object_get(repo, "repoid")) ?: "?",
						     err);
			free(err);
			free(v);
			return r;
		}
		if (r < 0 && o->log) {
			_cleanup_free_ char *l = xasprintf("repository %s: %s; using its other URLs",
							   json_string_value(json_object_get(repo, "repoid")) ?: "?", err);
			o->log(l, o->userdata);
		}
		free(err);
		for (size_t k = 0; r == 0 && k < ml->n_urls; k++) {
			v = xrealloc(v, (n + 2) * sizeof(char *));
			v[n++] = xstrdup(ml->urls[k]);
		}
	}
	const char *mlist = json_string_value(json_object_get(repo, "mirrorlist"));
	if (mlist && *mlist) {
		_cleanup_free_ char *text = NULL;
		int r = dl_fetch_small(o, mlist, 1u << 20, &text, NULL, ret_err);
		char **m = NULL;
		size_t nm = 0;
		if (r == 0)
			r = dl_parse_mirrorlist(text, &m, &nm);
		if (r < 0 && n == 0) {
			if (ret_err && !*ret_err)
				*ret_err = xasprintf("mirrorlist %s: %s", mlist, strerror(-r));
			free(v);
			return r;
		}
		for (size_t k = 0; k < nm; k++) {
			v = xrealloc(v, (n + 2) * sizeof(char *));
			v[n++] = m[k];
		}
		free(m);
	}
	if (n == 0) {
		if (ret_err)
			*ret_err = xasprintf("repository %s has no baseurl, metalink or mirrorlist",
					     json_string_value(json_object_get(repo, "repoid")) ?: "?");
		return -EINVAL;
	}
	v[n] = NULL;
	*ret_urls = v;
	*ret_n = n;
	return 0;
}

int repomd_urls(const struct dl_opts *o, json_t *repo, char ***ret_urls, size_t *ret_n, char **ret_err)
{
	struct metalink ml = {0};
	int r = collect_urls(o, repo, ret_urls, ret_n, &ml, ret_err);
	metalink_clear(&ml);
	return r;
}

static bool want(const char *type)
{
	for (size_t i = 0; i < ELEMENTSOF(wanted); i++)
		if (!strcmp(type, wanted[i]))
			return true;
	return false;
}

/* Fetch from one base URL; 0, or -errno with *ret_err. */
static int fetch_one(const struct dl_opts *o, const char *id, const char *url, const char *dir, const struct metalink *ml,
		     char **ret_err)
{
	_cleanup_free_ char *base = xasprintf("%s%s", url, str_endswith(url, "/") ? "" : "/");
	_cleanup_free_ char *mdurl = xasprintf("%srepodata/repomd.xml", base);
	_cleanup_free_ char *xml = NULL;
	size_t len = 0;
	int r = dl_fetch_small(o, mdurl, 16u << 20, &xml, &len, ret_err);
	if (r < 0)
		return r;
	_cleanup_free_ char *verr = NULL;
	if (ml && (r = metalink_verify(ml, xml, len, &verr)) < 0) {
		*ret_err = xasprintf("%s does not match the metalink: %s", mdurl, verr);
		return r;
	}
	struct repomd_data *d = NULL;
	size_t n = 0;
	if (repomd_parse(xml, &d, &n) < 0 || n == 0) {
		*ret_err = xasprintf("%s: not a repomd.xml (no <data> entries)", mdurl);
		repomd_data_free(d, n);
		return -EINVAL;
	}
	/* the data files through the package fetcher: checksums, retries, resume, space checks */
	struct dl_item *items = xcalloc(n + 1, sizeof(*items));
	size_t ni = 0;
	for (size_t i = 0; i < n; i++) {
		if (!want(d[i].type))
			continue;
		items[ni++] = (struct dl_item){.repoid = id, .location = d[i].href, .checksum_type = d[i].checksum_type,
					       .checksum = d[i].checksum, .size = d[i].size, .label = d[i].type};
	}
	char *urls[] = {base, NULL};
	struct dl_repo repo = {.id = id, .urls = urls, .n_urls = 1};
	struct dl_opts oo = *o;
	oo.cache_dir = dir;
	struct dl_stats st;
	r = dl_run(&oo, &repo, 1, items, ni, &st, ret_err);
	for (size_t i = 0; i < ni; i++)
		dl_item_clear(&items[i]);
	free(items);
	repomd_data_free(d, n);
	if (r < 0)
		return r;
	/* repomd.xml last: its presence means the copy is complete */
	_cleanup_free_ char *rd = xasprintf("%s/%s/repodata", dir, id);
	_cleanup_free_ char *path = xasprintf("%s/repomd.xml", rd);
	if ((r = mkdir_p(rd, 0755)) < 0 || (r = write_file_atomic(path, xml, len, 0644)) < 0) {
		*ret_err = xasprintf("%s: %s", path, strerror(-r));
		return r;
	}
	return 0;
}

static int fetch_first(const struct dl_opts *o, const char *id, char *const *urls, size_t n_urls,
		       const struct metalink *ml, char **ret_dir, char **ret_url, char **ret_err)
{
	struct buf why = {0};
	for (size_t i = 0; i < n_urls; i++) {
		char *err = NULL;
		int r = fetch_one(o, id, urls[i], o->cache_dir, ml, &err);
		if (r < 0 && o->log) {
			_cleanup_free_ char *l = xasprintf("repository %s: %s: %s", id, urls[i], err ? err : strerror(-r));
			o->log(l, o->userdata);
		}
		if (r == 0) {
			*ret_dir = xasprintf("%s/%s", o->cache_dir, id);
			if (ret_url)
				*ret_url = xstrdup(urls[i]);
			free(err);
			buf_free(&why);
			return 0;
		}
		buf_printf(&why, "%s%s", why.len ? "; " : "", err ? err : strerror(-r));
		free(err);
	}
	*ret_err = xasprintf("repository %s: cannot fetch its metadata: %s", id, why.len ? why.data : "no URL");
	buf_free(&why);
	return -EIO;
}

int repomd_fetch(const struct dl_opts *o, const char *id, char *const *urls, size_t n_urls, char **ret_dir,
		 char **ret_err)
{
	return fetch_first(o, id, urls, n_urls, NULL, ret_dir, NULL, ret_err);
}

int repomd_fetch_repo(const struct dl_opts *o, json_t *repo, char **ret_dir, char **ret_url, char **ret_err)
{
	const char *id = json_string_value(json_object_get(repo, "repoid")) ?: "?";
	struct metalink ml = {0};
	char **urls = NULL;
	size_t n = 0;
	int r = collect_urls(o, repo, &urls, &n, &ml, ret_err);
	if (r == 0)
		r = fetch_first(o, id, urls, n, ml.n_hashes ? &ml : NULL, ret_dir, ret_url, ret_err);
	for (size_t i = 0; i < n; i++)
		free(urls[i]);
	free(urls);
	metalink_clear(&ml);
	return r;
}
