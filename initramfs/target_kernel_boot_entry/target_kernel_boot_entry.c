/* Finalization: the target kernel gets a BLS entry if its package's scriptlets did not make
 * one (a warning in the report), written like the system's other entries (grubby when it has
 * it), and becomes the default: grubenv saved_entry. A next_entry still naming the upgrade
 * entry is cleared. */
#include "bootlib.h"
#include "leapp/actor.h"
#include "osrelease.h"

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
	_cleanup_free_ char *mid = machine_id_read(root);
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
	_cleanup_free_ char *use_id = NULL;
	if (have >= 0) {
		use_id = xstrdup(v[have].id);
		actor_info("the target kernel has its boot entry %s", v[have].file);
	} else {
		/* the template: the default entry (the old kernel's), never the upgrade entry */
		int def = bls_default_index(v, n, &env);
		if (def >= 0 && upgrade_id && !strcmp(v[def].id, upgrade_id))
			def = -1;
		for (size_t i = 0; i < n && def < 0; i++)
			if (!upgrade_id || strcmp(v[i].id, upgrade_id))
				def = (int)i;
		if (def < 0)
			actor_error("there is no boot entry to copy", "the target kernel has no entry and there is no other entry "
				    "to take the kernel arguments from");
		const struct bls_entry *d = &v[def];
		_cleanup_free_ char *template_id = xstrdup(d->id);
		_cleanup_free_ char *options = bls_expand(d->options ? d->options : "", &env);
		_cleanup_free_ char *prefix = bls_boot_prefix(d);
		_cleanup_free_ char *title = entry_title(root, kver);
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
		if (grubby_find(root)) {
			_cleanup_free_ char *log = scratch_log("grubby");
			_cleanup_free_ char *a1 = xasprintf("--add-kernel=%s", json_string_value(json_object_get(tk, "kernel")));
			_cleanup_free_ char *a2 = xasprintf("--initrd=%s", json_string_value(json_object_get(tk, "initramfs")));
			_cleanup_free_ char *a3 = xasprintf("--title=%s", title);
			_cleanup_free_ char *a4 = xasprintf("--args=%s", options);
			const char *args[] = {a1, a2, a3, a4, NULL};
			if ((r = grubby_run(root, args, log)) < 0) {
				_cleanup_free_ char *tail = log_tail(log, 10);
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
		bls_entries_free(v, n);
		v = NULL;
		n = 0;
		bls_entries_load(root, &v, &n);
		have = find_entry(v, n, id, kver);
		if (have < 0)
			actor_error("the target kernel's boot entry is missing", "%s was %s but is not in /boot/loader/entries",
				    rel, method);
		use_id = xstrdup(v[have].id);
		_cleanup_free_ char *s = xasprintf("The target kernel package did not make a boot entry for %s (its scriptlets "
						   "run kernel-install, which does): %s was %s, with the kernel arguments of %s.",
						   kver, v[have].file, method, template_id);
		json_t *rep = report_new("The target kernel's boot entry was missing", s, "medium");
		report_add_group(rep, "boot");
		actor_report(rep);
	}
	const char *was = grubenv_get(&env, "saved_entry");
	_cleanup_free_ char *was_copy = was ? xstrdup(was) : NULL;
	grubenv_set(&env, "saved_entry", use_id);
	const char *next = grubenv_get(&env, "next_entry");
	if (next && upgrade_id && !strcmp(next, upgrade_id))
		grubenv_set(&env, "next_entry", NULL);
	if ((r = grubenv_save(gpath, &env)) < 0)
		actor_error("cannot make the target kernel the default", "%s: %s", gshown,
			    r == -E2BIG ? "the variables do not fit in its 1024 bytes" : strerror(-r));
	actor_info("%s: saved_entry=%s (was %s)", gshown, use_id, was_copy ? was_copy : "unset");
	bls_entries_free(v, n);
	grubenv_clear(&env);
	json_decref(tk);
	json_decref(ue);
	return actor_finish();
}
