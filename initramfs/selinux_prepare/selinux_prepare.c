/* Preparation: the target's selinux-policy rebuilds the policy in its %post with every module
 * in the store; a module written for the old policy can make that fail. Save the admin's
 * modules (their hll files) and the carried customizations under /var/lib/leapp/selinux, then
 * remove them with the system's semodule and semanage (chrooted into the root);
 * selinux_apply_custom puts them back after the transaction (upstream selinuxprepare). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

#define SAVE "/var/lib/leapp/selinux"

/* run a command of the system (chrooted into --root unless it is /); 0 on exit 0 */
static int run_in_root(const char *const *argv)
{
	_cleanup_free_ char *log = xasprintf("%s/selinux.log", actor_scratch_dir());
	const char *root = actor_root();
	static char *const env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C", NULL};
	struct sys_run_opts o = {.argv = argv, .chroot = strcmp(root, "/") ? root : NULL, .envp = env, .log_path = log};
	int status = 0, r = sys_command_run(&o, &status);
	_cleanup_free_ char *line = sys_argv_to_string(argv);
	if (r < 0 || status) {
		_cleanup_free_ char *tail = sys_log_tail(log, 5);
		actor_warning("%s: %s%s%s", line, r < 0 ? strerror(-r) : "failed", *tail ? ": " : "", tail);
		return r < 0 ? r : -EIO;
	}
	actor_info("%s", line);
	return 0;
}

/* copy each module's hll to SAVE/<priority>/<name>.<ext>; the saved ones go into argv as -X P -r N */
static size_t save_modules(json_t *mods, const char **av, size_t n)
{
	size_t i;
	json_t *m;
	json_array_foreach(mods, i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		json_int_t prio = json_integer_value(json_object_get(m, "priority"));
		_cleanup_free_ char *src = NULL;
		if (fs_root_host_path(json_string_value(json_object_get(m, "source")), &src) < 0)
			src = actor_path(json_string_value(json_object_get(m, "source")));
		_cleanup_free_ char *dir = xasprintf(SAVE "/%lld", (long long)prio);
		_cleanup_free_ char *dir_abs = actor_path(dir);
		_cleanup_free_ char *dst = xasprintf("%s/%s.%s", dir_abs, name,
						     json_string_value(json_object_get(m, "lang_ext")) ?: "pp");
		int r = mkdir_p(dir_abs, 0700);
		if (r >= 0)
			r = fs_copy_file(src, dst, 0600, NULL);
		if (r < 0) {
			actor_warning("%s: cannot save it (%s); the module stays installed", src, strerror(-r));
			continue;
		}
		av[n++] = "-X";
		av[n++] = xasprintf("%lld", (long long)prio);
		av[n++] = "-r";
		av[n++] = name;
	}
	return n;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *sc = actor_consume_last("SELinuxCustom");
	json_t *mods = json_object_get(sc, "modules");
	size_t nm = json_array_size(mods) + json_array_size(json_object_get(sc, "templates"));
	const char **av = xcalloc(2 + 4 * nm, sizeof(char *));
	av[0] = "/usr/sbin/semodule";
	size_t n = save_modules(mods, av, 1);
	/* udica's templates are not saved: the target's udica package provides their new versions */
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(sc, "templates"), i, m) {
		av[n++] = "-X";
		av[n++] = xasprintf("%lld", (long long)json_integer_value(json_object_get(m, "priority")));
		av[n++] = "-r";
		av[n++] = json_string_value(json_object_get(m, "name"));
	}
	if (n > 1 && run_in_root(av) < 0)
		for (size_t k = 1; k + 3 < n; k += 4) { /* one at a time, so one bad module does not keep the others */
			const char *one[] = {"/usr/sbin/semodule", "-X", av[k + 1], "-r", av[k + 3], NULL};
			(void)run_in_root(one);
		}
	for (size_t k = 2; k < n; k += 4)
		free((char *)av[k]);
	free(av);
	/* the customizations that can be carried: saved as 'semanage import' lines, then deleted */
	struct buf imp = {0};
	bool kinds[4] = {false};
	static const char *const kind_names[] = {"fcontext", "boolean", "port", "login"};
	json_array_foreach(json_object_get(sc, "customizations"), i, m) {
		const char *line = json_string_value(json_object_get(m, "import_line"));
		const char *kind = json_string_value(json_object_get(m, "kind"));
		if (!line)
			continue;
		buf_printf(&imp, "%s\n", line);
		for (size_t k = 0; k < 4; k++)
			kinds[k] |= !strcmp(kind, kind_names[k]);
	}
	if (imp.len) {
		_cleanup_free_ char *dir = actor_path(SAVE);
		_cleanup_free_ char *f = xasprintf("%s/import", dir);
		int r = mkdir_p(dir, 0700);
		if (r >= 0)
			r = write_file_atomic(f, imp.data, imp.len, 0600);
		if (r < 0)
			actor_warning("%s: cannot save the SELinux customizations (%s); they stay in place", f, strerror(-r));
		else
			for (size_t k = 0; k < 4; k++)
				if (kinds[k]) {
					const char *del[] = {"/usr/sbin/semanage", kind_names[k], "-D", NULL};
					(void)run_in_root(del);
				}
	}
	buf_free(&imp);
	json_decref(sc);
	return actor_finish();
}
