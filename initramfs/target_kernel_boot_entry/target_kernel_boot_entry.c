/* Finalization: the target kernel gets a BLS entry if its package's scriptlets did not make
 * one (a warning in the report), written like the system's other entries (grubby when it has
 * it), and becomes the default: grubenv saved_entry. A next_entry still naming the upgrade
 * entry is cleared. Its kernel arguments are the source default entry's, without the
 * upgrade-only ones (kernel-install in the upgrade environment takes /proc/cmdline, the
 * upgrade boot's), with TargetKernelCmdlineArgTasks applied; on release 9 and later they also
 * go to /etc/kernel/cmdline, where kernel-install finds them for later kernels. Its title
 * names the target release (the upgraded os-release). */
#include "sys.h"
#include "boot.h"
#include "leapp/actor.h"

/* Arguments only the upgrade boot has (add_upgrade_boot_entry, live mode): never the target's. */
static bool upgrade_only(const char *arg)
{
	static const char *const exact[] = {"enforcing=0", "rd.plymouth=0", "plymouth.enable=0"};
	for (size_t i = 0; i < ELEMENTSOF(exact); i++)
		if (!strcmp(arg, exact[i]))
			return true;
	return !strncmp(arg, "rd.upgrade.", 11) || !strcmp(arg, "rd.upgrade") || !strncmp(arg, "rd.live.", 8) ||
	       !strncmp(arg, "root=live:", 10);
}

/* Does a task argument {key, value} match key[=value] (value null: any value)? */
static bool task_matches(json_t *a, const char *key, const char *value)
{
	const char *k = json_string_value(json_object_get(a, "key"));
	json_t *v = json_object_get(a, "value");
	if (!k || strcmp(k, key))
		return false;
	return json_is_null(v) || !v || (value && !strcmp(json_string_value(v) ?: "", value));
}

/* The target's arguments from the template's (grubenv variables expanded): upgrade-only ones
 * dropped, then TargetKernelCmdlineArgTasks: every to_remove, then each to_add that no
 * to_remove names (removal wins, as upstream's model says). */
static char *target_options(const char *template_options, json_t *tasks)
{
	struct cmdline c = {0}, out = {0};
	cmdline_parse(&c, template_options);
	for (size_t i = 0; i < c.n; i++)
		if (upgrade_only(c.v[i]))
			actor_info("dropped the upgrade-only argument %s", c.v[i]);
		else {
			out.v = xrealloc(out.v, sizeof(char *) * (out.n + 1));
			out.v[out.n++] = xstrdup(c.v[i]);
		}
	size_t i, k, j;
	json_t *t, *a, *t2, *r;
	json_array_foreach(tasks, i, t)
		json_array_foreach(json_object_get(t, "to_remove"), k, a) {
			const char *key = json_string_value(json_object_get(a, "key"));
			if (key && *key)
				cmdline_remove(&out, key, json_string_value(json_object_get(a, "value")));
		}
	json_array_foreach(tasks, i, t)
		json_array_foreach(json_object_get(t, "to_add"), k, a) {
			const char *key = json_string_value(json_object_get(a, "key"));
			const char *value = json_string_value(json_object_get(a, "value"));
			bool removed = false;
			json_array_foreach(tasks, j, t2) {
				size_t m;
				json_array_foreach(json_object_get(t2, "to_remove"), m, r)
					removed |= key && task_matches(r, key, value);
			}
			if (key && *key && !removed)
				cmdline_add(&out, key, value);
		}
	char *s = cmdline_format(&out);
	cmdline_clear(&c);
	cmdline_clear(&out);
	return s;
}

/* The entry to take the arguments from: the default one (the source's), never the upgrade entry
 * nor an entry of the target kernel (kernel-install may have made it from /proc/cmdline). */
static int template_index(const struct bls_entry *v, size_t n, const struct grubenv *env, const char *upgrade_id,
			  const char *kver)
{
	int def = bls_default_index(v, n, env);
#define USABLE(i) ((!upgrade_id || strcmp(v[i].id, upgrade_id)) && (!v[i].version || strcmp(v[i].version, kver)))
	if (def >= 0 && !USABLE(def))
		def = -1;
	for (size_t i = 0; i < n && def < 0; i++)
		if (USABLE(i))
			def = (int)i;
#undef USABLE
	return def;
}

/* The target entry with the target's arguments and title (rewritten when they differ), and
 * /etc/kernel/cmdline on release 9 and later. */
static void entry_finish(const char *root, struct bls_entry *e, const char *options, const char *title)
{
	bool change = strcmp(e->options ?: "", options) || strcmp(e->title ?: "", title);
	if (change) {
		bls_entry_set(e, "options", options);
		bls_entry_set(e, "title", title);
		_cleanup_free_ char *file = path_join(root, e->file);
		int r = bls_entry_write(file, e);
		if (r < 0)
			actor_error("cannot write the target kernel's boot entry", "%s: %s", e->file, strerror(-r));
		actor_info("%s: options \"%s\", title \"%s\"", e->file, options, title);
	}
	json_t *ipu = ipu_config_get();
	int major = ipu_target_major(ipu);
	json_decref(ipu);
	if (major >= 9) {
		_cleanup_free_ char *dir = actor_path("/etc/kernel");
		_cleanup_free_ char *file = actor_path("/etc/kernel/cmdline");
		_cleanup_free_ char *line = xasprintf("%s\n", options);
		mkdir_p(dir, 0755);
		int r = write_file_atomic(file, line, strlen(line), 0644);
		if (r < 0)
			actor_error("cannot write /etc/kernel/cmdline", "/etc/kernel/cmdline: %s", strerror(-r));
		actor_info("/etc/kernel/cmdline: %s", options);
	}
}

/* the entry of kver: <machine-id>-<kver>, or any entry whose version is kver */
static int find_entry(const struct bls_entry *v, size_t n, const char *id, const char *kver)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return (int)i;
	for (size_t i = 0; i < n; i++)
		if (v[i].version && !strcmp(v[i].version, kver))
			return (int)i;
	return -1;
}

static char *entry_title(const char *root, const char *kver)
{
	json_t *os = NULL;
	char *err = NULL;
	char *t;
	if (os_release_load(root, &os, &err) == 0 && json_is_string(json_object_get(os, "NAME")))
		t = xasprintf("%s (%s) %s", json_string_value(json_object_get(os, "NAME")), kver,
			      json_string_value(json_object_get(os, "VERSION")) ?: "");
	else
		t = xasprintf("Linux (%s)", kver);
	free(err);
	json_decref(os);
	str_strip(t);
	return t;
}

/* The target's kernel arguments: the template entry's (or, without one, the target entry's own),
 * grubenv variables expanded, as target_options() makes them. */
static char *kernel_options(const struct bls_entry *v, size_t n, const struct grubenv *env, const char *upgrade_id,
			    const char *kver, int have)
{
	int def = template_index(v, n, env, upgrade_id, kver);
	const struct bls_entry *src = def >= 0 ? &v[def] : have >= 0 ? &v[have] : NULL;
	_cleanup_free_ char *expanded = bls_expand(src && src->options ? src->options : "", env);
	json_t *tasks = actor_consume("TargetKernelCmdlineArgTasks");
	char *options = target_options(expanded, tasks);
	json_decref(tasks);
	return options;
}

/* Write the target kernel's entry <id>.conf like template entry d (its boot prefix and GRUB
 * keys), with grubby when the system has it. Returns how it was made, for the report. */
static const char *entry_write_new(const char *root, json_t *tk, const struct bls_entry *d, const char *id,
				   const char *kver, const char *title, const char *options)
{
	_cleanup_free_ char *prefix = bls_boot_prefix(d);
	_cleanup_free_ char *linux = xasprintf("%svmlinuz-%s", prefix, kver);
	_cleanup_free_ char *initrd = xasprintf("%sinitramfs-%s.img", prefix, kver);
	_cleanup_free_ char *rel = xasprintf("/boot/loader/entries/%s.conf", id);
	_cleanup_free_ char *file = path_join(root, rel);
	struct bls_entry e;
	bls_entry_parse(id, rel, "", 0, &e);
	bls_entry_set(&e, "title", title);
	bls_entry_set(&e, "version", kver);
	bls_entry_set(&e, "linux", linux);
	bls_entry_set(&e, "initrd", initrd);
	bls_entry_set(&e, "options", options);
	static const char *const keep[] = {"grub_users", "grub_arg", "grub_class"};
	for (size_t i = 0; i < ELEMENTSOF(keep); i++)
		for (size_t k = 0; k < d->n; k++)
			if (!strcmp(d->keys[k], keep[i])) {
				bls_entry_set(&e, keep[i], d->values[k]);
				break;
			}
	const char *method = "written";
	int r;
	if (grubby_find(root)) {
		_cleanup_free_ char *log = sys_scratch_log("grubby");
		_cleanup_free_ char *a1 = xasprintf("--add-kernel=%s", json_string_value(json_object_get(tk, "kernel")));
		_cleanup_free_ char *a2 = xasprintf("--initrd=%s", json_string_value(json_object_get(tk, "initramfs")));
		_cleanup_free_ char *a3 = xasprintf("--title=%s", title);
		_cleanup_free_ char *a4 = xasprintf("--args=%s", options);
		const char *args[] = {a1, a2, a3, a4, NULL};
		if ((r = grubby_run(root, args, log)) < 0) {
			_cleanup_free_ char *tail = sys_log_tail(log, 10);
			actor_error("grubby could not add the target kernel's boot entry", "%s: %s\n%s", a1, strerror(-r), tail);
		}
		method = "added with grubby";
	} else {
		_cleanup_free_ char *dir = actor_path("/boot/loader/entries");
		mkdir_p(dir, 0755);
		if ((r = bls_entry_write(file, &e)) < 0)
			actor_error("cannot write the target kernel's boot entry", "%s: %s", rel, strerror(-r));
	}
	bls_entry_clear(&e);
	return method;
}

/* The target kernel has no entry: make one from the template (the default entry, the old
 * kernel's, never the upgrade entry), load the entries again into *v, *n and report it.
 * Returns the new entry's index. */
static int entry_create(const char *root, json_t *tk, struct bls_entry **v, size_t *n, const struct grubenv *env,
			const char *upgrade_id, const char *id, const char *kver, const char *title, const char *options)
{
	int def = template_index(*v, *n, env, upgrade_id, kver);
	if (def < 0)
		actor_error("there is no boot entry to copy", "the target kernel has no entry and there is no other entry "
			    "to take the kernel arguments from");
	_cleanup_free_ char *template_id = xstrdup((*v)[def].id);
	const char *method = entry_write_new(root, tk, &(*v)[def], id, kver, title, options);
	bls_entries_free(*v, *n);
	*v = NULL;
	*n = 0;
	bls_entries_load(root, v, n);
	int have = find_entry(*v, *n, id, kver);
	if (have < 0)
		actor_error("the target kernel's boot entry is missing",
			    "/boot/loader/entries/%s.conf was %s but is not in /boot/loader/entries", id, method);
	_cleanup_free_ char *s = xasprintf("The target kernel package did not make a boot entry for %s (its scriptlets "
					   "run kernel-install, which does): %s was %s, with the kernel arguments of %s.",
					   kver, (*v)[have].file, method, template_id);
	json_t *rep = report_new("The target kernel's boot entry was missing", s, "medium");
	report_add_group(rep, "boot");
	actor_report(rep);
	return have;
}

/* grubenv: saved_entry is the target's entry, a next_entry naming the upgrade entry goes. */
static void make_default(const char *gpath, const char *gshown, struct grubenv *env, const char *use_id,
			 const char *upgrade_id)
{
	const char *was = grubenv_get(env, "saved_entry");
	_cleanup_free_ char *was_copy = was ? xstrdup(was) : NULL;
	grubenv_set(env, "saved_entry", use_id);
	const char *next = grubenv_get(env, "next_entry");
	if (next && upgrade_id && !strcmp(next, upgrade_id))
		grubenv_set(env, "next_entry", NULL);
	int r = grubenv_save(gpath, env);
	if (r < 0)
		actor_error("cannot make the target kernel the default", "%s: %s", gshown,
			    r == -E2BIG ? "the variables do not fit in its 1024 bytes" : strerror(-r));
	actor_info("%s: saved_entry=%s (was %s)", gshown, use_id, was_copy ? was_copy : "unset");
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	const char *root = actor_root();
	json_t *tk = actor_consume_last("TargetKernelBoot");
	json_t *ue = actor_consume_last("UpgradeBootEntry");
	const char *kver = json_string_value(json_object_get(tk, "kver"));
	if (!kver) {
		actor_warning("no TargetKernelBoot: the target kernel's files were not checked, its entry is not either");
		return actor_finish();
	}
	const char *upgrade_id = json_string_value(json_object_get(ue, "id"));
	_cleanup_free_ char *mid = sys_machine_id_read(root);
	if (!mid)
		actor_error("the machine id is unknown", "/etc/machine-id: the boot entries are named after it");
	_cleanup_free_ char *id = xasprintf("%s-%s", mid, kver);
	_cleanup_free_ char *gshown = NULL;
	_cleanup_free_ char *gpath = grubenv_locate(root, &gshown);
	struct grubenv env = {0};
	int r = grubenv_load_or_empty(gpath, &env);
	if (r < 0)
		actor_error("grubenv is not a GRUB environment block", "%s: %s", gshown, strerror(-r));
	struct bls_entry *v = NULL;
	size_t n = 0;
	if ((r = bls_entries_load(root, &v, &n)) < 0)
		actor_error("cannot read the boot entries", "/boot/loader/entries: %s", strerror(-r));
	int have = find_entry(v, n, id, kver);
	_cleanup_free_ char *title = entry_title(root, kver);
	_cleanup_free_ char *options = kernel_options(v, n, &env, upgrade_id, kver, have);
	if (have >= 0)
		actor_info("the target kernel has its boot entry %s", v[have].file);
	else
		have = entry_create(root, tk, &v, &n, &env, upgrade_id, id, kver, title, options);
	_cleanup_free_ char *use_id = xstrdup(v[have].id);
	entry_finish(root, &v[have], options, title);
	make_default(gpath, gshown, &env, use_id, upgrade_id);
	bls_entries_free(v, n);
	grubenv_clear(&env);
	json_decref(tk);
	json_decref(ue);
	return actor_finish();
}
