/* Preparation (before the RPM transaction): move aside the directories that a package of the
 * transaction replaces with a symlink or a file (DirToSymlinkTasks, from check_dir_to_symlink),
 * so that rpm can create its entry: <path> becomes <path>.leappsave (.leappsave.N when taken).
 * Safe to run twice: a path that is no longer a directory is left alone. */
#include <stdio.h>
#include <sys/stat.h>

#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *t = actor_consume_last("DirToSymlinkTasks");
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(t, "items"), i, it) {
		const char *path = json_string_value(json_object_get(it, "path"));
		if (!path || path[0] != '/' || strstr(path, "/../"))
			continue;
		_cleanup_free_ char *full = actor_path(path);
		struct stat st;
		if (lstat(full, &st) < 0 || !S_ISDIR(st.st_mode)) {
			actor_info("%s is not a directory (any more): nothing to move", path);
			continue;
		}
		_cleanup_free_ char *dst = NULL;
		for (int n = 0; n < 100; n++) {
			free(dst);
			dst = n ? xasprintf("%s.leappsave.%d", full, n) : xasprintf("%s.leappsave", full);
			if (lstat(dst, &st) < 0)
				break;
		}
		if (rename(full, dst) < 0)
			actor_error("cannot move a directory aside for the RPM transaction", "%s: %s", path, strerror(errno));
		actor_info("moved %s aside to %s for %s", path, dst + strlen(full) - strlen(path),
			   json_string_value(json_object_get(it, "package")) ?: "?");
	}
	json_decref(t);
	return actor_finish();
}
