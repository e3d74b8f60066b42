/* A small INI parser with line numbers, following dnf's .repo rules. */
#include "leapp/ini.h"

#include "leapp/util.h"

int ini_parse(const char *data, size_t len, ini_cb cb, void *userdata, int *ret_line)
{
	_cleanup_free_ char *section = xstrdup("");
	struct buf key = {0}, val = {0};
	bool have = false;
	int have_line = 0, line = 0, r = 0;
	size_t i = 0;

#define FLUSH()                                                                              \
	do {                                                                                 \
		if (have) {                                                                  \
			have = false;                                                        \
			r = cb(section, key.data, val.data ? val.data : "", have_line, userdata); \
			if (r)                                                               \
				goto out;                                                    \
		}                                                                            \
	} while (0)

	while (i < len) {
		size_t e = i;
		while (e < len && data[e] != '\n')
			e++;
		line++;
		_cleanup_free_ char *raw = xstrndup(data + i, e - i);
		i = e + 1;
		if (memchr(raw, 0, strlen(raw) + 1) != raw + strlen(raw)) {
			r = -EINVAL;
			goto bad;
		}
		bool cont = raw[0] == ' ' || raw[0] == '\t';
		char *s = str_strip(raw);
		if (!*s) {
			continue;
		}
		if (*s == '#' || *s == ';')
			continue;
		if (cont && have) {
			buf_append(&val, "\n", 1);
			buf_append(&val, s, strlen(s));
			continue;
		}
		FLUSH();
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || end[1] || end == s + 1) {
				r = -EINVAL;
				goto bad;
			}
			free(section);
			section = xstrndup(s + 1, (size_t)(end - s - 1));
			char *st = str_strip(section);
			if (st != section)
				memmove(section, st, strlen(st) + 1);
			r = cb(section, NULL, NULL, line, userdata);
			if (r)
				goto out;
			continue;
		}
		char *eq = strpbrk(s, "=:");
		if (!eq || eq == s) {
			r = -EINVAL;
			goto bad;
		}
		*eq = 0;
		char *k = str_strip(s), *v = str_strip(eq + 1);
		if (!*k) {
			r = -EINVAL;
			goto bad;
		}
		key.len = 0;
		buf_append(&key, k, strlen(k));
		val.len = 0;
		buf_append(&val, v, strlen(v));
		have = true;
		have_line = line;
	}
	FLUSH();
	goto out;
bad:
	if (ret_line)
		*ret_line = line;
out:
	buf_free(&key);
	buf_free(&val);
	return r;
#undef FLUSH
}
