/* YAML loading into a node tree that keeps line numbers, on top of libyaml's event parser. */
#include "leapp/yaml.h"

#include <yaml.h>

#include "leapp/util.h"

#define YAML_MAX_DEPTH 64
#define YAML_MAX_NODES 1000000
#define YAML_MAX_FILE (32u * 1024u * 1024u)

struct yparse {
	yaml_parser_t p;
	const char *file;
	char *err;
	size_t nodes;
};

static void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	free(n->scalar);
	for (size_t i = 0; i < n->n; i++) {
		ynode_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_lines);
	free(n);
}

static void set_err(struct yparse *y, int line, int col, const char *fmt, ...) _printf_(4, 5);
static void set_err(struct yparse *y, int line, int col, const char *fmt, ...)
{
	if (y->err)
		return;
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *m = xvasprintf(fmt, ap);
	va_end(ap);
	y->err = xasprintf("%s:%d:%d: %s", y->file, line, col, m);
}

static int next_event(struct yparse *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->p, ev)) {
		if (y->p.context)
			set_err(y, (int)y->p.problem_mark.line + 1, (int)y->p.problem_mark.column + 1,
				"%s %s started at line %d", y->p.problem ? y->p.problem : "syntax error", y->p.context,
				(int)y->p.context_mark.line + 1);
		else
			set_err(y, (int)y->p.problem_mark.line + 1, (int)y->p.problem_mark.column + 1, "%s",
				y->p.problem ? y->p.problem : "syntax error");
		return -EINVAL;
	}
	return 0;
}

static int parse_node(struct yparse *y, yaml_event_t *ev, int depth, struct ynode **ret);

static void push(struct ynode *n, struct ynode *child, char *key, int key_line)
{
	n->items = xrealloc(n->items, (n->n + 1) * sizeof(*n->items));
	if (n->kind == YNODE_MAP) {
		n->keys = xrealloc(n->keys, (n->n + 1) * sizeof(*n->keys));
		n->key_lines = xrealloc(n->key_lines, (n->n + 1) * sizeof(*n->key_lines));
		n->keys[n->n] = key;
		n->key_lines[n->n] = key_line;
	}
	n->items[n->n++] = child;
}

/* ev is the event that starts the node; it is consumed (deleted) here. */
static int parse_node(struct yparse *y, yaml_event_t *ev, int depth, struct ynode **ret)
{
	int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
	if (++y->nodes > YAML_MAX_NODES) {
		set_err(y, line, col, "too many nodes");
		yaml_event_delete(ev);
		return -E2BIG;
	}
	if (depth > YAML_MAX_DEPTH) {
		set_err(y, line, col, "nesting too deep");
		yaml_event_delete(ev);
		return -E2BIG;
	}
	struct ynode *n = xcalloc(1, sizeof(*n));
	n->line = line;
	n->column = col;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		set_err(y, line, col, "aliases are not supported");
		yaml_event_delete(ev);
		free(n);
		return -EINVAL;
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor) {
			set_err(y, line, col, "anchors are not supported");
			yaml_event_delete(ev);
			free(n);
			return -EINVAL;
		}
		n->kind = YNODE_SCALAR;
		n->scalar = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		yaml_event_delete(ev);
		*ret = n;
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		bool is_map = ev->type == YAML_MAPPING_START_EVENT;
		n->kind = is_map ? YNODE_MAP : YNODE_SEQ;
		yaml_event_delete(ev);
		for (;;) {
			yaml_event_t e;
			if (next_event(y, &e) < 0)
				goto fail;
			if (e.type == YAML_SEQUENCE_END_EVENT || e.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e);
				break;
			}
			char *key = NULL;
			int key_line = 0;
			if (is_map) {
				if (e.type != YAML_SCALAR_EVENT) {
					set_err(y, (int)e.start_mark.line + 1, (int)e.start_mark.column + 1,
						"mapping keys must be plain strings");
					yaml_event_delete(&e);
					goto fail;
				}
				key = xstrndup((const char *)e.data.scalar.value, e.data.scalar.length);
				key_line = (int)e.start_mark.line + 1;
				int kcol = (int)e.start_mark.column + 1;
				yaml_event_delete(&e);
				for (size_t i = 0; i < n->n; i++)
					if (!strcmp(n->keys[i], key)) {
						set_err(y, key_line, kcol, "duplicate key '%s' (first at line %d)", key, n->key_lines[i]);
						free(key);
						goto fail;
					}
				if (next_event(y, &e) < 0) {
					free(key);
					goto fail;
				}
			}
			struct ynode *child;
			if (parse_node(y, &e, depth + 1, &child) < 0) {
				free(key);
				goto fail;
			}
			push(n, child, key, key_line);
		}
		*ret = n;
		return 0;
	}
	default:
		set_err(y, line, col, "unexpected YAML event");
		yaml_event_delete(ev);
		free(n);
		return -EINVAL;
	}
fail:
	ynode_free(n);
	return -EINVAL;
}

int ydoc_load_string(const char *name, const char *data, size_t len, struct ydoc **ret, char **ret_err)
{
	struct yparse y = {.file = name};
	if (!yaml_parser_initialize(&y.p)) {
		if (ret_err)
			*ret_err = xasprintf("%s: cannot initialize the YAML parser", name);
		return -ENOMEM;
	}
	yaml_parser_set_input_string(&y.p, (const unsigned char *)data, len);
	struct ydoc *d = xcalloc(1, sizeof(*d));
	d->file = xstrdup(name);
	int r = 0;
	bool in_doc = false, done = false;
	while (!done) {
		yaml_event_t ev;
		if ((r = next_event(&y, &ev)) < 0)
			break;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
			yaml_event_delete(&ev);
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (in_doc || d->root) {
				set_err(&y, (int)ev.start_mark.line + 1, 1, "only one YAML document is allowed");
				yaml_event_delete(&ev);
				r = -EINVAL;
				done = true;
				break;
			}
			in_doc = true;
			yaml_event_delete(&ev);
			break;
		case YAML_DOCUMENT_END_EVENT:
			in_doc = false;
			yaml_event_delete(&ev);
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			done = true;
			break;
		default:
			if ((r = parse_node(&y, &ev, 0, &d->root)) < 0)
				done = true;
			break;
		}
	}
	yaml_parser_delete(&y.p);
	if (r < 0) {
		if (ret_err)
			*ret_err = TAKE_PTR(y.err);
		free(y.err);
		ydoc_free(d);
		return -EINVAL;
	}
	free(y.err);
	/* an empty file or a lone "~" both mean "nothing here" */
	if (d->root && d->root->kind == YNODE_SCALAR && ynode_is_null(d->root)) {
		ynode_free(d->root);
		d->root = NULL;
	}
	*ret = d;
	return 0;
}

int ydoc_load_file(const char *path, struct ydoc **ret, char **ret_err)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = read_file(path, YAML_MAX_FILE, &data, &len);
	if (r < 0) {
		if (ret_err)
			*ret_err = xasprintf("%s: %s", path, r == -EFBIG ? "file too large" : strerror(-r));
		return r;
	}
	return ydoc_load_string(path, data, len, ret, ret_err);
}

void ydoc_free(struct ydoc *d)
{
	if (!d)
		return;
	ynode_free(d->root);
	free(d->file);
	free(d);
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

int ynode_key_line(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return 0;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->key_lines[i];
	return map->line;
}

bool ynode_is_null(const struct ynode *n)
{
	if (!n)
		return true;
	if (n->kind != YNODE_SCALAR || n->quoted)
		return false;
	const char *s = n->scalar;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

int ynode_bool(const struct ynode *n, bool *ret)
{
	if (!n || n->kind != YNODE_SCALAR || n->quoted)
		return -EINVAL;
	const char *s = n->scalar;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		*ret = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		*ret = false;
		return 0;
	}
	return -EINVAL;
}

int ynode_int(const struct ynode *n, long long *ret)
{
	if (!n || n->kind != YNODE_SCALAR || n->quoted || !*n->scalar)
		return -EINVAL;
	char *end;
	errno = 0;
	long long v = strtoll(n->scalar, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

int ynode_double(const struct ynode *n, double *ret)
{
	if (!n || n->kind != YNODE_SCALAR || n->quoted || !*n->scalar)
		return -EINVAL;
	char *end;
	errno = 0;
	double v = strtod(n->scalar, &end);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

json_t *ynode_to_json(const struct ynode *n)
{
	if (!n)
		return json_null();
	switch (n->kind) {
	case YNODE_SCALAR: {
		bool b;
		long long i;
		double d;
		if (ynode_is_null(n))
			return json_null();
		if (ynode_bool(n, &b) == 0)
			return json_boolean(b);
		if (ynode_int(n, &i) == 0)
			return json_integer(i);
		if (ynode_double(n, &d) == 0)
			return json_real(d);
		return json_string(n->scalar);
	}
	case YNODE_SEQ: {
		json_t *a = json_array();
		for (size_t k = 0; k < n->n; k++)
			json_array_append_new(a, ynode_to_json(n->items[k]));
		return a;
	}
	case YNODE_MAP: {
		json_t *o = json_object();
		for (size_t k = 0; k < n->n; k++)
			json_object_set_new(o, n->keys[k], ynode_to_json(n->items[k]));
		return o;
	}
	}
	return json_null();
}
