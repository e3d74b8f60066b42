/* Shell-style KEY=VALUE files (ifcfg, firewalld.conf, sysconfig): the value of one key. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leapp/util.h"
#include "sys.h"

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

char *sys_kv_get(const char *data, const char *key, bool nocase)
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
