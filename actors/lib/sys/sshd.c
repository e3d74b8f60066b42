/* sshd_config parsing with sshd's rules that matter for upgrades, and in-place editing. */
#include "sys.h"

#include <ctype.h>
#include <glob.h>
#include <strings.h>

#include "leapp/util.h"

#define SSHD_MAX_DEPTH 16

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* "Keyword value", "Keyword=value", "Keyword = value"; quotes around words removed. */
static bool split_line(char *l, char **ret_kw, char **ret_val)
{
	while (isspace((unsigned char)*l))
		l++;
	if (!*l || *l == '#')
		return false;
	char *kw = l;
	while (*l && !isspace((unsigned char)*l) && *l != '=')
		l++;
	char *kw_end = l;
	while (isspace((unsigned char)*l))
		l++;
	if (*l == '=')
		l++;
	while (isspace((unsigned char)*l))
		l++;
	*kw_end = 0;
	/* trailing whitespace and a trailing comment are not part of the value */
	char *v = l;
	struct buf b = {0};
	char q = 0;
	for (; *v; v++) {
		if (q) {
			if (*v == q)
				q = 0;
			else
				buf_append(&b, v, 1);
			continue;
		}
		if (*v == '"') {
			q = *v;
			continue;
		}
		if (*v == '#' && (v == l || isspace((unsigned char)v[-1])))
			break;
		buf_append(&b, v, 1);
	}
	buf_append(&b, "", 0);
	char *val = buf_steal(&b);
	str_strip(val);
	*ret_kw = kw;
	*ret_val = val;
	return true;
}

static void add_directive(struct sshd_config *c, const char *kw, const char *val, const char *shown, int line,
			  bool in_match)
{
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	struct sshd_directive *d = &c->v[c->n++];
	d->keyword = xstrdup(kw);
	lower(d->keyword);
	d->value = xstrdup(val);
	d->file = xstrdup(shown);
	d->line = line;
	d->in_match = in_match;
}

static int parse_text(const char *root, const char *shown, const char *data, size_t len, struct sshd_config *c,
		      bool *in_match, int depth);

static void include_pattern(const char *root, const char *pattern, struct sshd_config *c, bool *in_match, int depth)
{
	_cleanup_free_ char *abs = pattern[0] == '/' ? xstrdup(pattern) : xasprintf("/etc/ssh/%s", pattern);
	_cleanup_free_ char *full = path_join(root, abs);
	glob_t g;
	if (glob(full, 0, NULL, &g) != 0)
		return; /* sshd ignores patterns that match nothing */
	size_t rl = strcmp(root, "/") ? strlen(root) : 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *p = g.gl_pathv[i];
		const char *shown = strlen(p) > rl ? p + rl : p;
		_cleanup_free_ char *data = NULL;
		size_t len;
		if (read_file(p, 1u << 20, &data, &len) < 0)
			continue;
		c->includes = xrealloc(c->includes, (c->n_includes + 1) * sizeof(char *));
		c->includes[c->n_includes++] = xstrdup(shown);
		parse_text(root, shown, data, len, c, in_match, depth + 1);
	}
	globfree(&g);
}

static int parse_text(const char *root, const char *shown, const char *data, size_t len, struct sshd_config *c,
		      bool *in_match, int depth)
{
	if (depth > SSHD_MAX_DEPTH)
		return -ELOOP;
	_cleanup_free_ char *copy = xstrndup(data, len);
	int lineno = 0;
	char *cur = copy;
	while (cur) {
		char *nl = strchr(cur, '\n');
		if (nl)
			*nl = 0;
		lineno++;
		char *kw, *val;
		if (split_line(cur, &kw, &val)) {
			if (!strcasecmp(kw, "match")) {
				/* "Match all" ends the conditional part */
				*in_match = strcasecmp(val, "all") != 0;
			} else if (!strcasecmp(kw, "include") && root) {
				_cleanup_free_ char *pats = xstrdup(val);
				char *save = NULL;
				for (char *t = strtok_r(pats, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
					include_pattern(root, t, c, in_match, depth);
			} else
				add_directive(c, kw, val, shown, lineno, *in_match);
			free(val);
		}
		cur = nl ? nl + 1 : NULL;
	}
	return 0;
}

int sshd_config_parse(const char *shown, const char *data, size_t len, struct sshd_config *ret)
{
	struct sshd_config c = {0};
	bool in_match = false;
	parse_text(NULL, shown, data, len, &c, &in_match, 0);
	*ret = c;
	return 0;
}

int sshd_config_load(const char *root, const char *path, struct sshd_config *ret)
{
	_cleanup_free_ char *full = path_join(root, path);
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = read_file(full, 1u << 20, &data, &len);
	if (r < 0)
		return r;
	struct sshd_config c = {0};
	bool in_match = false;
	r = parse_text(root, path, data, len, &c, &in_match, 0);
	*ret = c;
	return r < 0 ? r : 0;
}

void sshd_config_clear(struct sshd_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].keyword);
		free(c->v[i].value);
		free(c->v[i].file);
	}
	free(c->v);
	for (size_t i = 0; i < c->n_includes; i++)
		free(c->includes[i]);
	free(c->includes);
	memset(c, 0, sizeof(*c));
}

const struct sshd_directive *sshd_config_effective(const struct sshd_config *c, const char *keyword)
{
	for (size_t i = 0; c && i < c->n; i++)
		if (!c->v[i].in_match && !strcasecmp(c->v[i].keyword, keyword))
			return &c->v[i];
	return NULL;
}

json_t *sshd_directive_to_json(const struct sshd_directive *d)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:b}", "keyword", d->keyword, "value", d->value, "file", d->file, "line",
			 d->line, "in_match", d->in_match);
}

/* Is this line "Match ..." (a directive, not a comment)? */
static bool line_is_match(const char *l, size_t n)
{
	size_t i = 0;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	return n - i >= 6 && !strncasecmp(l + i, "match", 5) && (isspace((unsigned char)l[i + 5]) || l[i + 5] == '=');
}

/* Is this line "#Keyword ..." (the commented default)? */
static bool line_is_commented(const char *l, size_t n, const char *keyword)
{
	size_t i = 0, kl = strlen(keyword);
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	if (i >= n || l[i] != '#')
		return false;
	i++;
	while (i < n && isspace((unsigned char)l[i]))
		i++;
	return n - i > kl && !strncasecmp(l + i, keyword, kl) && (isspace((unsigned char)l[i + kl]) || l[i + kl] == '=');
}

char *sshd_config_add_directive(const char *data, size_t len, const char *keyword, const char *value, const char *comment)
{
	/* find the insertion offset */
	size_t insert_at = len, after_comment = (size_t)-1, before_match = (size_t)-1;
	for (size_t off = 0; off < len;) {
		const char *l = data + off;
		const char *nl = memchr(l, '\n', len - off);
		size_t n = nl ? (size_t)(nl - l) : len - off;
		size_t next = nl ? off + n + 1 : len;
		if (line_is_match(l, n)) {
			before_match = off;
			break;
		}
		if (after_comment == (size_t)-1 && line_is_commented(l, n, keyword))
			after_comment = next;
		off = next;
	}
	bool at_end = false;
	if (after_comment != (size_t)-1)
		insert_at = after_comment;
	else if (before_match != (size_t)-1)
		insert_at = before_match;
	else
		at_end = true;
	struct buf b = {0};
	buf_append(&b, data, insert_at);
	if (insert_at > 0 && data[insert_at - 1] != '\n')
		buf_append(&b, "\n", 1);
	if (at_end && insert_at > 0 && !(insert_at >= 2 && data[insert_at - 1] == '\n' && data[insert_at - 2] == '\n'))
		buf_append(&b, "\n", 1);
	if (comment)
		buf_printf(&b, "# %s\n", comment);
	buf_printf(&b, "%s %s\n", keyword, value);
	if (insert_at == before_match)
		buf_append(&b, "\n", 1);
	buf_append(&b, data + insert_at, len - insert_at);
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

bool sshd_permit_root_login_needed(json_t *facts, int source_major, int target_major)
{
	if (!json_is_true(json_object_get(facts, "present")) || source_major != 8 || target_major < 9)
		return false;
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(facts, "permit_root_login"), i, d)
		if (!json_is_true(json_object_get(d, "in_match")))
			return false;
	return true;
}
