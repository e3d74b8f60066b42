/* FactsCollection: enabled systemd units, from the links in /etc/systemd/system. A missing
 * directory means none are enabled. */
#include "fs.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *wanted_by = json_object();
	/* listed inside the root: a .wants directory may be a symlink, absolute ones included */
	char **ents = NULL;
	int ne = fs_root_dir_list("/etc/systemd/system", NULL, &ents);
	for (int i = 0; i < ne; i++) {
		const char *n = ents[i];
		size_t l = strlen(n);
		const char *suffix = str_endswith(n, ".wants") ? ".wants" : str_endswith(n, ".requires") ? ".requires" : NULL;
		if (n[0] == '.' || !suffix)
			continue;
		_cleanup_free_ char *target = xstrndup(n, l - strlen(suffix));
		_cleanup_free_ char *sub = xasprintf("/etc/systemd/system/%s", n);
		char **units = NULL;
		int nu = fs_root_dir_list(sub, NULL, &units);
		for (int u = 0; u < nu; u++) {
			if (units[u][0] == '.')
				continue;
			json_t *prev = json_object_get(wanted_by, units[u]);
			_cleanup_free_ char *v = prev ? xasprintf("%s,%s", json_string_value(prev), target) : xstrdup(target);
			json_object_set_new(wanted_by, units[u], json_string(v));
		}
		fs_strv_free(units);
	}
	fs_strv_free(ents); /* NULL when absent: no unit enabled */
	/* sorted names, and each unit's targets sorted too, so the message is deterministic */
	size_t n = json_object_size(wanted_by), k = 0;
	const char **names = xcalloc(n ? n : 1, sizeof(char *));
	const char *key;
	json_t *val;
	json_object_foreach(wanted_by, key, val)
		names[k++] = key;
	qsort(names, n, sizeof(char *), str_cmp_qsort);
	json_t *enabled = json_array();
	json_t *wb = json_object();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(enabled, json_string(names[i]));
		_cleanup_free_ char *copy = xstrdup(json_string_value(json_object_get(wanted_by, names[i])));
		char *parts[64];
		size_t np = 0;
		char *save = NULL;
		for (char *t = strtok_r(copy, ",", &save); t && np < 64; t = strtok_r(NULL, ",", &save))
			parts[np++] = t;
		qsort(parts, np, sizeof(char *), str_cmp_qsort);
		struct buf b = {0};
		for (size_t q = 0; q < np; q++)
			buf_printf(&b, "%s%s", q ? "," : "", parts[q]);
		json_object_set_new(wb, names[i], json_string(b.data ? b.data : ""));
		buf_free(&b);
	}
	free(names);
	json_t *out = json_pack("{s:o, s:o}", "enabled", enabled, "wanted_by", wb);
	_cleanup_free_ char *link = NULL;
	if (fs_root_readlink("/etc/systemd/system/default.target", &link) == 0 && *link) {
		const char *base = strrchr(link, '/');
		json_object_set_new(out, "default_target", json_string(base ? base + 1 : link));
	}
	actor_info("%zu enabled units", json_array_size(enabled));
	actor_produce("SystemdUnits", out);
	json_decref(wanted_by);
	return actor_finish();
}
