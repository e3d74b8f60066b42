/* distro/<id>/gpg-signatures.json: the distribution's signing keys and the keys each target
 * major release obsoletes, checked whole when read (see rpm.h, "sigs"). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "rpm.h"
#include "leapp/util.h"

/* n hex digits at s */
static bool hex_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* gpg-pubkey-<8 hex>-<8 hex>, the NVR rpm gives an imported key */
static bool pubkey_nvr_valid(const char *s)
{
	return s && strlen(s) == 28 && str_startswith(s, "gpg-pubkey-") && hex_n(s + 11, 8) && s[19] == '-' &&
	       hex_n(s + 20, 8);
}

/* a JSON array of gpg-pubkey NVRs, each copied lowercased into a new array */
static json_t *nvr_list(json_t *v, const char *shown, const char *where, char **ret_err)
{
	if (!json_is_array(v)) {
		*ret_err = xasprintf("%s: %s: not a list of gpg-pubkey names", shown, where);
		return NULL;
	}
	json_t *out = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e) {
		const char *s = json_string_value(e);
		if (!pubkey_nvr_valid(s)) {
			*ret_err = xasprintf("%s: %s[%zu]: not a gpg-pubkey-<8 hex>-<8 hex> name", shown, where, i);
			json_decref(out);
			return NULL;
		}
		char *low = xstrdup(s);
		for (char *p = low; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		json_array_append_new(out, json_string(low));
		free(low);
	}
	return out;
}

static bool major_valid(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)k[i]))
			return false;
	return true;
}

static int sigs_keys(json_t *keys, const char *shown, struct rpm_sigs *ret, char **ret_err)
{
	if (!json_is_object(keys)) {
		*ret_err = xasprintf("%s: no \"keys\" object", shown);
		return -EINVAL;
	}
	const char *id;
	json_t *v;
	json_object_foreach(keys, id, v) {
		if (strlen(id) != 16 || !hex_n(id, 16)) {
			*ret_err = xasprintf("%s: keys: \"%s\" is not a key id (16 hex digits)", shown, id);
			return -EINVAL;
		}
		_cleanup_free_ char *where = xasprintf("keys.%s", id);
		json_t *l = nvr_list(v, shown, where, ret_err);
		if (!l)
			return -EINVAL;
		char low[17];
		for (size_t i = 0; i < 16; i++)
			low[i] = (char)tolower((unsigned char)id[i]);
		low[16] = '\0';
		json_object_set_new(ret->keys, low, l);
	}
	return 0;
}

static int sigs_obsoleted(json_t *obs, const char *shown, struct rpm_sigs *ret, char **ret_err)
{
	if (!obs)
		return 0;
	if (!json_is_object(obs)) {
		*ret_err = xasprintf("%s: \"obsoleted-keys\" is not an object of release majors", shown);
		return -EINVAL;
	}
	const char *major;
	json_t *v;
	json_object_foreach(obs, major, v) {
		if (!major_valid(major)) {
			*ret_err = xasprintf("%s: obsoleted-keys: \"%s\" is not a release major", shown, major);
			return -EINVAL;
		}
		_cleanup_free_ char *where = xasprintf("obsoleted-keys.%s", major);
		json_t *l = nvr_list(v, shown, where, ret_err);
		if (!l)
			return -EINVAL;
		json_object_set_new(ret->obsoleted, major, l);
	}
	return 0;
}

int rpm_sigs_from_json(json_t *doc, const char *shown, struct rpm_sigs *ret, char **ret_err)
{
	*ret = (struct rpm_sigs){.keys = json_object(), .obsoleted = json_object()};
	int r = -EINVAL;
	if (!json_is_object(doc))
		*ret_err = xasprintf("%s: not a JSON object", shown);
	else if ((r = sigs_keys(json_object_get(doc, "keys"), shown, ret, ret_err)) == 0)
		r = sigs_obsoleted(json_object_get(doc, "obsoleted-keys"), shown, ret, ret_err);
	if (r < 0)
		rpm_sigs_clear(ret);
	return r;
}

int rpm_sigs_parse(const char *data, size_t len, const char *shown, struct rpm_sigs *ret, char **ret_err)
{
	json_error_t je;
	json_t *doc = json_loadb(data, len, 0, &je);
	if (!doc) {
		*ret = (struct rpm_sigs){0};
		*ret_err = xasprintf("%s:%d:%d: %s", shown, je.line, je.column, je.text);
		return -EINVAL;
	}
	int r = rpm_sigs_from_json(doc, shown, ret, ret_err);
	json_decref(doc);
	return r;
}

bool rpm_sigs_has_key(const struct rpm_sigs *s, const char *key_id)
{
	if (!key_id || strlen(key_id) != 16)
		return false;
	char low[17];
	for (size_t i = 0; i < 16; i++)
		low[i] = (char)tolower((unsigned char)key_id[i]);
	low[16] = '\0';
	return json_object_get(s->keys, low) != NULL;
}

bool rpm_sigs_has_pubkey(const struct rpm_sigs *s, const char *nvr)
{
	const char *k;
	json_t *list;
	json_object_foreach(s->keys, k, list) {
		size_t i;
		json_t *v;
		json_array_foreach(list, i, v)
			if (!strcasecmp(json_string_value(v), nvr))
				return true;
	}
	return false;
}

json_t *rpm_sigs_obsoleted(const struct rpm_sigs *s, int major)
{
	char mk[16];
	snprintf(mk, sizeof(mk), "%d", major);
	return json_object_get(s->obsoleted, mk);
}

void rpm_sigs_clear(struct rpm_sigs *s)
{
	json_decref(s->keys);
	json_decref(s->obsoleted);
	*s = (struct rpm_sigs){0};
}
