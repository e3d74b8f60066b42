/* Checks: a symlink among /'s entries that points to an absolute path inhibits (upstream's
 * checkrootsymlinks): dracut in the upgrade initramfs resolves it against the wrong root. */
#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

/* The target of an absolute link made relative to "/": "." and ".." resolved, "" -> ".". */
static char *relative_to_root(const char *target)
{
	_cleanup_free_ char *abs = fs_path_normalize(NULL, target);
	return xstrdup(abs[1] ? abs + 1 : ".");
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *root = actor_consume_last("RootDirectory");
	if (!root) {
		actor_warning("no RootDirectory message: the links in / were not checked");
		return actor_finish();
	}
	json_t *e = NULL, *item;
	size_t i, n_escaped = 0;
	_cleanup_free_ char *escaped = xstrdup("");
	json_array_foreach(json_object_get(root, "items"), i, item) {
		const char *name = json_string_value(json_object_get(item, "name"));
		const char *target = json_string_value(json_object_get(item, "target"));
		if (!name || !target || target[0] != '/')
			continue;
		if (!e) {
			e = report_new("Upgrade requires links in root directory to be relative",
				       "Symbolic links in / that point to absolute paths break parts of the upgrade after the "
				       "reboot (dracut resolves them against the upgrade environment's root). Make them "
				       "relative.",
				       "high");
			report_add_group(e, "inhibitor");
			report_add_external(e, "https://access.redhat.com/solutions/6989732",
					    "leapp upgrade stops with Inhibitor \"Upgrade requires links in root directory "
					    "to be relative\"");
		}
		_cleanup_free_ char *link = xasprintf("/%s", name);
		report_add_resource(e, "file", link);
		if (!json_is_true(json_object_get(item, "utf8"))) {
			char *s = xasprintf("%s%s%s -> %s", escaped, n_escaped ? ", " : "", link, target);
			free(escaped);
			escaped = s;
			n_escaped++;
			continue;
		}
		_cleanup_free_ char *rel = relative_to_root(target);
		report_add_command(e, (const char *const[]){"ln", "-snf", rel, link, NULL});
	}
	if (e && n_escaped) {
		_cleanup_free_ char *hint = xasprintf(
			"%zu link(s) have names or targets that are not UTF-8 (shown with \\x escapes: %s); replace "
			"them by relative links by hand.",
			n_escaped, escaped);
		report_add_hint(e, hint);
	}
	if (e)
		actor_report(e);
	json_decref(root);
	return actor_finish();
}
