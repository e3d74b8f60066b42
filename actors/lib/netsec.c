/* Directory listings and KEY=VALUE files under --root, for the issue 19 fact actors. */
#include "netsec.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leapp/actor.h"
#include "leapp/util.h"

#define NETSEC_DIR_MAX 4096

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int netsec_dir_list(const char *abs_dir, const char *suffix, char ***ret_names)
{
	_cleanup_free_ char *p = actor_path(abs_dir);
	DIR *d = opendir(p);
	if (!d)
		return -errno;
	size_t n = 0, cap = 8;
	char **v = xcalloc(cap, sizeof(*v));
	struct dirent *de;
	while ((de = readdir(d)) && n < NETSEC_DIR_MAX) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (suffix && *suffix && !str_endswith(de->d_name, suffix))
			continue;
		if (n + 1 >= cap) {
			cap *= 2;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	v[n] = NULL;
	qsort(v, n, sizeof(*v), cmp_str);
	*ret_names = v;
	return (int)n;
}

void netsec_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

/* the value part of one line: quotes removed, a trailing comment dropped when unquoted */
static char *kv_value(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n && (*s == '"' || *s == '\'')) {
		const char *end = memchr(s + 1, *s, n - 1);
		return xstrndup(s + 1, end ? (size_t)(end - s - 1) : n - 1);
	}
	const char *hash = memchr(s, '#', n);
	if (hash)
		n = (size_t)(hash - s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return xstrndup(s, n);
}

char *netsec_kv_get(const char *data, const char *key, bool nocase)
{
	char *found = NULL;
	size_t klen = strlen(key);
	for (const char *l = data; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		const char *s = l;
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		if (len > klen && s[klen] == '=' && (nocase ? !strncasecmp(s, key, klen) : !strncmp(s, key, klen))) {
			free(found);
			found = kv_value(s + klen + 1, len - klen - 1);
		}
		l = nl ? nl + 1 : NULL;
	}
	return found;
}
