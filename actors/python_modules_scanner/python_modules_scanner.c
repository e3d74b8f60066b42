/* FactsCollection: Python modules that no package installed (pip, setup.py, copied files), in
 * the site-packages directories of the source's python3 (3.6 on release 8), which the target's
 * /usr/bin/python3 no longer reads, and of the target's python3 (3.9 for release 9), which it
 * does (upstream scan_third_party_target_python_modules). Each directory's top-level entries
 * are checked against the rpmdb in one pass. */
#include <dirent.h>

#include "sys.h"
#include "leapp/actor.h"
#include "rpm.h"

static const char *const site_prefixes[] = {"/usr/lib", "/usr/lib64", "/usr/local/lib", "/usr/local/lib64"};

/* The unowned entries of python's site-packages directories, as paths */
static json_t *unowned(const char *python)
{
	json_t *out = json_array();
	for (size_t d = 0; d < ELEMENTSOF(site_prefixes); d++) {
		_cleanup_free_ char *dir = xasprintf("%s/%s/site-packages", site_prefixes[d], python);
		_cleanup_free_ char *full = actor_path(dir);
		struct dirent **ents = NULL;
		int n = scandir(full, &ents, NULL, alphasort);
		if (n <= 0) {
			free(ents);
			continue;
		}
		const char **paths = xcalloc((size_t)n, sizeof(char *));
		size_t np = 0;
		for (int i = 0; i < n; i++) {
			const char *e = ents[i]->d_name;
			if (e[0] != '.' && strcmp(e, "__pycache__") && strcmp(e, "README.txt") && strcmp(e, "README"))
				paths[np++] = xasprintf("%s/%s", dir, e);
		}
		bool *owned = xcalloc(np ? np : 1, sizeof(bool));
		int r = rpmdb_paths_owned(actor_root(), paths, np, owned);
		if (r < 0 && r != -ENOENT)
			actor_warning("cannot read the rpmdb for %s: %s", dir, strerror(-r));
		for (size_t i = 0; i < np; i++) {
			if ((r >= 0 || r == -ENOENT) && !owned[i])
				json_array_append_new(out, json_string(paths[i]));
			free((char *)paths[i]);
		}
		for (int i = 0; i < n; i++)
			free(ents[i]);
		free(ents);
		free(paths);
		free(owned);
	}
	return out;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	/* the platform Python of each release: 8's python3 is 3.6, 9's 3.9, 10's 3.12 */
	int src = ipu_source_major(ipu), tgt = ipu_target_major(ipu);
	const char *sp = src == 8 ? "python3.6" : src == 9 ? "python3.9" : NULL;
	const char *tp = tgt == 9 ? "python3.9" : tgt == 10 ? "python3.12" : NULL;
	json_t *out = json_object();
	if (sp) {
		json_object_set_new(out, "source_python", json_string(sp));
		json_object_set_new(out, "source_modules", unowned(sp));
	}
	if (tp) {
		json_object_set_new(out, "target_python", json_string(tp));
		json_object_set_new(out, "target_modules", unowned(tp));
	}
	actor_produce("ThirdPartyPythonModules", out);
	json_decref(ipu);
	return actor_finish();
}
