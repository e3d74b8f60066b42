/* os-release parsing: the format is a restricted shell assignment list (os-release(5)). */
#include "sys.h"

#include <ctype.h>

#include "leapp/util.h"

static char *unquote(const char *v)
{
	struct buf b = {0};
	char q = 0;
	for (const char *p = v; *p; p++) {
		if (q) {
			if (*p == q) {
				q = 0;
				continue;
			}
			if (q == '"' && *p == '\\' && p[1] && strchr("\"\\$`", p[1])) {
				buf_append(&b, ++p, 1);
				continue;
			}
			buf_append(&b, p, 1);
			continue;
		}
		if (*p == '"' || *p == '\'') {
			q = *p;
			continue;
		}
		if (*p == '\\' && p[1]) {
			buf_append(&b, ++p, 1);
			continue;
		}
		if (*p == '#' || isspace((unsigned char)*p))
			break; /* unquoted: a comment or trailing junk ends the value */
		buf_append(&b, p, 1);
	}
	buf_append(&b, "", 0);
	return b.data ? buf_steal(&b) : xstrdup("");
}

json_t *os_release_parse(const char *data, size_t len)
{
	json_t *o = json_object();
	_cleanup_free_ char *copy = xstrndup(data, len);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *l = str_strip(line);
		if (!*l || *l == '#')
			continue;
		char *eq = strchr(l, '=');
		if (!eq)
			continue;
		*eq = 0;
		char *key = str_strip(l);
		bool ok = *key != 0;
		for (char *k = key; *k && ok; k++)
			ok = isalnum((unsigned char)*k) || *k == '_';
		if (!ok)
			continue;
		char *v = unquote(eq + 1);
		json_t *js = json_string(v);
		free(v);
		if (js) /* not UTF-8: left out rather than guessed */
			json_object_set_new(o, key, js);
	}
	return o;
}

int os_release_load(const char *root, json_t **ret, char **ret_err)
{
	static const char *const paths[] = {"/etc/os-release", "/usr/lib/os-release"};
	int r = -ENOENT;
	for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
		_cleanup_free_ char *p = path_join(root, paths[i]);
		_cleanup_free_ char *data = NULL;
		size_t len;
		r = read_file(p, 1u << 20, &data, &len);
		if (r == -ENOENT)
			continue;
		if (r < 0) {
			*ret_err = xasprintf("%s: %s", paths[i], strerror(-r));
			return r;
		}
		*ret = os_release_parse(data, len);
		return 0;
	}
	*ret_err = xstrdup("/etc/os-release: missing (and no /usr/lib/os-release)");
	return r;
}

int os_release_version_major(const char *version)
{
	if (!version || !isdigit((unsigned char)*version))
		return -1;
	long v = strtol(version, NULL, 10);
	return v > 100000 ? -1 : (int)v;
}
