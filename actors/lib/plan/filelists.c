/* filelists.xml read line by line, as createrepo_c writes it (one element a line). */
#include "plan.h"

#include <stdio.h>
#include <solv/solv_xfopen.h>

#include "leapp/util.h"
#include "fetch.h"

/* The value of attr="..." in an element line, entities decoded; malloc'd or NULL. */
static char *xml_unescape(const char *s, size_t n)
{
	struct buf b = {0};
	for (size_t i = 0; i < n; i++) {
		static const struct {
			const char *ent, *ch;
		} ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
		bool done = false;
		for (size_t k = 0; k < ELEMENTSOF(ents) && !done; k++) {
			size_t l = strlen(ents[k].ent);
			if (n - i >= l && !strncmp(s + i, ents[k].ent, l)) {
				buf_append(&b, ents[k].ch, 1);
				i += l - 1;
				done = true;
			}
		}
		if (!done)
			buf_append(&b, s + i, 1);
	}
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

static char *attr(const char *line, const char *name)
{
	_cleanup_free_ char *pat = xasprintf(" %s=\"", name);
	const char *p = strstr(line, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	const char *e = strchr(p, '"');
	return e ? xml_unescape(p, (size_t)(e - p)) : NULL;
}

static char *find_href(const char *repo_dir, char **ret_err)
{
	_cleanup_free_ char *p = xasprintf("%s/repodata/repomd.xml", repo_dir);
	_cleanup_free_ char *xml = NULL;
	int r = read_file(p, 16u << 20, &xml, NULL);
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", p, strerror(-r));
		return NULL;
	}
	struct repomd_data *d = NULL;
	size_t n = 0;
	if (repomd_parse(xml, &d, &n) < 0) {
		*ret_err = xasprintf("%s: not valid repomd.xml", p);
		return NULL;
	}
	char *href = NULL;
	for (size_t i = 0; i < n && !href; i++)
		if (!strcmp(d[i].type, "filelists"))
			href = xstrdup(d[i].href);
	repomd_data_free(d, n);
	if (!href)
		*ret_err = xasprintf("%s: no filelists", p);
	return href;
}

int filelists_read(const char *repo_dir, filelists_cb cb, void *userdata, char **ret_err)
{
	_cleanup_free_ char *href = find_href(repo_dir, ret_err);
	if (!href)
		return -ENOENT;
	_cleanup_free_ char *path = path_join(repo_dir, href);
	FILE *f = solv_xfopen(path, "r");
	if (!f) {
		*ret_err = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -errno ?: -EIO;
	}
	char *line = NULL;
	size_t cap = 0;
	struct filelists_pkg pkg = {0};
	char *name = NULL, *arch = NULL, *epoch = NULL, *ver = NULL, *rel = NULL;
	int r = 0;
	while (!r && getline(&line, &cap, f) >= 0) {
		char *l = line;
		while (*l == ' ' || *l == '\t')
			l++;
		if (!strncmp(l, "<package ", 9)) {
			free(name), free(arch);
			name = attr(l, "name");
			arch = attr(l, "arch");
		} else if (!strncmp(l, "<version ", 9)) {
			free(epoch), free(ver), free(rel);
			epoch = attr(l, "epoch");
			ver = attr(l, "ver");
			rel = attr(l, "rel");
		} else if (!strncmp(l, "<file", 5) && (l[5] == '>' || l[5] == ' ')) {
			char *start = strchr(l, '>'), *end = start ? strstr(start, "</file>") : NULL;
			if (!end || !name)
				continue;
			_cleanup_free_ char *type = attr(l, "type");
			_cleanup_free_ char *p = xml_unescape(start + 1, (size_t)(end - start - 1));
			pkg = (struct filelists_pkg){name, arch ?: "", epoch ?: "0", ver ?: "", rel ?: ""};
			r = cb(&pkg, p, type && !strcmp(type, "dir"), userdata);
		}
	}
	free(line);
	free(name), free(arch), free(epoch), free(ver), free(rel);
	fclose(f);
	return r;
}
