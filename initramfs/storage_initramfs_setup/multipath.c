/* The multipath configuration changes release 9 needs (upstream's multipathconfread and
 * multipath_upgrade_conf_patcher): release 9 ignores USB devices unless allow_usb_devices is
 * set and enables foreign multipath libraries unless enable_foreign says otherwise, so the
 * release 8 behaviour is written out explicitly (in the main file only, when no file sets
 * them); and a bare "*" is no longer a valid regular expression ("." + "*" is). */
#include "multipath.h"

#include <stdlib.h>
#include <string.h>

#include "leapp/util.h"

static const char *const regex_keys[] = {"vendor", "product", "revision", "product_blacklist", "devnode",
					 "wwid", "property", "protocol"};

struct mp_line {
	enum { MP_BLANK, MP_START, MP_END, MP_OPTION } type;
	char key[64];
	char value[256];
};

/* Classify one line (comments: # or ! outside quotes). */
static void mp_parse(const char *line, struct mp_line *ret)
{
	char buf[1024];
	size_t n = 0;
	bool q = false;
	for (const char *p = line; *p && n < sizeof(buf) - 1; p++) {
		if (*p == '"')
			q = !q;
		if (!q && (*p == '#' || *p == '!'))
			break;
		buf[n++] = *p;
	}
	buf[n] = 0;
	char *s = buf;
	while (*s == ' ' || *s == '\t')
		s++;
	for (char *e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
		e[-1] = 0;
	memset(ret, 0, sizeof(*ret));
	if (!*s) {
		ret->type = MP_BLANK;
		return;
	}
	if (!strcmp(s, "}")) {
		ret->type = MP_END;
		return;
	}
	size_t kl = strcspn(s, " \t");
	snprintf(ret->key, sizeof(ret->key), "%.*s", (int)kl, s);
	const char *v = s + kl;
	while (*v == ' ' || *v == '\t')
		v++;
	if (!strcmp(v, "{")) {
		ret->type = MP_START;
		return;
	}
	ret->type = MP_OPTION;
	size_t vl = strlen(v);
	if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"')
		snprintf(ret->value, sizeof(ret->value), "%.*s", (int)(vl - 2), v + 1);
	else
		snprintf(ret->value, sizeof(ret->value), "%s", v);
}

bool multipath_conf_scan(const char *text, bool *ret_foreign, bool *ret_usb)
{
	int depth = 0;
	bool in_defaults = false;
	_cleanup_free_ char *copy = xstrdup(text);
	char *save = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct mp_line m;
		mp_parse(l, &m);
		if (m.type == MP_START) {
			if (depth++ == 0)
				in_defaults = !strcmp(m.key, "defaults");
		} else if (m.type == MP_END && depth > 0) {
			if (--depth == 0)
				in_defaults = false;
		} else if (m.type == MP_OPTION && in_defaults && depth == 1) {
			*ret_foreign |= !strcmp(m.key, "enable_foreign");
			*ret_usb |= !strcmp(m.key, "allow_usb_devices");
		}
	}
	return true;
}

char *multipath_conf_patch(const char *text, bool add_foreign, bool add_usb, bool *ret_changed)
{
	struct buf out = {0};
	int depth = 0;
	bool changed = false, defaults_seen = false;
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		_cleanup_free_ char *line = strndup(p, n);
		struct mp_line m;
		mp_parse(line, &m);
		bool fixed = false;
		if (m.type == MP_OPTION && !strcmp(m.value, "*"))
			for (size_t i = 0; i < ELEMENTSOF(regex_keys); i++)
				fixed |= !strcmp(m.key, regex_keys[i]);
		if (fixed) {
			char *star = strchr(line, '*');
			buf_printf(&out, "%.*s.*%s # line modified by Leapp\n", (int)(star - line), line, star + 1);
			changed = true;
		} else
			buf_printf(&out, "%s\n", line);
		if (m.type == MP_START && depth++ == 0 && !strcmp(m.key, "defaults") && !defaults_seen) {
			defaults_seen = true;
			if (add_foreign)
				buf_printf(&out, "\tenable_foreign \"\" # line added by Leapp\n");
			if (add_usb)
				buf_printf(&out, "\tallow_usb_devices yes # line added by Leapp\n");
			changed |= add_foreign || add_usb;
		} else if (m.type == MP_END && depth > 0)
			depth--;
		p = e ? e + 1 : p + n;
	}
	if (!defaults_seen && (add_foreign || add_usb)) {
		buf_printf(&out, "defaults { # section added by Leapp\n%s%s}\n", add_foreign ? "\tenable_foreign \"\"\n" : "",
			   add_usb ? "\tallow_usb_devices yes\n" : "");
		changed = true;
	}
	buf_append(&out, "", 1);
	*ret_changed = changed;
	return out.data;
}
