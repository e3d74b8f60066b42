/* RPMUpgrade (after the transaction): /usr/bin/python3 and its companions keep working. On
 * release 8, /usr/bin/python3 is an alternative of python36; erasing python36 in the upgrade
 * removes the alternative after release 9's python3 installed its files, so /usr/bin/python3,
 * pip3 and pydoc3 disappear (upstream pythonthreetmpworkaround). When /usr/bin/python3 is
 * missing and the target's interpreter is there, create the alternative as
 * `alternatives --install /usr/bin/python3 python3 /usr/bin/python3.9 1000000 --slave ...`
 * does: the links through /etc/alternatives and the state file in /var/lib/alternatives, so
 * that `alternatives --display python3` and later package updates see it. Slaves whose link
 * exists already (handled by a newer package) or whose target is absent are left out. Safe to
 * run twice. */
#include <sys/stat.h>

#include "sys.h"
#include "leapp/actor.h"

/* the target of a slave: prefix, the Python version (3.9), suffix */
struct slave {
	const char *name, *link, *prefix, *suffix;
};

static const struct slave slaves[] = {
	{"python3-man", "/usr/share/man/man1/python3.1.gz", "/usr/share/man/man1/python", ".1.gz"},
	{"pip3", "/usr/bin/pip3", "/usr/bin/pip", ""},
	{"pip-3", "/usr/bin/pip-3", "/usr/bin/pip-", ""},
	{"easy_install-3", "/usr/bin/easy_install-3", "/usr/bin/easy_install-", ""},
	{"pydoc3", "/usr/bin/pydoc3", "/usr/bin/pydoc", ""},
	{"pydoc-3", "/usr/bin/pydoc-3", "/usr/bin/pydoc", ""},
	{"pyvenv-3", "/usr/bin/pyvenv-3", "/usr/bin/pyvenv-", ""},
};

static bool present(const char *path_in_root)
{
	_cleanup_free_ char *p = actor_path(path_in_root);
	struct stat st;
	return lstat(p, &st) == 0;
}

/* link -> /etc/alternatives/name -> target, inside the root */
static void make_links(const char *name, const char *link, const char *target)
{
	_cleanup_free_ char *alt_rel = xasprintf("/etc/alternatives/%s", name);
	_cleanup_free_ char *alt = actor_path(alt_rel), *l = actor_path(link), *altdir = actor_path("/etc/alternatives");
	int r = mkdir_p(altdir, 0755);
	if (r < 0)
		actor_error("cannot create /etc/alternatives", "%s", strerror(-r));
	if ((unlink(alt) < 0 && errno != ENOENT) || symlink(target, alt) < 0)
		actor_error("cannot create the alternatives link", "%s -> %s: %s", alt_rel, target, strerror(errno));
	if ((unlink(l) < 0 && errno != ENOENT) || symlink(alt_rel, l) < 0)
		actor_error("cannot create the alternatives link", "%s -> %s: %s", link, alt_rel, strerror(errno));
	actor_info("%s -> %s -> %s", link, alt_rel, target);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	int tgt = ipu_target_major(ipu);
	json_decref(ipu);
	/* the platform Python of the target */
	const char *ver = tgt == 9 ? "3.9" : tgt == 10 ? "3.12" : NULL;
	if (!ver)
		return actor_finish();
	_cleanup_free_ char *py = xasprintf("/usr/bin/python%s", ver);
	if (present("/usr/bin/python3")) {
		actor_info("/usr/bin/python3 exists: nothing to do");
		return actor_finish();
	}
	if (!present(py)) {
		actor_info("%s is not installed: no python3 to point at", py);
		return actor_finish();
	}
	struct buf state = {0}, targets = {0};
	buf_printf(&state, "auto\n/usr/bin/python3\n");
	make_links("python3", "/usr/bin/python3", py);
	for (size_t i = 0; i < ELEMENTSOF(slaves); i++) {
		_cleanup_free_ char *t = xasprintf("%s%s%s", slaves[i].prefix, ver, slaves[i].suffix);
		if (present(slaves[i].link) || !present(t))
			continue;
		make_links(slaves[i].name, slaves[i].link, t);
		buf_printf(&state, "%s\n%s\n", slaves[i].name, slaves[i].link);
		buf_printf(&targets, "%s\n", t);
	}
	buf_printf(&state, "\n%s\n1000000\n", py);
	if (targets.len)
		buf_append(&state, targets.data, targets.len);
	_cleanup_free_ char *admindir = actor_path("/var/lib/alternatives");
	_cleanup_free_ char *statefile = path_join(admindir, "python3");
	int r = mkdir_p(admindir, 0755);
	if (r >= 0)
		r = write_file_atomic(statefile, state.data, state.len, 0644);
	if (r < 0)
		actor_error("cannot write the alternatives state", "/var/lib/alternatives/python3: %s", strerror(-r));
	buf_free(&state);
	buf_free(&targets);
	json_t *e = report_new("python3 restored as an alternative after the upgrade",
			       "The package upgrade removed the python3 alternative of release 8's Python 3.6; /usr/bin/python3 "
			       "and its companions (pip3, pydoc3...) were re-created for the new release's Python through the "
			       "alternatives system.",
			       "info");
	report_add_group(e, "python");
	actor_report(e);
	return actor_finish();
}
