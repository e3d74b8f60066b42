/* Metalinks: mirrors by preference and the hashes of repomd.xml (fetch.h). */
#include "fetch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rpm/rpmcrypto.h>
#include <rpm/rpmpgp.h>

#include "leapp/util.h"

#define METALINK_LIMIT (4u << 20)
#define SUFFIX "repodata/repomd.xml"

void metalink_clear(struct metalink *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_urls; i++)
		free(m->urls[i]);
	free(m->urls);
	for (size_t i = 0; i < m->n_hashes; i++) {
		free(m->hashes[i].type);
		free(m->hashes[i].value);
	}
	free(m->hashes);
	memset(m, 0, sizeof(*m));
}

/* the value of attribute name in the start tag [tag, end), malloc'd, or NULL */
static char *attr(const char *tag, const char *end, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = tag; p && p < end; p++) {
		p = strstr(p, name);
		if (!p || p >= end)
			return NULL;
		if ((p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') && p[nl] == '=' && (p[nl + 1] == '"' || p[nl + 1] == '\'')) {
			char q = p[nl + 1];
			const char *v = p + nl + 2, *e = strchr(v, q);
			return e && e < end ? xstrndup(v, (size_t)(e - v)) : NULL;
		}
	}
	return NULL;
}

/* XML text with the five predefined entities decoded */
static char *text_decode(const char *s, size_t n)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	char *out = xmalloc(n + 1), *o = out;
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		for (; k < ELEMENTSOF(ents); k++)
			if (!strncmp(s + i, ents[k].ent, strlen(ents[k].ent)))
				break;
		if (k < ELEMENTSOF(ents)) {
			*o++ = ents[k].c;
			i += strlen(ents[k].ent);
		} else
			*o++ = s[i++];
	}
	*o = 0;
	char *t = str_strip(out);
	if (t != out)
		memmove(out, t, strlen(t) + 1);
	return out;
}

/* the next element <name ...>text</name> in [p, end): its start tag end and text, or NULL */
static const char *element(const char *p, const char *end, const char *name, const char **ret_tag, const char **ret_text,
			   size_t *ret_len)
{
	_cleanup_free_ char *open = xasprintf("<%s", name), *close = xasprintf("</%s>", name);
	size_t ol = strlen(open);
	while ((p = strstr(p, open)) && p < end) {
		if (p[ol] != ' ' && p[ol] != '>' && p[ol] != '\t' && p[ol] != '\n') {
			p += ol;
			continue;
		}
		const char *gt = strchr(p, '>');
		const char *c = gt ? strstr(gt, close) : NULL;
		if (!c || c > end)
			return NULL;
		*ret_tag = p;
		*ret_text = gt + 1;
		*ret_len = (size_t)(c - gt - 1);
		return c + strlen(close);
	}
	return NULL;
}

struct pref_url {
	char *base;
	long pref;
	size_t order;
};

static int cmp_pref(const void *a, const void *b)
{
	const struct pref_url *x = a, *y = b;
	if (x->pref != y->pref)
		return x->pref > y->pref ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void parse_hashes(const char *p, const char *end, struct metalink *m)
{
	const char *tag, *text, *next;
	size_t len;
	while ((next = element(p, end, "hash", &tag, &text, &len))) {
		char *type = attr(tag, text, "type");
		if (type) {
			m->hashes = xrealloc(m->hashes, (m->n_hashes + 1) * sizeof(*m->hashes));
			char *v = text_decode(text, len);
			for (char *c = v; *c; c++)
				if (*c >= 'A' && *c <= 'F')
					*c = (char)(*c - 'A' + 'a');
			m->hashes[m->n_hashes++] = (struct metalink_hash){.type = type, .value = v};
		}
		p = next;
	}
}

int metalink_parse(const char *xml, struct metalink *ret, char **ret_err)
{
	struct metalink m = {0};
	if (!strstr(xml, "<metalink")) {
		*ret_err = xstrdup("not a metalink (no <metalink> element)");
		return -EINVAL;
	}
	/* the <file name="repomd.xml"> element */
	const char *f = xml, *fend = NULL;
	while ((f = strstr(f, "<file"))) {
		const char *gt = strchr(f, '>');
		_cleanup_free_ char *name = gt ? attr(f, gt, "name") : NULL;
		if (name && !strcmp(name, "repomd.xml")) {
			fend = strstr(gt, "</file>");
			break;
		}
		f += 5;
	}
	if (!f || !fend) {
		*ret_err = xstrdup("the metalink has no <file name=\"repomd.xml\"> entry");
		return -EINVAL;
	}
	parse_hashes(f, fend, &m);
	struct pref_url *u = NULL;
	size_t n = 0;
	const char *p = f, *tag, *text, *next;
	size_t len;
	while ((next = element(p, fend, "url", &tag, &text, &len))) {
		_cleanup_free_ char *url = text_decode(text, len);
		_cleanup_free_ char *pref = attr(tag, text, "preference");
		p = next;
		if (!str_endswith(url, SUFFIX) ||
		    !(str_startswith(url, "http://") || str_startswith(url, "https://") || str_startswith(url, "ftp://") ||
		      str_startswith(url, "file://")))
			continue; /* not a repomd.xml URL we can fetch (rsync:// mirrors are listed too) */
		u = xrealloc(u, (n + 1) * sizeof(*u));
		u[n] = (struct pref_url){.base = xstrndup(url, strlen(url) - strlen(SUFFIX)),
					 .pref = pref ? strtol(pref, NULL, 10) : 0, .order = n};
		n++;
	}
	if (!n) {
		*ret_err = xstrdup("the metalink lists no URL of repodata/repomd.xml");
		free(u);
		metalink_clear(&m);
		return -EINVAL;
	}
	qsort(u, n, sizeof(*u), cmp_pref);
	m.urls = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		m.urls[i] = u[i].base;
	m.n_urls = n;
	free(u);
	*ret = m;
	return 0;
}

int metalink_fetch(const struct dl_opts *o, const char *url, struct metalink *ret, char **ret_err)
{
	_cleanup_free_ char *text = NULL, *err = NULL;
	int r = dl_fetch_small(o, url, METALINK_LIMIT, &text, NULL, &err);
	if (r < 0) {
		*ret_err = xasprintf("metalink %s: %s", url, err ? err : strerror(-r));
		return r;
	}
	if ((r = metalink_parse(text, ret, &err)) < 0) {
		*ret_err = xasprintf("metalink %s: %s", url, err);
		return r;
	}
	return 0;
}

int metalink_verify(const struct metalink *m, const void *data, size_t len, char **ret_err)
{
	static const struct {
		const char *name;
		int algo;
	} types[] = {{"sha512", PGPHASHALGO_SHA512}, {"sha256", PGPHASHALGO_SHA256}, {"sha1", PGPHASHALGO_SHA1},
		     {"md5", PGPHASHALGO_MD5}};
	for (size_t t = 0; t < ELEMENTSOF(types); t++) {
		bool any = false;
		for (size_t i = 0; i < m->n_hashes; i++)
			any |= !strcmp(m->hashes[i].type, types[t].name);
		if (!any)
			continue;
		DIGEST_CTX ctx = rpmDigestInit(types[t].algo, RPMDIGEST_NONE);
		rpmDigestUpdate(ctx, data, len);
		char *hex = NULL;
		rpmDigestFinal(ctx, (void **)&hex, NULL, 1);
		for (size_t i = 0; i < m->n_hashes; i++)
			if (!strcmp(m->hashes[i].type, types[t].name) && hex && !strcmp(m->hashes[i].value, hex)) {
				free(hex);
				return 0;
			}
		*ret_err = xasprintf("its %s is %s, the metalink lists another", types[t].name, hex ? hex : "?");
		free(hex);
		return -EBADMSG;
	}
	*ret_err = xstrdup("the metalink lists no hash of repomd.xml (sha512, sha256, sha1 or md5)");
	return -EINVAL;
}
