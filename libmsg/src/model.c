/* Model registry: parse model schema files, resolve references, validate and pack messages. */
#include "leapp/model.h"

#include <dirent.h>
#include <math.h>
#include <regex.h>

#include "leapp/proto.h"
#include "leapp/util.h"

struct model_registry {
	struct model **models; /* sorted by name once resolved */
	size_t n;
	bool sorted;
};

static const char *const type_names[] = {
	[FT_STRING] = "string", [FT_INTEGER] = "integer", [FT_BOOLEAN] = "boolean",
	[FT_FLOAT] = "float",   [FT_DATETIME] = "datetime", [FT_BLOB] = "blob",
	[FT_ENUM] = "enum",     [FT_LIST] = "list",        [FT_MAP] = "map",
	[FT_MODEL] = "model",   [FT_ANY] = "any",
};

const char *ftype_name(enum ftype t)
{
	return t < ELEMENTSOF(type_names) ? type_names[t] : "?";
}

static int ftype_from_name(const char *s, enum ftype *ret)
{
	for (size_t i = 0; i < ELEMENTSOF(type_names); i++)
		if (!strcmp(s, type_names[i])) {
			*ret = (enum ftype)i;
			return 0;
		}
	/* aliases people will type */
	if (!strcmp(s, "str")) { *ret = FT_STRING; return 0; }
	if (!strcmp(s, "int")) { *ret = FT_INTEGER; return 0; }
	if (!strcmp(s, "bool")) { *ret = FT_BOOLEAN; return 0; }
	if (!strcmp(s, "number")) { *ret = FT_FLOAT; return 0; }
	return -ENOENT;
}

/* ---- text helpers ---- */

bool utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		uint32_t cp;
		if ((c & 0xe0) == 0xc0) { n = 1; cp = c & 0x1f; }
		else if ((c & 0xf0) == 0xe0) { n = 2; cp = c & 0x0f; }
		else if ((c & 0xf8) == 0xf0) { n = 3; cp = c & 0x07; }
		else return false;
		if (i + n >= len)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool datetime_valid(const char *s, size_t len)
{
	/* YYYY-MM-DDTHH:MM:SS */
	if (len < 19 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
	    !digits(s + 8, 2) || (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2) || s[16] != ':' || !digits(s + 17, 2))
		return false;
	int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
	int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
	int ss = (s[17] - '0') * 10 + (s[18] - '0');
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
		return false;
	size_t i = 19;
	if (i < len && s[i] == '.') {
		size_t st = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == st)
			return false;
	}
	if (i == len)
		return true; /* naive time: accepted, treated as UTC */
	if (s[i] == 'Z')
		return i + 1 == len;
	if ((s[i] == '+' || s[i] == '-') && len - i == 6 && digits(s + i + 1, 2) && s[i + 3] == ':' && digits(s + i + 4, 2))
		return true;
	return false;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *base64_encode(const void *data, size_t len)
{
	const unsigned char *p = data;
	char *out = xmalloc(4 * ((len + 2) / 3) + 1), *o = out;
	size_t i = 0;
	for (; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = b64[(v >> 6) & 63];
		*o++ = b64[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0);
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = 0;
	return out;
}

int base64_decode(const char *s, size_t len, unsigned char **ret, size_t *ret_len)
{
	if (len % 4)
		return -EINVAL;
	unsigned char *out = xmalloc(len / 4 * 3 + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			char c = s[i + k];
			const char *pos = c ? strchr(b64, c) : NULL;
			if (c == '=' && i + 4 == len && k >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (!pos || pad) {
				free(out);
				return -EINVAL;
			}
			v = (v << 6) | (uint32_t)(pos - b64);
		}
		out[o++] = (unsigned char)(v >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(v >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)v;
	}
	*ret = out;
	*ret_len = o;
	return 0;
}

/* ---- schema parsing ---- */

void ftypespec_clear(struct ftypespec *s)
{
	if (!s)
		return;
	json_decref(s->def);
	for (size_t i = 0; i < s->n_enum; i++)
		free(s->enum_values[i]);
	free(s->enum_values);
	if (s->of) {
		ftypespec_clear(s->of);
		free(s->of);
	}
	free(s->model_name);
	free(s->pattern);
	for (size_t i = 0; i < s->n_aliases; i++)
		free(s->aliases[i]);
	free(s->aliases);
	for (size_t i = 0; i < s->n_requires; i++)
		free(s->requires[i]);
	free(s->requires);
	memset(s, 0, sizeof(*s));
}

void fields_free(struct model_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].description);
		ftypespec_clear(&f[i].spec);
	}
	free(f);
}

static void model_free(struct model *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->topic);
	free(m->description);
	free(m->file);
	fields_free(m->fields, m->n_fields);
	free(m);
}

static bool is_model_name(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z';
}

/* A type name: a built-in type or a model (CamelCase). */
static int spec_parse_name(struct ftypespec *s, const char *tname, const char *file, int line, char **ret_err)
{
	if (ftype_from_name(tname, &s->type) == 0)
		return 0;
	if (!is_model_name(tname)) {
		*ret_err = xasprintf("%s:%d: unknown type '%s'", file, line, tname);
		return -EINVAL;
	}
	s->type = FT_MODEL;
	s->model_name = xstrdup(tname);
	return 0;
}

/* The short form: just a type name. */
static int spec_parse_scalar(struct ftypespec *ret, const struct ynode *n, const char *file, char **ret_err)
{
	struct ftypespec s = {0};
	const char *tname = n->scalar;
	if (spec_parse_name(&s, tname, file, n->line, ret_err) < 0)
		return -EINVAL;
	if (s.type == FT_ENUM || s.type == FT_LIST || s.type == FT_MAP || (s.type == FT_MODEL && !s.model_name)) {
		*ret_err = xasprintf("%s:%d: type '%s' needs the long form ({type: %s, ...})", file, n->line, tname, tname);
		ftypespec_clear(&s);
		return -EINVAL;
	}
	*ret = s;
	return 0;
}

static int spec_check_keys(const struct ynode *n, const char *file, char **ret_err)
{
	static const char *const known[] = {"type",	"nullable", "default",	  "values",	 "of",
					    "model",	"description", "pattern", "aliases", "requires",
					    "path_exists"};
	for (size_t i = 0; i < n->n; i++) {
		bool ok = false;
		for (size_t k = 0; k < ELEMENTSOF(known); k++)
			ok |= !strcmp(n->keys[i], known[k]);
		if (!ok) {
			*ret_err = xasprintf("%s:%d: unknown key '%s' in a type", file, n->key_lines[i], n->keys[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/* What a type needs besides its name: an enum's values, a list's or map's item type, a model. */
static int spec_parse_parts(struct ftypespec *s, const struct ynode *n, const char *file, char **ret_err)
{
	if (s->type == FT_ENUM) {
		const struct ynode *v = ynode_get(n, "values");
		if (!v || v->kind != YNODE_SEQ || v->n == 0) {
			*ret_err = xasprintf("%s:%d: an enum needs a non-empty 'values' list", file, n->line);
			return -EINVAL;
		}
		s->enum_values = xcalloc(v->n, sizeof(char *));
		for (size_t i = 0; i < v->n; i++) {
			if (v->items[i]->kind != YNODE_SCALAR) {
				*ret_err = xasprintf("%s:%d: enum values are strings", file, v->items[i]->line);
				return -EINVAL;
			}
			s->enum_values[s->n_enum++] = xstrdup(v->items[i]->scalar);
		}
	}
	if (s->type == FT_LIST || s->type == FT_MAP) {
		const struct ynode *of = ynode_get(n, "of");
		if (!of) {
			*ret_err = xasprintf("%s:%d: a %s needs 'of' (the item type)", file, n->line, ftype_name(s->type));
			return -EINVAL;
		}
		s->of = xcalloc(1, sizeof(*s->of));
		if (ftypespec_parse(s->of, of, file, ret_err) < 0) {
			free(s->of);
			s->of = NULL;
			return -EINVAL;
		}
	}
	if (s->type == FT_MODEL && !s->model_name) {
		const struct ynode *m = ynode_get(n, "model");
		if (!m || m->kind != YNODE_SCALAR) {
			*ret_err = xasprintf("%s:%d: type 'model' needs 'model: NAME'", file, n->line);
			return -EINVAL;
		}
		s->model_name = xstrdup(m->scalar);
	}
	return 0;
}

/* The constraints of a configuration key: pattern, aliases, requires, path_exists. */
static int spec_parse_constraints(struct ftypespec *s, const struct ynode *n, const char *file, char **ret_err)
{
	const struct ynode *pat = ynode_get(n, "pattern");
	if (pat) {
		if (pat->kind != YNODE_SCALAR || (s->type != FT_STRING && s->type != FT_ENUM)) {
			*ret_err = xasprintf("%s:%d: 'pattern' is a regular expression for a string", file, pat->line);
			return -EINVAL;
		}
		regex_t re;
		if (regcomp(&re, pat->scalar, REG_EXTENDED | REG_NOSUB) != 0) {
			*ret_err = xasprintf("%s:%d: 'pattern' is not a valid regular expression", file, pat->line);
			return -EINVAL;
		}
		regfree(&re);
		s->pattern = xstrdup(pat->scalar);
	}
	const char *lists[] = {"aliases", "requires"};
	char ***dst[] = {&s->aliases, &s->requires};
	size_t *dn[] = {&s->n_aliases, &s->n_requires};
	for (size_t li = 0; li < ELEMENTSOF(lists); li++) {
		const struct ynode *l = ynode_get(n, lists[li]);
		if (!l)
			continue;
		if (l->kind != YNODE_SEQ) {
			*ret_err = xasprintf("%s:%d: '%s' is a list of key names", file, l->line, lists[li]);
			return -EINVAL;
		}
		*dst[li] = xcalloc(l->n + 1, sizeof(char *));
		for (size_t k = 0; k < l->n; k++) {
			if (l->items[k]->kind != YNODE_SCALAR) {
				*ret_err = xasprintf("%s:%d: '%s' is a list of key names", file, l->items[k]->line, lists[li]);
				return -EINVAL;
			}
			(*dst[li])[(*dn[li])++] = xstrdup(l->items[k]->scalar);
		}
	}
	const struct ynode *pe = ynode_get(n, "path_exists");
	if (pe && ynode_bool(pe, &s->path_exists) < 0) {
		*ret_err = xasprintf("%s:%d: 'path_exists' must be true or false", file, pe->line);
		return -EINVAL;
	}
	return 0;
}

int ftypespec_parse(struct ftypespec *ret, const struct ynode *n, const char *file, char **ret_err)
{
	struct ftypespec s = {0};
	if (!n) {
		*ret_err = xasprintf("%s: missing type", file);
		return -EINVAL;
	}
	if (n->kind == YNODE_SCALAR)
		return spec_parse_scalar(ret, n, file, ret_err);
	if (n->kind != YNODE_MAP) {
		*ret_err = xasprintf("%s:%d: a type is a name or a map", file, n->line);
		return -EINVAL;
	}
	if (spec_check_keys(n, file, ret_err) < 0)
		return -EINVAL;
	const struct ynode *t = ynode_get(n, "type");
	if (!t || t->kind != YNODE_SCALAR) {
		*ret_err = xasprintf("%s:%d: key 'type' is required", file, n->line);
		return -EINVAL;
	}
	if (spec_parse_name(&s, t->scalar, file, t->line, ret_err) < 0)
		return -EINVAL;
	const struct ynode *nb = ynode_get(n, "nullable");
	if (nb && ynode_bool(nb, &s.nullable) < 0) {
		*ret_err = xasprintf("%s:%d: key 'nullable' must be true or false", file, nb->line);
		goto fail;
	}
	if (spec_parse_parts(&s, n, file, ret_err) < 0 || spec_parse_constraints(&s, n, file, ret_err) < 0)
		goto fail;
	const struct ynode *d = ynode_get(n, "default");
	if (d) {
		if (ynode_is_null(d)) {
			s.nullable = true;
		} else {
			json_t *dv = NULL;
			if (ftypespec_json_from_yaml(&s, d, file, "default", &dv, ret_err) < 0)
				goto fail;
			s.def = dv;
		}
	}
	*ret = s;
	return 0;
fail:
	ftypespec_clear(&s);
	return -EINVAL;
}

int fields_parse(const struct ynode *map, const char *file, struct model_field **ret, size_t *ret_n, char **ret_err)
{
	if (!map) {
		*ret = NULL;
		*ret_n = 0;
		return 0;
	}
	if (map->kind != YNODE_MAP) {
		*ret_err = xasprintf("%s:%d: 'fields' must be a map of name: type", file, map->line);
		return -EINVAL;
	}
	struct model_field *f = xcalloc(map->n ? map->n : 1, sizeof(*f));
	for (size_t i = 0; i < map->n; i++) {
		f[i].name = xstrdup(map->keys[i]);
		f[i].line = map->key_lines[i];
		const struct ynode *desc = map->items[i]->kind == YNODE_MAP ? ynode_get(map->items[i], "description") : NULL;
		if (desc && desc->kind == YNODE_SCALAR)
			f[i].description = xstrdup(desc->scalar);
		if (ftypespec_parse(&f[i].spec, map->items[i], file, ret_err) < 0) {
			fields_free(f, i + 1);
			return -EINVAL;
		}
	}
	*ret = f;
	*ret_n = map->n;
	return 0;
}

struct model_registry *model_registry_new(void)
{
	return xcalloc(1, sizeof(struct model_registry));
}

void model_registry_free(struct model_registry *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		model_free(r->models[i]);
	free(r->models);
	free(r);
}

static int cmp_model(const void *a, const void *b)
{
	return strcmp((*(struct model *const *)a)->name, (*(struct model *const *)b)->name);
}

/* The optional `workflow_config: true|false` of a model; only one model may carry it. */
static int workflow_config_parse(const struct model_registry *r, struct model *m, const struct ynode *n, const char *path,
				 char **ret_err)
{
	if (!n)
		return 0;
	if (n->kind != YNODE_SCALAR || (strcmp(n->scalar, "true") && strcmp(n->scalar, "false"))) {
		*ret_err = xasprintf("%s:%d: key 'workflow_config' must be true or false", path, n->line);
		return -EINVAL;
	}
	m->workflow_config = !strcmp(n->scalar, "true");
	const struct model *prev = m->workflow_config ? model_registry_workflow_config(r) : NULL;
	if (prev) {
		*ret_err = xasprintf("%s:%d: model '%s' declares workflow_config, but '%s' at %s:%d already does", path,
				     n->line, m->name, prev->name, prev->file, prev->line);
		return -EEXIST;
	}
	return 0;
}

const struct model *model_registry_find(const struct model_registry *r, const char *name)
{
	if (!r || !name)
		return NULL;
	if (r->sorted) {
		struct model key = {.name = (char *)name}, *kp = &key;
		struct model **m = bsearch(&kp, r->models, r->n, sizeof(*r->models), cmp_model);
		return m ? *m : NULL;
	}
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->models[i]->name, name))
			return r->models[i];
	return NULL;
}

const struct model *model_registry_workflow_config(const struct model_registry *r)
{
	for (size_t i = 0; r && i < r->n; i++)
		if (r->models[i]->workflow_config)
			return r->models[i];
	return NULL;
}

size_t model_registry_count(const struct model_registry *r)
{
	return r->n;
}

const struct model *model_registry_at(const struct model_registry *r, size_t i)
{
	return i < r->n ? r->models[i] : NULL;
}

static int load_doc(struct model_registry *r, const char *path, struct ydoc *doc, char **ret_err);

int model_registry_load_file(struct model_registry *r, const char *path, char **ret_err)
{
	struct ydoc *doc = NULL;
	if (ydoc_load_file(path, &doc, ret_err) < 0)
		return -EINVAL;
	return load_doc(r, path, doc, ret_err);
}

int model_registry_load_string(struct model_registry *r, const char *name, const char *data, size_t len, char **ret_err)
{
	struct ydoc *doc = NULL;
	if (ydoc_load_string(name, data, len, &doc, ret_err) < 0)
		return -EINVAL;
	return load_doc(r, name, doc, ret_err);
}

static int load_doc(struct model_registry *r, const char *path, struct ydoc *doc, char **ret_err)
{
	int ret = 0;
	const struct ynode *root = doc->root;
	if (!root) {
		ydoc_free(doc);
		return 0;
	}
	if (root->kind != YNODE_SEQ) {
		*ret_err = xasprintf("%s:%d: a model file is a list of models", path, root->line);
		ydoc_free(doc);
		return -EINVAL;
	}
	for (size_t i = 0; i < root->n; i++) {
		const struct ynode *mn = root->items[i];
		if (mn->kind != YNODE_MAP) {
			*ret_err = xasprintf("%s:%d: a model is a map with model, topic and fields", path, mn->line);
			ret = -EINVAL;
			break;
		}
		static const char *const known[] = {"model", "topic", "fields", "description", "workflow_config"};
		for (size_t k = 0; k < mn->n && ret == 0; k++) {
			bool ok = false;
			for (size_t j = 0; j < ELEMENTSOF(known); j++)
				ok |= !strcmp(mn->keys[k], known[j]);
			if (!ok) {
				*ret_err = xasprintf("%s:%d: unknown key '%s' in a model", path, mn->key_lines[k], mn->keys[k]);
				ret = -EINVAL;
			}
		}
		if (ret < 0)
			break;
		const struct ynode *name = ynode_get(mn, "model"), *topic = ynode_get(mn, "topic");
		if (!name || name->kind != YNODE_SCALAR || !is_model_name(name->scalar)) {
			*ret_err = xasprintf("%s:%d: key 'model' must name the model (CamelCase)", path, mn->line);
			ret = -EINVAL;
			break;
		}
		const struct model *prev = model_registry_find(r, name->scalar);
		if (prev) {
			*ret_err = xasprintf("%s:%d: model '%s' is already declared at %s:%d", path, name->line, name->scalar,
					     prev->file, prev->line);
			ret = -EEXIST;
			break;
		}
		struct model *m = xcalloc(1, sizeof(*m));
		m->name = xstrdup(name->scalar);
		m->topic = xstrdup(topic && topic->kind == YNODE_SCALAR ? topic->scalar : "DefaultTopic");
		const struct ynode *desc = ynode_get(mn, "description");
		if (desc && desc->kind == YNODE_SCALAR)
			m->description = xstrdup(desc->scalar);
		m->file = xstrdup(path);
		m->line = mn->line;
		if ((ret = workflow_config_parse(r, m, ynode_get(mn, "workflow_config"), path, ret_err)) < 0) {
			model_free(m);
			break;
		}
		if (fields_parse(ynode_get(mn, "fields"), path, &m->fields, &m->n_fields, ret_err) < 0) {
			model_free(m);
			ret = -EINVAL;
			break;
		}
		r->models = xrealloc(r->models, (r->n + 1) * sizeof(*r->models));
		r->models[r->n++] = m;
		r->sorted = false;
	}
	ydoc_free(doc);
	return ret;
}

int model_registry_load_dir(struct model_registry *r, const char *dir, char **ret_err)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		*ret_err = xasprintf("%s: %s", dir, strerror(errno));
		return -errno;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !(str_endswith(de->d_name, ".yaml") || str_endswith(de->d_name, ".yml")))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), str_cmp_qsort);
	int ret = 0;
	for (size_t i = 0; i < n; i++) {
		if (ret == 0) {
			_cleanup_free_ char *p = path_join(dir, names[i]);
			ret = model_registry_load_file(r, p, ret_err);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int ftypespec_resolve(struct ftypespec *s, const struct model_registry *r, const char *where, char **ret_err)
{
	if (s->type == FT_MODEL) {
		s->model = (struct model *)model_registry_find(r, s->model_name);
		if (!s->model) {
			*ret_err = xasprintf("%s: unknown model '%s'", where, s->model_name);
			return -ENOENT;
		}
	}
	if (s->of)
		return ftypespec_resolve(s->of, r, where, ret_err);
	return 0;
}

int model_registry_resolve(struct model_registry *r, char **ret_err)
{
	if (r->n)
		qsort(r->models, r->n, sizeof(*r->models), cmp_model);
	r->sorted = true;
	for (size_t i = 0; i < r->n; i++) {
		struct model *m = r->models[i];
		for (size_t k = 0; k < m->n_fields; k++) {
			_cleanup_free_ char *where = xasprintf("%s:%d: field '%s' of %s", m->file, m->fields[k].line,
							       m->fields[k].name, m->name);
			int q = ftypespec_resolve(&m->fields[k].spec, r, where, ret_err);
			if (q < 0)
				return q;
		}
	}
	return 0;
}

/* ---- validation of msgpack ---- */

struct vctx {
	char path[512];
	size_t plen;
	char *err;
	size_t errlen;
};

static void path_push_key(struct vctx *c, const char *k, size_t klen, size_t *saved)
{
	*saved = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "%s%.*s", c->plen ? "." : "", (int)klen, k);
	if (n > 0)
		c->plen = c->plen + (size_t)n < sizeof(c->path) ? c->plen + (size_t)n : sizeof(c->path) - 1;
}

static void path_push_index(struct vctx *c, size_t i, size_t *saved)
{
	*saved = c->plen;
	int n = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "[%zu]", i);
	if (n > 0)
		c->plen = c->plen + (size_t)n < sizeof(c->path) ? c->plen + (size_t)n : sizeof(c->path) - 1;
}

static void path_pop(struct vctx *c, size_t saved)
{
	c->plen = saved;
	c->path[saved] = 0;
}

static int verr(struct vctx *c, const char *fmt, ...) _printf_(2, 3);
static int verr(struct vctx *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->err)
		snprintf(c->err, c->errlen, "field '%s': %s", c->plen ? c->path : "(message)", msg);
	return -EINVAL;
}

static const char *mp_type_name(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL: return "null";
	case MSGPACK_OBJECT_BOOLEAN: return "boolean";
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return "integer";
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: return "float";
	case MSGPACK_OBJECT_STR: return "string";
	case MSGPACK_OBJECT_BIN: return "blob";
	case MSGPACK_OBJECT_ARRAY: return "list";
	case MSGPACK_OBJECT_MAP: return "map";
	case MSGPACK_OBJECT_EXT: return "ext";
	}
	return "?";
}

static int check_mp(const struct ftypespec *s, const msgpack_object *o, msgpack_packer *pk, struct vctx *c);

static int check_model_mp(const struct model *m, const msgpack_object *o, msgpack_packer *pk, struct vctx *c)
{
	if (o->type != MSGPACK_OBJECT_MAP)
		return verr(c, "expected %s (a map), got %s", m->name, mp_type_name(o));
	const msgpack_object_map *mp = &o->via.map;
	/* every key must be a known field */
	for (uint32_t i = 0; i < mp->size; i++) {
		const msgpack_object *k = &mp->ptr[i].key;
		if (k->type != MSGPACK_OBJECT_STR)
			return verr(c, "map keys of %s must be strings", m->name);
		bool found = false;
		for (size_t f = 0; f < m->n_fields && !found; f++)
			found = strlen(m->fields[f].name) == k->via.str.size &&
				mem_eq(m->fields[f].name, k->via.str.ptr, k->via.str.size);
		if (!found) {
			size_t saved;
			path_push_key(c, k->via.str.ptr, k->via.str.size, &saved);
			return verr(c, "unknown field of %s", m->name);
		}
		for (uint32_t j = 0; j < i; j++) {
			const msgpack_object *k2 = &mp->ptr[j].key;
			if (k2->via.str.size == k->via.str.size && mem_eq(k2->via.str.ptr, k->via.str.ptr, k->via.str.size))
				return verr(c, "duplicate key '%.*s'", (int)k->via.str.size, k->via.str.ptr);
		}
	}
	if (pk)
		msgpack_pack_map(pk, (uint32_t)m->n_fields);
	for (size_t f = 0; f < m->n_fields; f++) {
		const struct model_field *fd = &m->fields[f];
		const msgpack_object *v = NULL;
		size_t nl = strlen(fd->name);
		for (uint32_t i = 0; i < mp->size && !v; i++)
			if (mp->ptr[i].key.via.str.size == nl && mem_eq(mp->ptr[i].key.via.str.ptr, fd->name, nl))
				v = &mp->ptr[i].val;
		size_t saved;
		path_push_key(c, fd->name, nl, &saved);
		if (pk)
			msgpack_pack_str_with_body(pk, fd->name, nl);
		if (!v) {
			if (fd->spec.def) {
				if (pk)
					json_pack_msgpack(pk, fd->spec.def);
			} else if (fd->spec.nullable) {
				if (pk)
					msgpack_pack_nil(pk);
			} else {
				return verr(c, "required field of %s is missing", m->name);
			}
		} else {
			int r = check_mp(&fd->spec, v, pk, c);
			if (r < 0)
				return r;
		}
		path_pop(c, saved);
	}
	return 0;
}

static int check_mp(const struct ftypespec *s, const msgpack_object *o, msgpack_packer *pk, struct vctx *c)
{
	if (o->type == MSGPACK_OBJECT_NIL) {
		if (!s->nullable && s->type != FT_ANY)
			return verr(c, "expected %s, got null", ftype_name(s->type));
		if (pk)
			msgpack_pack_nil(pk);
		return 0;
	}
	switch (s->type) {
	case FT_ANY:
		if (pk)
			msgpack_pack_object(pk, *o);
		return 0;
	case FT_STRING:
	case FT_DATETIME:
	case FT_ENUM:
		if (o->type != MSGPACK_OBJECT_STR)
			return verr(c, "expected %s, got %s", ftype_name(s->type), mp_type_name(o));
		if (!utf8_valid(o->via.str.ptr, o->via.str.size))
			return verr(c, "string is not valid UTF-8");
		if (s->type == FT_DATETIME && !datetime_valid(o->via.str.ptr, o->via.str.size))
			return verr(c, "'%.*s' is not an ISO 8601 date-time", (int)(o->via.str.size > 64 ? 64 : o->via.str.size), o->via.str.ptr);
		if (s->type == FT_ENUM) {
			bool ok = false;
			for (size_t i = 0; i < s->n_enum && !ok; i++)
				ok = strlen(s->enum_values[i]) == o->via.str.size && mem_eq(s->enum_values[i], o->via.str.ptr, o->via.str.size);
			if (!ok)
				return verr(c, "'%.*s' is not one of the allowed values", (int)(o->via.str.size > 64 ? 64 : o->via.str.size), o->via.str.ptr);
		}
		break;
	case FT_INTEGER:
		if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 > INT64_MAX)
			return verr(c, "integer out of range");
		if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER && o->type != MSGPACK_OBJECT_NEGATIVE_INTEGER)
			return verr(c, "expected integer, got %s", mp_type_name(o));
		break;
	case FT_FLOAT:
		if (o->type != MSGPACK_OBJECT_FLOAT32 && o->type != MSGPACK_OBJECT_FLOAT64 &&
		    o->type != MSGPACK_OBJECT_POSITIVE_INTEGER && o->type != MSGPACK_OBJECT_NEGATIVE_INTEGER)
			return verr(c, "expected float, got %s", mp_type_name(o));
		if (pk) {
			double d = o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ? (double)o->via.u64 :
				   o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ? (double)o->via.i64 : o->via.f64;
			msgpack_pack_double(pk, d);
		}
		return 0;
	case FT_BOOLEAN:
		if (o->type != MSGPACK_OBJECT_BOOLEAN)
			return verr(c, "expected boolean, got %s", mp_type_name(o));
		break;
	case FT_BLOB:
		/* actors that speak JSON send blobs as base64 strings; the canonical form is bin */
		if (o->type == MSGPACK_OBJECT_STR) {
			unsigned char *bin = NULL;
			size_t blen = 0;
			if (base64_decode(o->via.str.ptr, o->via.str.size, &bin, &blen) < 0)
				return verr(c, "blob is neither bin nor valid base64");
			if (pk) {
				msgpack_pack_bin(pk, blen);
				msgpack_pack_bin_body(pk, bin, blen);
			}
			free(bin);
			return 0;
		}
		if (o->type != MSGPACK_OBJECT_BIN)
			return verr(c, "expected blob, got %s", mp_type_name(o));
		break;
	case FT_LIST:
		if (o->type != MSGPACK_OBJECT_ARRAY)
			return verr(c, "expected list, got %s", mp_type_name(o));
		if (pk)
			msgpack_pack_array(pk, o->via.array.size);
		for (uint32_t i = 0; i < o->via.array.size; i++) {
			size_t saved;
			path_push_index(c, i, &saved);
			int r = check_mp(s->of, &o->via.array.ptr[i], pk, c);
			if (r < 0)
				return r;
			path_pop(c, saved);
		}
		return 0;
	case FT_MAP:
		if (o->type != MSGPACK_OBJECT_MAP)
			return verr(c, "expected map, got %s", mp_type_name(o));
		if (pk)
			msgpack_pack_map(pk, o->via.map.size);
		for (uint32_t i = 0; i < o->via.map.size; i++) {
			const msgpack_object *k = &o->via.map.ptr[i].key;
			if (k->type != MSGPACK_OBJECT_STR || !utf8_valid(k->via.str.ptr, k->via.str.size))
				return verr(c, "map keys must be UTF-8 strings");
			size_t saved;
			path_push_key(c, k->via.str.ptr, k->via.str.size, &saved);
			if (pk)
				msgpack_pack_str_with_body(pk, k->via.str.ptr, k->via.str.size);
			int r = check_mp(s->of, &o->via.map.ptr[i].val, pk, c);
			if (r < 0)
				return r;
			path_pop(c, saved);
		}
		return 0;
	case FT_MODEL:
		if (!s->model)
			return verr(c, "unresolved model '%s'", s->model_name);
		return check_model_mp(s->model, o, pk, c);
	}
	if (pk)
		msgpack_pack_object(pk, *o);
	return 0;
}

int model_validate_msgpack(const struct model *m, const msgpack_object *o, msgpack_packer *pk, char *err, size_t errlen)
{
	struct vctx c = {.err = err, .errlen = errlen};
	c.path[0] = 0;
	return check_model_mp(m, o, pk, &c);
}

/* ---- JSON ---- */

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "map";
	case JSON_ARRAY: return "list";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "float";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* Validates v against s, packs to pk (if any) and builds a defaults-filled copy (if ret). */
static int check_json(const struct ftypespec *s, json_t *v, msgpack_packer *pk, json_t **ret, struct vctx *c);

static int check_model_json(const struct model *m, const struct model_field *fields, size_t n_fields, json_t *v,
			    msgpack_packer *pk, json_t **ret, struct vctx *c)
{
	const char *mname = m ? m->name : "the configuration";
	if (!json_is_object(v))
		return verr(c, "expected %s (a map), got %s", mname, json_type_name(v));
	const char *key;
	json_t *val;
	json_object_foreach(v, key, val) {
		bool found = false;
		for (size_t f = 0; f < n_fields && !found; f++)
			found = !strcmp(fields[f].name, key);
		if (!found) {
			size_t saved;
			path_push_key(c, key, strlen(key), &saved);
			return verr(c, "unknown field of %s", mname);
		}
	}
	json_t *out = ret ? json_object() : NULL;
	if (pk)
		msgpack_pack_map(pk, (uint32_t)n_fields);
	for (size_t f = 0; f < n_fields; f++) {
		const struct model_field *fd = &fields[f];
		json_t *fv = json_object_get(v, fd->name);
		size_t saved;
		path_push_key(c, fd->name, strlen(fd->name), &saved);
		if (pk)
			mp_pack_str(pk, fd->name);
		json_t *sub = NULL;
		int r;
		if (!fv) {
			if (fd->spec.def)
				r = check_json(&fd->spec, fd->spec.def, pk, ret ? &sub : NULL, c);
			else if (fd->spec.nullable || fd->spec.type == FT_ANY)
				r = check_json(&fd->spec, json_null(), pk, ret ? &sub : NULL, c);
			else
				r = verr(c, "required field of %s is missing", mname);
		} else {
			r = check_json(&fd->spec, fv, pk, ret ? &sub : NULL, c);
		}
		if (r < 0) {
			json_decref(out);
			return r;
		}
		if (out)
			json_object_set_new(out, fd->name, sub);
		path_pop(c, saved);
	}
	if (ret)
		*ret = out;
	return 0;
}

static int check_json(const struct ftypespec *s, json_t *v, msgpack_packer *pk, json_t **ret, struct vctx *c);

static int check_json_list(const struct ftypespec *s, json_t *v, msgpack_packer *pk, json_t **ret, struct vctx *c)
{
	if (!json_is_array(v))
		return verr(c, "expected list, got %s", json_type_name(v));
	json_t *out = ret ? json_array() : NULL;
	if (pk)
		msgpack_pack_array(pk, json_array_size(v));
	size_t i;
	json_t *item;
	json_array_foreach(v, i, item) {
		size_t saved;
		path_push_index(c, i, &saved);
		json_t *sub = NULL;
		int r = check_json(s->of, item, pk, ret ? &sub : NULL, c);
		if (r < 0) {
			json_decref(out);
			return r;
		}
		if (out)
			json_array_append_new(out, sub);
		path_pop(c, saved);
	}
	if (ret)
		*ret = out;
	return 0;
}

static int check_json_map(const struct ftypespec *s, json_t *v, msgpack_packer *pk, json_t **ret, struct vctx *c)
{
	if (!json_is_object(v))
		return verr(c, "expected map, got %s", json_type_name(v));
	json_t *out = ret ? json_object() : NULL;
	if (pk)
		msgpack_pack_map(pk, json_object_size(v));
	const char *key;
	json_t *val;
	json_object_foreach(v, key, val) {
		size_t saved;
		path_push_key(c, key, strlen(key), &saved);
		if (pk)
			mp_pack_str(pk, key);
		json_t *sub = NULL;
		int r = check_json(s->of, val, pk, ret ? &sub : NULL, c);
		if (r < 0) {
			json_decref(out);
			return r;
		}
		if (out)
			json_object_set_new(out, key, sub);
		path_pop(c, saved);
	}
	if (ret)
		*ret = out;
	return 0;
}

static int check_json(const struct ftypespec *s, json_t *v, msgpack_packer *pk, json_t **ret, struct vctx *c)
{
	if (json_is_null(v)) {
		if (!s->nullable && s->type != FT_ANY)
			return verr(c, "expected %s, got null", ftype_name(s->type));
		if (pk)
			msgpack_pack_nil(pk);
		if (ret)
			*ret = json_null();
		return 0;
	}
	switch (s->type) {
	case FT_ANY:
		if (pk)
			json_pack_msgpack(pk, v);
		break;
	case FT_STRING:
	case FT_DATETIME:
	case FT_ENUM: {
		if (!json_is_string(v))
			return verr(c, "expected %s, got %s", ftype_name(s->type), json_type_name(v));
		const char *str = json_string_value(v);
		size_t len = json_string_length(v);
		if (s->type == FT_DATETIME && !datetime_valid(str, len))
			return verr(c, "'%.64s' is not an ISO 8601 date-time", str);
		if (s->type == FT_ENUM) {
			bool ok = false;
			for (size_t i = 0; i < s->n_enum && !ok; i++)
				ok = !strcmp(s->enum_values[i], str);
			if (!ok)
				return verr(c, "'%.64s' is not one of the allowed values", str);
		}
		if (pk)
			msgpack_pack_str_with_body(pk, str, len);
		break;
	}
	case FT_INTEGER:
		if (!json_is_integer(v))
			return verr(c, "expected integer, got %s", json_type_name(v));
		if (pk)
			msgpack_pack_int64(pk, json_integer_value(v));
		break;
	case FT_FLOAT:
		if (!json_is_number(v))
			return verr(c, "expected float, got %s", json_type_name(v));
		if (pk)
			msgpack_pack_double(pk, json_number_value(v));
		if (ret) {
			*ret = json_real(json_number_value(v));
			return 0;
		}
		break;
	case FT_BOOLEAN:
		if (!json_is_boolean(v))
			return verr(c, "expected boolean, got %s", json_type_name(v));
		if (pk) {
			if (json_is_true(v))
				msgpack_pack_true(pk);
			else
				msgpack_pack_false(pk);
		}
		break;
	case FT_BLOB: {
		if (!json_is_string(v))
			return verr(c, "expected blob (base64 string), got %s", json_type_name(v));
		unsigned char *bin = NULL;
		size_t blen = 0;
		if (base64_decode(json_string_value(v), json_string_length(v), &bin, &blen) < 0)
			return verr(c, "blob is not valid base64");
		if (pk) {
			msgpack_pack_bin(pk, blen);
			msgpack_pack_bin_body(pk, bin, blen);
		}
		free(bin);
		break;
	}
	case FT_LIST:
		return check_json_list(s, v, pk, ret, c);
	case FT_MAP:
		return check_json_map(s, v, pk, ret, c);
	case FT_MODEL:
		if (!s->model)
			return verr(c, "unresolved model '%s'", s->model_name);
		return check_model_json(s->model, s->model->fields, s->model->n_fields, v, pk, ret, c);
	}
	if (ret)
		*ret = json_incref(v);
	return 0;
}

int model_pack_json(const struct model *m, json_t *data, msgpack_packer *pk, char *err, size_t errlen)
{
	struct vctx c = {.err = err, .errlen = errlen};
	c.path[0] = 0;
	return check_model_json(m, m->fields, m->n_fields, data, pk, NULL, &c);
}

int ftypespec_check_json(const struct ftypespec *s, json_t *v, json_t **ret, char *err, size_t errlen)
{
	struct vctx c = {.err = err, .errlen = errlen};
	c.path[0] = 0;
	json_t *out = NULL;
	int r = check_json(s, v, NULL, &out, &c);
	if (r < 0)
		return r;
	if (ret)
		*ret = out;
	else
		json_decref(out);
	return 0;
}

json_t *msgpack_to_json(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL: return json_null();
	case MSGPACK_OBJECT_BOOLEAN: return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		return o->via.u64 > INT64_MAX ? json_real((double)o->via.u64) : json_integer((json_int_t)o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return json_integer(o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return isfinite(o->via.f64) ? json_real(o->via.f64) : json_null();
	case MSGPACK_OBJECT_STR: {
		json_t *s = json_stringn(o->via.str.ptr, o->via.str.size);
		return s ? s : json_null();
	}
	case MSGPACK_OBJECT_BIN: {
		char *b = base64_encode(o->via.bin.ptr, o->via.bin.size);
		json_t *s = json_string(b);
		free(b);
		return s;
	}
	case MSGPACK_OBJECT_ARRAY: {
		json_t *a = json_array();
		for (uint32_t i = 0; i < o->via.array.size; i++)
			json_array_append_new(a, msgpack_to_json(&o->via.array.ptr[i]));
		return a;
	}
	case MSGPACK_OBJECT_MAP: {
		json_t *m = json_object();
		for (uint32_t i = 0; i < o->via.map.size; i++) {
			const msgpack_object *k = &o->via.map.ptr[i].key;
			if (k->type != MSGPACK_OBJECT_STR)
				continue;
			_cleanup_free_ char *ks = xstrndup(k->via.str.ptr, k->via.str.size);
			json_object_set_new(m, ks, msgpack_to_json(&o->via.map.ptr[i].val));
		}
		return m;
	}
	case MSGPACK_OBJECT_EXT:
		return json_null();
	}
	return json_null();
}

void json_pack_msgpack(msgpack_packer *pk, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		msgpack_pack_map(pk, json_object_size(v));
		const char *k;
		json_t *val;
		json_object_foreach(v, k, val) {
			mp_pack_str(pk, k);
			json_pack_msgpack(pk, val);
		}
		break;
	}
	case JSON_ARRAY: {
		msgpack_pack_array(pk, json_array_size(v));
		size_t i;
		json_t *val;
		json_array_foreach(v, i, val)
			json_pack_msgpack(pk, val);
		break;
	}
	case JSON_STRING:
		msgpack_pack_str_with_body(pk, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		msgpack_pack_int64(pk, json_integer_value(v));
		break;
	case JSON_REAL:
		msgpack_pack_double(pk, json_real_value(v));
		break;
	case JSON_TRUE:
		msgpack_pack_true(pk);
		break;
	case JSON_FALSE:
		msgpack_pack_false(pk);
		break;
	case JSON_NULL:
		msgpack_pack_nil(pk);
		break;
	}
}

/* ---- YAML values typed by a spec (actor configuration, defaults) ---- */

static int yerr(char **ret_err, const char *file, int line, const char *path, const char *fmt, ...) _printf_(5, 6);
static int yerr(char **ret_err, const char *file, int line, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *m = xvasprintf(fmt, ap);
	va_end(ap);
	*ret_err = xasprintf("%s:%d: key '%s': %s", file, line, path, m);
	return -EINVAL;
}

int fields_json_from_yaml(const struct model_field *fields, size_t n_fields, const struct ynode *map, const char *file,
			  const char *path, json_t **ret, char **ret_err, json_t *ret_unknown)
{
	if (!map || map->kind != YNODE_MAP)
		return yerr(ret_err, file, map ? map->line : 0, path, "expected a map");
	json_t *out = json_object();
	for (size_t i = 0; i < map->n; i++) {
		const struct model_field *fd = NULL;
		for (size_t f = 0; f < n_fields && !fd; f++)
			if (!strcmp(fields[f].name, map->keys[i]))
				fd = &fields[f];
		_cleanup_free_ char *sub = *path ? xasprintf("%s.%s", path, map->keys[i]) : xstrdup(map->keys[i]);
		if (!fd) {
			if (ret_unknown) {
				json_array_append_new(ret_unknown, json_sprintf("%s:%d: unknown key '%s'", file, map->key_lines[i], sub));
				continue;
			}
			json_decref(out);
			return yerr(ret_err, file, map->key_lines[i], sub, "unknown key");
		}
		json_t *v = NULL;
		if (ftypespec_json_from_yaml(&fd->spec, map->items[i], file, sub, &v, ret_err) < 0) {
			json_decref(out);
			return -EINVAL;
		}
		json_object_set_new(out, fd->name, v);
	}
	for (size_t f = 0; f < n_fields; f++) {
		if (json_object_get(out, fields[f].name))
			continue;
		if (fields[f].spec.def)
			json_object_set(out, fields[f].name, fields[f].spec.def);
		else if (fields[f].spec.nullable || fields[f].spec.type == FT_ANY)
			json_object_set_new(out, fields[f].name, json_null());
		else {
			json_decref(out);
			_cleanup_free_ char *sub = *path ? xasprintf("%s.%s", path, fields[f].name) : xstrdup(fields[f].name);
			return yerr(ret_err, file, map->line, sub, "required key is missing");
		}
	}
	*ret = out;
	return 0;
}

int ftypespec_json_from_yaml(const struct ftypespec *s, const struct ynode *n, const char *file, const char *path,
			     json_t **ret, char **ret_err)
{
	if (ynode_is_null(n)) {
		if (!s->nullable && s->type != FT_ANY)
			return yerr(ret_err, file, n ? n->line : 0, path, "expected %s, got null", ftype_name(s->type));
		*ret = json_null();
		return 0;
	}
	switch (s->type) {
	case FT_ANY:
		*ret = ynode_to_json(n);
		return 0;
	case FT_STRING:
	case FT_DATETIME:
	case FT_ENUM:
	case FT_BLOB:
		if (n->kind != YNODE_SCALAR)
			return yerr(ret_err, file, n->line, path, "expected %s, got a %s", ftype_name(s->type),
				    n->kind == YNODE_MAP ? "map" : "list");
		if (s->type == FT_DATETIME && !datetime_valid(n->scalar, strlen(n->scalar)))
			return yerr(ret_err, file, n->line, path, "'%s' is not an ISO 8601 date-time", n->scalar);
		if (s->pattern && *n->scalar) {
			regex_t re;
			bool ok = regcomp(&re, s->pattern, REG_EXTENDED | REG_NOSUB) == 0 && regexec(&re, n->scalar, 0, NULL, 0) == 0;
			regfree(&re);
			if (!ok)
				return yerr(ret_err, file, n->line, path, "'%s' does not match '%s'", n->scalar, s->pattern);
		}
		if (s->type == FT_ENUM) {
			bool ok = false;
			for (size_t i = 0; i < s->n_enum && !ok; i++)
				ok = !strcmp(s->enum_values[i], n->scalar);
			if (!ok)
				return yerr(ret_err, file, n->line, path, "'%s' is not one of the allowed values", n->scalar);
		}
		*ret = json_string(n->scalar);
		if (!*ret)
			return yerr(ret_err, file, n->line, path, "string is not valid UTF-8");
		return 0;
	case FT_INTEGER: {
		long long v;
		if (ynode_int(n, &v) < 0)
			return yerr(ret_err, file, n->line, path, "expected integer, got '%s'",
				    n->kind == YNODE_SCALAR ? n->scalar : "a collection");
		*ret = json_integer(v);
		return 0;
	}
	case FT_FLOAT: {
		double v;
		if (ynode_double(n, &v) < 0)
			return yerr(ret_err, file, n->line, path, "expected a number, got '%s'",
				    n->kind == YNODE_SCALAR ? n->scalar : "a collection");
		*ret = json_real(v);
		return 0;
	}
	case FT_BOOLEAN: {
		bool v;
		if (ynode_bool(n, &v) < 0)
			return yerr(ret_err, file, n->line, path, "expected true or false, got '%s'",
				    n->kind == YNODE_SCALAR ? n->scalar : "a collection");
		*ret = json_boolean(v);
		return 0;
	}
	case FT_LIST: {
		if (n->kind != YNODE_SEQ)
			return yerr(ret_err, file, n->line, path, "expected a list");
		json_t *a = json_array();
		for (size_t i = 0; i < n->n; i++) {
			_cleanup_free_ char *sub = xasprintf("%s[%zu]", path, i);
			json_t *v = NULL;
			if (ftypespec_json_from_yaml(s->of, n->items[i], file, sub, &v, ret_err) < 0) {
				json_decref(a);
				return -EINVAL;
			}
			json_array_append_new(a, v);
		}
		*ret = a;
		return 0;
	}
	case FT_MAP: {
		if (n->kind != YNODE_MAP)
			return yerr(ret_err, file, n->line, path, "expected a map");
		json_t *o = json_object();
		for (size_t i = 0; i < n->n; i++) {
			_cleanup_free_ char *sub = xasprintf("%s.%s", path, n->keys[i]);
			json_t *v = NULL;
			if (ftypespec_json_from_yaml(s->of, n->items[i], file, sub, &v, ret_err) < 0) {
				json_decref(o);
				return -EINVAL;
			}
			json_object_set_new(o, n->keys[i], v);
		}
		*ret = o;
		return 0;
	}
	case FT_MODEL:
		if (!s->model) {
			*ret = ynode_to_json(n);
			return 0;
		}
		return fields_json_from_yaml(s->model->fields, s->model->n_fields, n, file, path, ret, ret_err, NULL);
	}
	return -EINVAL;
}
