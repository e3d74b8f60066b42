/* The answerfile and answerfile.userchoices: reading, writing, and finding missing answers. */
#include "answerfile.h"

#include <fcntl.h>

#include "leapp/ini.h"
#include "leapp/util.h"

struct load_ctx {
	json_t *out;
};

static int on_ini(const char *section, const char *key, const char *value, int line, void *userdata)
{
	struct load_ctx *c = userdata;
	if (!key || !*section)
		return 0;
	json_t *s = json_object_get(c->out, section);
	if (!s) {
		s = json_object();
		json_object_set_new(c->out, section, s);
	}
	json_object_set_new(s, key, json_string(value));
	return 0;
}

int answerfile_load(const char *path, json_t **ret, char **ret_err)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	/* only the admin writes the answer files: a symlink or a FIFO there is not an answer */
	int r = read_file_at(AT_FDCWD, path, 1u << 20, &data, &len);
	if (r == -ENOENT) {
		*ret = json_object();
		return 0;
	}
	if (r == -EMLINK) {
		*ret_err = xasprintf("%s: not a regular file (a symlink, a FIFO or a device): refusing to read answers from it", path);
		return r;
	}
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", path, strerror(-r));
		return r;
	}
	struct load_ctx c = {.out = json_object()};
	int line = 0;
	r = ini_parse(data, len, on_ini, &c, &line);
	if (r) {
		*ret_err = xasprintf("%s:%d: not a [section], a key = value line or a comment", path, line);
		json_decref(c.out);
		return -EINVAL;
	}
	*ret = c.out;
	return 0;
}

void answers_merge(json_t *a, json_t *b)
{
	const char *scope;
	json_t *kv;
	json_object_foreach(b, scope, kv) {
		json_t *s = json_object_get(a, scope);
		if (!s) {
			s = json_object();
			json_object_set_new(a, scope, s);
		}
		json_object_update(s, kv);
	}
}

static const char *answer_sample(json_t *comp)
{
	const char *type = json_string_value(json_object_get(comp, "type"));
	json_t *choices = json_object_get(comp, "choices");
	if (type && !strcmp(type, "bool"))
		return "True";
	if (json_array_size(choices) > 0 && json_is_string(json_array_get(choices, 0)))
		return json_string_value(json_array_get(choices, 0));
	if (type && !strcmp(type, "number"))
		return "0";
	return "VALUE";
}

json_t *dialogs_unanswered(json_t *dialogs, json_t *answers)
{
	json_t *out = json_array();
	size_t i, k;
	json_t *d, *comp;
	json_array_foreach(dialogs, i, d) {
		const char *scope = json_string_value(json_object_get(d, "scope"));
		if (!scope)
			continue;
		json_t *given = json_object_get(answers, scope);
		json_array_foreach(json_object_get(d, "components"), k, comp) {
			const char *key = json_string_value(json_object_get(comp, "key"));
			if (!key)
				continue;
			json_t *def = json_object_get(comp, "default");
			if (def && !json_is_null(def))
				continue;
			if (json_object_get(given, key))
				continue;
			bool dup = false;
			size_t q;
			json_t *o;
			json_array_foreach(out, q, o)
				dup |= !strcmp(json_string_value(json_object_get(o, "scope")), scope) &&
				       !strcmp(json_string_value(json_object_get(o, "key")), key);
			if (dup)
				continue;
			_cleanup_free_ char *cmd = xasprintf("leapp answer --section %s.%s=%s", scope, key, answer_sample(comp));
			json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s?}", "scope", scope, "key", key, "label",
							     json_string_value(json_object_get(comp, "label")) ?: key, "command",
							     cmd, "title", json_string_value(json_object_get(d, "title"))));
		}
	}
	return out;
}

static const char *str_or(json_t *o, const char *k, const char *def)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : def;
}

static void comment_block(struct buf *b, const char *label, const char *text)
{
	/* multi-line values keep the comment marker on every line */
	buf_printf(b, "# %-19s", label);
	for (const char *p = text; *p; p++) {
		buf_append(b, p, 1);
		if (*p == '\n' && p[1])
			buf_printf(b, "#                    ");
	}
	buf_append(b, "\n", 1);
}

static char *value_str(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_true(v))
		return xstrdup("True");
	if (json_is_false(v))
		return xstrdup("False");
	return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
}

int answerfile_write(const char *path, json_t *dialogs, json_t *answers)
{
	struct buf b = {0};
	buf_printf(&b, "# The questions of the last leapp run. Answer with\n#   leapp answer --section SCOPE.KEY=VALUE\n"
		       "# or by editing this file (uncomment the answer line). Answers are kept in answerfile.userchoices.\n");
	json_t *seen = json_object();
	size_t i, k;
	json_t *d, *comp;
	json_array_foreach(dialogs, i, d) {
		const char *scope = json_string_value(json_object_get(d, "scope"));
		if (!scope || json_object_get(seen, scope))
			continue;
		json_object_set_new(seen, scope, json_true());
		buf_printf(&b, "\n[%s]\n", scope);
		comment_block(&b, "Title:", str_or(d, "title", "None"));
		comment_block(&b, "Reason:", str_or(d, "reason", "None"));
		json_array_foreach(json_object_get(d, "components"), k, comp) {
			const char *key = str_or(comp, "key", "");
			buf_printf(&b, "# =================== %s.%s ==================\n", scope, key);
			comment_block(&b, "Label:", str_or(comp, "label", key));
			comment_block(&b, "Description:", str_or(comp, "description", ""));
			comment_block(&b, "Reason:", str_or(comp, "reason", ""));
			comment_block(&b, "Type:", str_or(comp, "type", "text"));
			json_t *def = json_object_get(comp, "default");
			_cleanup_free_ char *defs = def && !json_is_null(def) ? value_str(def) : xstrdup("None");
			comment_block(&b, "Default:", defs);
			json_t *choices = json_object_get(comp, "choices");
			if (json_array_size(choices)) {
				struct buf cb = {0};
				size_t q;
				json_t *c;
				json_array_foreach(choices, q, c) {
					_cleanup_free_ char *cs = value_str(c);
					buf_printf(&cb, "%s%s", q ? "/" : "", cs);
				}
				comment_block(&b, "Available choices:", cb.data);
				buf_free(&cb);
			} else if (!strcmp(str_or(comp, "type", ""), "bool")) {
				comment_block(&b, "Available choices:", "True/False");
			}
			json_t *a = json_object_get(json_object_get(answers, scope), key);
			if (a) {
				_cleanup_free_ char *as = value_str(a);
				buf_printf(&b, "%s = %s\n", key, as);
			} else {
				buf_printf(&b, "# Unanswered question. Uncomment the following line with your answer\n# %s = \n", key);
			}
		}
	}
	json_decref(seen);
	int r = write_file_atomic(path, b.data ? b.data : "", b.len, 0644);
	buf_free(&b);
	return r;
}

int answers_write(const char *path, json_t *answers)
{
	struct buf b = {0};
	buf_printf(&b, "# Answers given with `leapp answer`; kept across runs.\n");
	const char *scope;
	json_t *kv;
	json_object_foreach(answers, scope, kv) {
		buf_printf(&b, "\n[%s]\n", scope);
		const char *key;
		json_t *v;
		json_object_foreach(kv, key, v) {
			_cleanup_free_ char *vs = value_str(v);
			buf_printf(&b, "%s = %s\n", key, vs);
		}
	}
	int r = write_file_atomic(path, b.data, b.len, 0644);
	buf_free(&b);
	return r;
}
