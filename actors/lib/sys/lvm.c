/* LVM2's text metadata format (/etc/lvm/backup/<vg>, lvm.conf-like): sections "name { ... }",
 * "key = value" with strings, integers and [lists]; "#" starts a comment outside strings. */
#include <ctype.h>

#include "leapp/actor.h"
#include "sys.h"

struct lvmp {
	const char *p, *end, *shown;
	int line;
	char *err;
};

static void skip_space(struct lvmp *s)
{
	while (s->p < s->end) {
		if (*s->p == '\n') {
			s->line++;
			s->p++;
		} else if (isspace((unsigned char)*s->p))
			s->p++;
		else if (*s->p == '#')
			while (s->p < s->end && *s->p != '\n')
				s->p++;
		else
			break;
	}
}

static int fail(struct lvmp *s, const char *what)
{
	if (!s->err)
		s->err = xasprintf("%s:%d: %s", s->shown, s->line, what);
	return -EINVAL;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '+' || c == '-';
}

/* A string, an integer (or a float, kept as a real) or a list of those. */
static json_t *parse_value(struct lvmp *s, bool in_list)
{
	skip_space(s);
	if (s->p >= s->end)
		return fail(s, "a value is missing at the end of the file"), NULL;
	if (*s->p == '"') {
		struct buf b = {0};
		for (s->p++; s->p < s->end && *s->p != '"'; s->p++) {
			if (*s->p == '\\' && s->p + 1 < s->end)
				s->p++;
			if (*s->p == '\n')
				s->line++;
			buf_append(&b, s->p, 1);
		}
		if (s->p >= s->end) {
			free(buf_steal(&b));
			return fail(s, "a string is not closed"), NULL;
		}
		s->p++;
		char *str = buf_steal(&b);
		json_t *v = json_string(str);
		free(str);
		return v ? v : (fail(s, "a string is not valid UTF-8"), NULL);
	}
	if (*s->p == '[' && !in_list) {
		json_t *a = json_array();
		s->p++;
		for (;;) {
			skip_space(s);
			if (s->p < s->end && *s->p == ']') {
				s->p++;
				return a;
			}
			json_t *v = parse_value(s, true);
			if (!v) {
				json_decref(a);
				return NULL;
			}
			json_array_append_new(a, v);
			skip_space(s);
			if (s->p < s->end && *s->p == ',')
				s->p++;
			else if (s->p >= s->end || *s->p != ']') {
				json_decref(a);
				return fail(s, "a list needs ',' or ']'"), NULL;
			}
		}
	}
	char *q;
	errno = 0;
	long long n = strtoll(s->p, &q, 10);
	if (q > s->p && q <= s->end && (q == s->end || !is_name_char(*q) || *q == '.')) {
		if (q < s->end && *q == '.') {
			double d = strtod(s->p, &q);
			s->p = q;
			return json_real(d);
		}
		if (errno)
			return fail(s, "a number out of range"), NULL;
		s->p = q;
		return json_integer(n);
	}
	return fail(s, "expected a string, a number or a list"), NULL;
}

/* The body of a section (or the whole file) up to '}' (or the end): an object. */
static json_t *parse_body(struct lvmp *s, bool top)
{
	json_t *o = json_object();
	for (;;) {
		skip_space(s);
		if (s->p >= s->end) {
			if (top)
				return o;
			json_decref(o);
			return fail(s, "a section is not closed with '}'"), NULL;
		}
		if (*s->p == '}') {
			if (top) {
				json_decref(o);
				return fail(s, "'}' without a section"), NULL;
			}
			s->p++;
			return o;
		}
		const char *k = s->p;
		while (s->p < s->end && is_name_char(*s->p))
			s->p++;
		if (s->p == k) {
			json_decref(o);
			return fail(s, "expected a name"), NULL;
		}
		_cleanup_free_ char *key = xstrndup(k, (size_t)(s->p - k));
		skip_space(s);
		json_t *v = NULL;
		if (s->p < s->end && *s->p == '{') {
			s->p++;
			v = parse_body(s, false);
		} else if (s->p < s->end && *s->p == '=') {
			s->p++;
			v = parse_value(s, false);
		} else
			fail(s, "expected '=' or '{' after a name");
		if (!v) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, key, v);
	}
}

int lvm_metadata_parse(const char *data, size_t len, const char *shown, json_t **ret, char **ret_err)
{
	struct lvmp s = {.p = data, .end = data + len, .shown = shown, .line = 1};
	json_t *o = parse_body(&s, true);
	if (!o) {
		*ret_err = s.err;
		return -EINVAL;
	}
	*ret = o;
	return 0;
}

static long long int_of(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* One LV: its allocated extents (striped/linear segments take extents from PVs; thin, snapshot,
 * raid and pool segments are made of hidden sub-LVs, which carry their own striped segments). */
static json_t *lv_to_json(const char *name, json_t *lv, long long *ret_alloc)
{
	long long extents = 0, alloc = 0;
	const char *type = "linear", *origin = NULL, *pool = NULL;
	const char *k;
	json_t *seg;
	json_object_foreach(lv, k, seg) {
		if (!json_is_object(seg) || !str_startswith(k, "segment"))
			continue;
		long long n = int_of(seg, "extent_count");
		const char *t = json_string_value(json_object_get(seg, "type")) ?: "";
		if (n > 0)
			extents += n;
		if (!strcmp(t, "striped")) {
			if (n > 0)
				alloc += n;
		} else
			type = t;
		if (!strcmp(t, "snapshot"))
			origin = json_string_value(json_object_get(seg, "origin"));
		if (!strcmp(t, "thin"))
			pool = json_string_value(json_object_get(seg, "thin_pool"));
	}
	json_t *status = json_object_get(lv, "status");
	bool visible = false;
	size_t i;
	json_t *x;
	json_array_foreach(status, i, x)
		if (!strcmp(json_string_value(x) ?: "", "VISIBLE"))
			visible = true;
	*ret_alloc = alloc;
	return json_pack("{s:s, s:s, s:I, s:b, s:s?, s:s?}", "name", name, "type", type, "extents", (json_int_t)extents,
			 "visible", visible, "origin", origin, "thin_pool", pool);
}

int lvm_vg_summary(json_t *md, const char *shown, json_t **ret, char **ret_err)
{
	const char *vgname = NULL;
	json_t *vg = NULL;
	const char *k;
	json_t *v;
	json_object_foreach(md, k, v)
		if (json_is_object(v) && json_is_object(json_object_get(v, "physical_volumes"))) {
			vgname = k;
			vg = v;
		}
	long long esz = vg ? int_of(vg, "extent_size") : -1;
	if (!vg || esz <= 0) {
		*ret_err = xasprintf("%s: no volume group with physical_volumes and extent_size", shown);
		return -EINVAL;
	}
	long long pe = 0, alloc = 0;
	json_object_foreach(json_object_get(vg, "physical_volumes"), k, v) {
		long long n = int_of(v, "pe_count");
		if (n < 0) {
			*ret_err = xasprintf("%s: physical volume %s has no pe_count", shown, k);
			return -EINVAL;
		}
		pe += n;
	}
	json_t *lvs = json_array();
	json_object_foreach(json_object_get(vg, "logical_volumes"), k, v) {
		long long a = 0;
		json_array_append_new(lvs, lv_to_json(k, v, &a));
		alloc += a;
	}
	if (alloc > pe) {
		json_decref(lvs);
		*ret_err = xasprintf("%s: the logical volumes use %lld extents, the physical volumes have %lld", shown, alloc, pe);
		return -EINVAL;
	}
	/* extent_size is in 512-byte sectors */
	*ret = json_pack("{s:s, s:I, s:I, s:I, s:o}", "name", vgname, "extent_size_bytes", (json_int_t)(esz * 512),
			 "pe_count", (json_int_t)pe, "free_extents", (json_int_t)(pe - alloc), "lvs", lvs);
	return 0;
}
