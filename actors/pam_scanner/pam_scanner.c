/* FactsCollection: which PAM modules each /etc/pam.d file uses. The files are read inside the root:
 * authselect's are absolute symlinks (/etc/pam.d/system-auth -> /etc/authselect/system-auth). */
#include <ctype.h>

#include "fs.h"
#include "leapp/actor.h"

/* The module of one pam.d line: "[-]type control module [args]", control possibly
 * "[value=action ...]". Returns the module name without directory and ".so", or NULL. */
static char *line_module(char *l)
{
	while (isspace((unsigned char)*l))
		l++;
	if (!*l || *l == '#' || *l == '@')
		return NULL;
	while (*l && !isspace((unsigned char)*l)) /* type */
		l++;
	while (isspace((unsigned char)*l))
		l++;
	if (*l == '[') {
		char *end = strchr(l, ']');
		if (!end)
			return NULL;
		l = end + 1;
	} else {
		char *ctl = l;
		while (*l && !isspace((unsigned char)*l))
			l++;
		/* "include" and "substack" name another pam.d file, not a module */
		if ((l - ctl == 7 && !strncmp(ctl, "include", 7)) || (l - ctl == 8 && !strncmp(ctl, "substack", 8)))
			return NULL;
	}
	while (isspace((unsigned char)*l))
		l++;
	char *m = l;
	while (*l && !isspace((unsigned char)*l))
		l++;
	if (l == m)
		return NULL;
	_cleanup_free_ char *path = xstrndup(m, (size_t)(l - m));
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t bl = strlen(base);
	if (bl > 3 && !strcmp(base + bl - 3, ".so"))
		bl -= 3;
	return xstrndup(base, bl);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *uses = json_object(); /* module -> [files] */
	char **names = NULL;
	int n = fs_root_dir_list("/etc/pam.d", NULL, &names); /* sorted */
	for (int i = 0; i < n; i++) {
		if (names[i][0] == '.')
			continue;
		_cleanup_free_ char *shown = xasprintf("/etc/pam.d/%s", names[i]);
		_cleanup_free_ char *data = NULL;
		if (fs_root_read(shown, 1u << 20, &data, NULL) < 0)
			continue;
		char *save = NULL;
		for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			_cleanup_free_ char *m = line_module(l);
			if (!m)
				continue;
			json_t *files = json_object_get(uses, m);
			if (!files) {
				files = json_array();
				json_object_set_new(uses, m, files);
			}
			size_t last = json_array_size(files);
			if (!last || strcmp(json_string_value(json_array_get(files, last - 1)), shown))
				json_array_append_new(files, json_string(shown));
		}
	}
	fs_strv_free(names); /* NULL when the directory could not be listed */
	size_t nm = json_object_size(uses), k = 0;
	const char **mods = xcalloc(nm ? nm : 1, sizeof(char *));
	const char *key;
	json_t *v;
	json_object_foreach(uses, key, v)
		mods[k++] = key;
	qsort(mods, nm, sizeof(char *), str_cmp_qsort);
	json_t *list = json_array();
	for (size_t i = 0; i < nm; i++)
		json_array_append_new(list, json_pack("{s:s, s:O}", "module", mods[i], "files", json_object_get(uses, mods[i])));
	free(mods);
	actor_produce("PamConfiguration", json_pack("{s:o}", "modules", list));
	json_decref(uses);
	return actor_finish();
}
