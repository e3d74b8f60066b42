/* BLS entries and grubenv: parsing, $variable expansion, the default entry, and rewriting. */
#include "boot.h"
#include "rpm.h"

#include <ctype.h>
#include <dirent.h>

#include "leapp/util.h"

#define GRUBENV_SIZE 1024
#define GRUBENV_HEADER "# GRUB Environment Block\n"

/* ---- grubenv ---- */

int grubenv_parse(const char *data, size_t len, struct grubenv *ret)
{
	if (len < sizeof(GRUBENV_HEADER) - 1 || memcmp(data, GRUBENV_HEADER, sizeof(GRUBENV_HEADER) - 1))
		return -EINVAL;
	struct grubenv env = {0};
	size_t i = sizeof(GRUBENV_HEADER) - 1;
	while (i < len) {
		size_t start = i;
		struct buf line = {0};
		/* a logical line: a backslash escapes the next byte, newline included */
		while (i < len && data[i] != '\n') {
			if (data[i] == '\\' && i + 1 < len) {
				buf_append(&line, &data[i + 1], 1);
				i += 2;
				continue;
			}
			buf_append(&line, &data[i], 1);
			i++;
		}
		i++; /* the newline */
		buf_append(&line, "", 0);
		char *l = line.data;
		if (!l || data[start] == '#' || !strchr(l, '=')) {
			buf_free(&line);
			continue;
		}
		char *eq = strchr(l, '=');
		*eq = 0;
		grubenv_set(&env, l, eq + 1);
		buf_free(&line);
	}
	*ret = env;
	return 0;
}

int grubenv_load(const char *path, struct grubenv *ret)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = read_file(path, 64 * 1024, &data, &len);
	if (r < 0)
		return r;
	return grubenv_parse(data, len, ret);
}

const char *grubenv_get(const struct grubenv *env, const char *name)
{
	for (size_t i = 0; env && i < env->n; i++)
		if (!strcmp(env->names[i], name))
			return env->values[i];
	return NULL;
}

void grubenv_set(struct grubenv *env, const char *name, const char *value)
{
	for (size_t i = 0; i < env->n; i++) {
		if (strcmp(env->names[i], name))
			continue;
		if (value) {
			free(env->values[i]);
			env->values[i] = xstrdup(value);
			return;
		}
		free(env->names[i]);
		free(env->values[i]);
		memmove(&env->names[i], &env->names[i + 1], (env->n - i - 1) * sizeof(char *));
		memmove(&env->values[i], &env->values[i + 1], (env->n - i - 1) * sizeof(char *));
		env->n--;
		return;
	}
	if (!value)
		return;
	env->names = xrealloc(env->names, (env->n + 1) * sizeof(char *));
	env->values = xrealloc(env->values, (env->n + 1) * sizeof(char *));
	env->names[env->n] = xstrdup(name);
	env->values[env->n] = xstrdup(value);
	env->n++;
}

static void append_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '\n')
			buf_append(b, "\\", 1);
		buf_append(b, s, 1);
	}
}

int grubenv_format(const struct grubenv *env, char **ret, size_t *ret_len)
{
	struct buf b = {0};
	buf_append(&b, GRUBENV_HEADER, sizeof(GRUBENV_HEADER) - 1);
	for (size_t i = 0; i < env->n; i++) {
		append_escaped(&b, env->names[i]);
		buf_append(&b, "=", 1);
		append_escaped(&b, env->values[i]);
		buf_append(&b, "\n", 1);
	}
	if (b.len > GRUBENV_SIZE) {
		buf_free(&b);
		return -E2BIG;
	}
	while (b.len < GRUBENV_SIZE)
		buf_append(&b, "#", 1);
	*ret_len = b.len;
	*ret = buf_steal(&b);
	return 0;
}

int grubenv_save(const char *path, const struct grubenv *env)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	int r = grubenv_format(env, &data, &len);
	if (r < 0)
		return r;
	return write_file_atomic(path, data, len, 0644);
}

void grubenv_clear(struct grubenv *env)
{
	for (size_t i = 0; env && i < env->n; i++) {
		free(env->names[i]);
		free(env->values[i]);
	}
	if (env) {
		free(env->names);
		free(env->values);
		memset(env, 0, sizeof(*env));
	}
}

json_t *grubenv_to_json(const struct grubenv *env)
{
	json_t *o = json_object();
	for (size_t i = 0; env && i < env->n; i++) {
		json_t *v = json_string(env->values[i]);
		if (v)
			json_object_set_new(o, env->names[i], v);
	}
	return o;
}

/* ---- BLS entries ---- */

static void strv_add(char ***v, size_t *n, const char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrdup(s);
}

static void entry_add(struct bls_entry *e, const char *key, const char *value)
{
	e->keys = xrealloc(e->keys, (e->n + 1) * sizeof(char *));
	e->values = xrealloc(e->values, (e->n + 1) * sizeof(char *));
	e->keys[e->n] = xstrdup(key);
	e->values[e->n] = xstrdup(value);
	e->n++;
}

/* Fill the named fields from keys/values (first occurrence wins, initrd accumulates). */
static void entry_index(struct bls_entry *e)
{
	char **fields[] = {&e->title, &e->version, &e->linux, &e->options, &e->machine_id, &e->grub_class, &e->grub_users,
			   &e->grub_arg};
	static const char *const names[] = {"title", "version", "linux", "options", "machine-id", "grub_class", "grub_users",
					    "grub_arg"};
	for (size_t f = 0; f < ELEMENTSOF(fields); f++) {
		free(*fields[f]);
		*fields[f] = NULL;
	}
	for (size_t i = 0; i < e->n_initrd; i++)
		free(e->initrd[i]);
	free(e->initrd);
	e->initrd = NULL;
	e->n_initrd = 0;
	for (size_t i = 0; i < e->n; i++) {
		if (!strcmp(e->keys[i], "initrd")) {
			_cleanup_free_ char *copy = xstrdup(e->values[i]);
			char *save = NULL;
			for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save))
				strv_add(&e->initrd, &e->n_initrd, t);
			continue;
		}
		for (size_t f = 0; f < ELEMENTSOF(names); f++)
			if (!strcmp(e->keys[i], names[f]) && !*fields[f])
				*fields[f] = xstrdup(e->values[i]);
	}
}

int bls_entry_parse(const char *id, const char *file, const char *data, size_t len, struct bls_entry *ret)
{
	struct bls_entry e = {0};
	e.id = xstrdup(id);
	e.file = xstrdup(file);
	_cleanup_free_ char *copy = xstrndup(data, len);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *l = str_strip(line);
		if (!*l || *l == '#')
			continue;
		char *sp = l;
		while (*sp && !isspace((unsigned char)*sp))
			sp++;
		char *val = sp;
		if (*sp) {
			*sp = 0;
			val = str_strip(sp + 1);
		}
		entry_add(&e, l, val);
	}
	entry_index(&e);
	*ret = e;
	return 0;
}

void bls_entry_clear(struct bls_entry *e)
{
	if (!e)
		return;
	free(e->id);
	free(e->file);
	free(e->title);
	free(e->version);
	free(e->linux);
	free(e->options);
	free(e->machine_id);
	free(e->grub_class);
	free(e->grub_users);
	free(e->grub_arg);
	for (size_t i = 0; i < e->n_initrd; i++)
		free(e->initrd[i]);
	free(e->initrd);
	for (size_t i = 0; i < e->n; i++) {
		free(e->keys[i]);
		free(e->values[i]);
	}
	free(e->keys);
	free(e->values);
	memset(e, 0, sizeof(*e));
}

char *bls_entry_format(const struct bls_entry *e)
{
	struct buf b = {0};
	for (size_t i = 0; i < e->n; i++)
		buf_printf(&b, "%s %s\n", e->keys[i], e->values[i]);
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

void bls_entry_set(struct bls_entry *e, const char *key, const char *value)
{
	bool done = false;
	for (size_t i = 0; i < e->n;) {
		if (strcmp(e->keys[i], key)) {
			i++;
			continue;
		}
		if (value && !done) {
			free(e->values[i]);
			e->values[i] = xstrdup(value);
			done = true;
			i++;
			continue;
		}
		if (value) {
			i++;
			continue;
		}
		free(e->keys[i]);
		free(e->values[i]);
		memmove(&e->keys[i], &e->keys[i + 1], (e->n - i - 1) * sizeof(char *));
		memmove(&e->values[i], &e->values[i + 1], (e->n - i - 1) * sizeof(char *));
		e->n--;
	}
	if (value && !done)
		entry_add(e, key, value);
	entry_index(e);
}

/* grub2-blscfg order: descending by id in rpm version order */
static int cmp_entry(const void *a, const void *b)
{
	const struct bls_entry *x = a, *y = b;
	return -evr_vercmp(x->id, y->id);
}

int bls_entries_load(const char *root, struct bls_entry **ret, size_t *ret_n)
{
	_cleanup_free_ char *dir = path_join(root, "/boot/loader/entries");
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*ret = NULL;
			*ret_n = 0;
			return 0;
		}
		return -errno;
	}
	struct bls_entry *v = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !str_endswith(de->d_name, ".conf"))
			continue;
		_cleanup_free_ char *path = path_join(dir, de->d_name);
		_cleanup_free_ char *data = NULL;
		size_t len;
		if (read_file(path, 64 * 1024, &data, &len) < 0)
			continue;
		_cleanup_free_ char *id = xstrndup(de->d_name, strlen(de->d_name) - 5);
		_cleanup_free_ char *shown = xasprintf("/boot/loader/entries/%s", de->d_name);
		v = xrealloc(v, (n + 1) * sizeof(*v));
		bls_entry_parse(id, shown, data, len, &v[n++]);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_entry);
	*ret = v;
	*ret_n = n;
	return 0;
}

void bls_entries_free(struct bls_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bls_entry_clear(&v[i]);
	free(v);
}

char *bls_expand(const char *s, const struct grubenv *env)
{
	struct buf b = {0};
	for (const char *p = s; p && *p;) {
		if (*p != '$') {
			buf_append(&b, p, 1);
			p++;
			continue;
		}
		const char *name = p + 1, *end;
		size_t nl;
		if (*name == '{') {
			name++;
			end = strchr(name, '}');
			if (!end) {
				buf_append(&b, p, strlen(p));
				break;
			}
			nl = (size_t)(end - name);
			end++;
		} else {
			end = name;
			while (*end && (isalnum((unsigned char)*end) || *end == '_'))
				end++;
			nl = (size_t)(end - name);
			if (!nl) {
				buf_append(&b, "$", 1);
				p++;
				continue;
			}
		}
		_cleanup_free_ char *var = xstrndup(name, nl);
		const char *val = grubenv_get(env, var);
		if (val)
			buf_append(&b, val, strlen(val));
		p = end;
	}
	buf_append(&b, "", 0);
	/* collapse whitespace: "$kernelopts $tuned_params" with the second unset */
	char *out = buf_steal(&b);
	char *w = out;
	bool space = true;
	for (char *r = out; *r; r++) {
		if (isspace((unsigned char)*r)) {
			if (!space)
				*w++ = ' ';
			space = true;
			continue;
		}
		*w++ = *r;
		space = false;
	}
	if (w > out && w[-1] == ' ')
		w--;
	*w = 0;
	return out;
}

int bls_default_index(const struct bls_entry *v, size_t n, const struct grubenv *env)
{
	if (!n)
		return -1;
	const char *saved = grubenv_get(env, "saved_entry");
	if (!saved || !*saved)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].id, saved))
			return (int)i;
	for (size_t i = 0; i < n; i++)
		if (v[i].title && !strcmp(v[i].title, saved))
			return (int)i;
	uint64_t idx;
	if (parse_uint64(saved, &idx) == 0 && idx < n)
		return (int)idx;
	return 0;
}
