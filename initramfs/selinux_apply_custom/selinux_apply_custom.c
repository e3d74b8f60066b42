/* Applications: put back what selinux_prepare saved in /var/lib/leapp/selinux: each module
 * with 'semodule -X P -i' (one at a time, so a module the new policy rejects is named), udica's
 * templates from the new udica, and the customizations with 'semanage import' (line by line
 * when the whole fails, retrying an -a as -m). What fails is reported by name, and its saved
 * file is kept for the admin (upstream selinuxapplycustom). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

#define SAVE "/var/lib/leapp/selinux"

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

static void install_modules(json_t *sc, struct buf *failed, json_t *resources)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(sc, "modules"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		_cleanup_free_ char *prio = xasprintf("%lld", (long long)json_integer_value(json_object_get(m, "priority")));
		_cleanup_free_ char *file = xasprintf(SAVE "/%s/%s.%s", prio, name,
						      json_string_value(json_object_get(m, "lang_ext")) ?: "pp");
		_cleanup_free_ char *abs = actor_path(file);
		if (access(abs, F_OK) < 0)
			continue; /* not saved: selinux_prepare left it installed */
		const char *av[] = {"/usr/sbin/semodule", "-X", prio, "-i", file, NULL};
		if (run_in_root(av) < 0) {
			buf_printf(failed, "\n    - module %s (priority %s), kept in %s", name, prio, file);
			json_array_append_new(resources, json_string(file));
		} else
			(void)unlink(abs);
	}
	json_array_foreach(json_object_get(sc, "templates"), i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		_cleanup_free_ char *prio = xasprintf("%lld", (long long)json_integer_value(json_object_get(m, "priority")));
		_cleanup_free_ char *file = xasprintf("/usr/share/udica/templates/%s.cil", name);
		const char *av[] = {"/usr/sbin/semodule", "-X", prio, "-i", file, NULL};
		if (run_in_root(av) < 0)
			buf_printf(failed, "\n    - udica template %s (priority %s)", name, prio);
	}
}

/* semanage import of a set of lines, written to a file in the root */
static int import_lines(const char *data, size_t len)
{
	_cleanup_free_ char *f = actor_path(SAVE "/import.one");
	int r = write_file_atomic(f, data, len, 0600);
	if (r < 0)
		return r;
	const char *av[] = {"/usr/sbin/semanage", "import", "-f", SAVE "/import.one", NULL};
	r = run_in_root(av);
	(void)unlink(f);
	return r;
}

static void import_customizations(struct buf *failed)
{
	_cleanup_free_ char *f = actor_path(SAVE "/import");
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	if (read_file(f, 16 << 20, &data, &len) < 0)
		return;
	bool bad = false;
	if (import_lines(data, len) < 0)
		for (const char *l = data; l && *l;) {
			const char *nl = strchr(l, '\n');
			_cleanup_free_ char *line = nl ? xstrndup(l, (size_t)(nl - l)) : xstrdup(l);
			l = nl ? nl + 1 : NULL;
			_cleanup_free_ char *one = xasprintf("%s\n", line);
			if (import_lines(one, strlen(one)) == 0)
				continue;
			char *a = strstr(one, " -a ");
			if (a) { /* already defined by the new policy: modify it instead */
				a[2] = 'm';
				if (import_lines(one, strlen(one)) == 0)
					continue;
			}
			buf_printf(failed, "\n    - semanage %s", line);
			bad = true;
		}
	if (!bad)
		(void)unlink(f);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *sc = actor_consume_last("SELinuxCustom");
	struct buf failed = {0};
	json_t *resources = json_array();
	if (sc) {
		install_modules(sc, &failed, resources);
		import_customizations(&failed);
	}
	if (failed.len) {
		buf_append(&failed, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"These SELinux policy modules and customizations of the source system could not be applied to "
			"the upgraded system's policy (see the upgrade log for the errors):%s",
			failed.data);
		json_t *e = report_new("SELinux failed to reapply some customizations after the upgrade.", summary, "medium");
		report_add_group(e, "security");
		report_add_group(e, "selinux");
		report_add_hint(e, "Adapt the modules to the new policy (types it removed) and install them with "
				   "'semodule -X PRIORITY -i FILE'; apply the commands with semanage by hand.");
		size_t i;
		json_t *r;
		json_array_foreach(resources, i, r)
			report_add_resource(e, "file", json_string_value(r));
		actor_report(e);
	}
	buf_free(&failed);
	json_decref(resources);
	json_decref(sc);
	return actor_finish();
}
