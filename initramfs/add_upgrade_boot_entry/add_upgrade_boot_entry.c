/* InterimPreparation: the boot entry of the upgrade initramfs, /boot/loader/entries/
 * <machine-id>-upgrade.<arch>.conf. It copies the default entry's kernel arguments ($kernelopts
 * expanded from grubenv), adds enforcing=0 rd.plymouth=0 plymouth.enable=0 and what
 * UpgradeKernelCmdlineArgTasks ask for, and is booted once through grubenv's next_entry (what
 * grub2-reboot does): the default stays, so a hang or a power cut in the upgrade initramfs
 * boots the old system again. The system's grubby writes the entry when it has one; the file
 * is written directly otherwise. Either way the entry says the same. */
#include "sys.h"
#include "boot.h"
#include "leapp/actor.h"

static const char *const always_add[][2] = {{"enforcing", "0"}, {"rd.plymouth", "0"}, {"plymouth.enable", "0"}};

static void apply_tasks(struct cmdline *c)
{
	json_t *tasks = actor_consume("UpgradeKernelCmdlineArgTasks");
	size_t i, k;
	json_t *t, *a;
	json_array_foreach(tasks, i, t)
		json_array_foreach(json_object_get(t, "to_remove"), k, a) {
			const char *key = json_string_value(json_object_get(a, "key"));
			if (key && *key)
				cmdline_remove(c, key, json_string_value(json_object_get(a, "value")));
		}
	for (size_t j = 0; j < ELEMENTSOF(always_add); j++) {
		cmdline_remove(c, always_add[j][0], NULL);
		cmdline_add(c, always_add[j][0], always_add[j][1]);
	}
	json_array_foreach(tasks, i, t)
		json_array_foreach(json_object_get(t, "to_add"), k, a) {
			const char *key = json_string_value(json_object_get(a, "key"));
			if (key && *key)
				cmdline_add(c, key, json_string_value(json_object_get(a, "value")));
		}
	json_decref(tasks);
}

/* the entry as it is written: the same lines for grubby and for the file */
static void entry_build(struct bls_entry *e, const char *id, const char *file, const struct bls_entry *def,
			const char *prefix, const char *arch, const char *options)
{
	_cleanup_free_ char *linux = xasprintf("%svmlinuz-upgrade.%s", prefix, arch);
	_cleanup_free_ char *initrd = xasprintf("%sinitramfs-upgrade.%s.img", prefix, arch);
	_cleanup_free_ char *version = xasprintf("upgrade.%s", arch);
	bls_entry_parse(id, file, "", 0, e);
	bls_entry_set(e, "title", UPGRADE_ENTRY_TITLE);
	bls_entry_set(e, "version", version);
	bls_entry_set(e, "linux", linux);
	bls_entry_set(e, "initrd", initrd);
	bls_entry_set(e, "options", options);
	/* what grub needs of the default entry to boot it the same way */
	static const char *const keep[] = {"grub_users", "grub_arg", "grub_class"};
	for (size_t i = 0; i < ELEMENTSOF(keep); i++)
		for (size_t k = 0; k < def->n; k++)
			if (!strcmp(def->keys[k], keep[i])) {
				bls_entry_set(e, keep[i], def->values[k]);
				break;
			}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *art = actor_consume_last("UpgradeBootArtifacts");
	if (!art) {
		actor_info("no upgrade kernel and initramfs were installed: no boot entry to add");
		return actor_finish();
	}
	const char *root = actor_root();
	const char *arch = json_string_value(json_object_get(art, "arch"));
	const char *kernel = json_string_value(json_object_get(art, "kernel"));
	const char *initramfs = json_string_value(json_object_get(art, "initramfs"));
	_cleanup_free_ char *id = boot_upgrade_entry_id(root, arch);
	if (!id)
		actor_error("the machine id is unknown", "neither /etc/machine-id nor a boot entry gives it: the upgrade boot "
			    "entry is named after it");

	_cleanup_free_ char *gshown = NULL;
	_cleanup_free_ char *gpath = grubenv_locate(root, &gshown);
	struct grubenv env = {0};
	int r = grubenv_load_or_empty(gpath, &env);
	if (r < 0)
		actor_error("grubenv is not a GRUB environment block", "%s: %s", gshown, strerror(-r));
	bool env_existed = access(gpath, F_OK) == 0;

	struct bls_entry *v = NULL;
	size_t n = 0;
	if ((r = bls_entries_load(root, &v, &n)) < 0)
		actor_error("cannot read the boot entries", "/boot/loader/entries: %s", strerror(-r));
	int def = bls_default_index(v, n, &env);
	/* an upgrade entry of an earlier attempt is never the template */
	if (def >= 0 && !strcmp(v[def].id, id)) {
		def = -1;
		for (size_t i = 0; i < n && def < 0; i++)
			if (strcmp(v[i].id, id))
				def = (int)i;
	}
	if (def < 0)
		actor_error("there is no boot entry to copy", "/boot/loader/entries has no entry besides the upgrade one; the "
			    "upgrade entry takes the kernel arguments of the default entry");
	const struct bls_entry *d = &v[def];

	_cleanup_free_ char *expanded = bls_expand(d->options ? d->options : "", &env);
	struct cmdline c;
	cmdline_parse(&c, expanded);
	apply_tasks(&c);
	_cleanup_free_ char *options = cmdline_format(&c);
	cmdline_clear(&c);
	_cleanup_free_ char *prefix = bls_boot_prefix(d);
	_cleanup_free_ char *rel = xasprintf("/boot/loader/entries/%s.conf", id);
	_cleanup_free_ char *file = path_join(root, rel);
	struct bls_entry e;
	entry_build(&e, id, rel, d, prefix, arch, options);

	const char *grubby = grubby_find(root);
	if (grubby) {
		/* the same entry through the system's tool, so that its own bookkeeping is right */
		_cleanup_free_ char *log = sys_scratch_log("grubby");
		_cleanup_free_ char *rm = xasprintf("--remove-kernel=%s", kernel);
		const char *rmargs[] = {rm, NULL};
		if (access(file, F_OK) == 0)
			grubby_run(root, rmargs, log);
		_cleanup_free_ char *a1 = xasprintf("--add-kernel=%s", kernel);
		_cleanup_free_ char *a2 = xasprintf("--initrd=%s", initramfs);
		_cleanup_free_ char *a3 = xasprintf("--title=%s", UPGRADE_ENTRY_TITLE);
		_cleanup_free_ char *a4 = xasprintf("--args=%s", options);
		const char *args[] = {a1, a2, a3, a4, NULL};
		r = grubby_run(root, args, log);
		if (r < 0) {
			_cleanup_free_ char *tail = sys_log_tail(log, 10);
			actor_error("grubby could not add the upgrade boot entry", "%s %s %s %s %s: %s\n%s", grubby, a1, a2, a3, a4,
				    strerror(-r), tail);
		}
		if (access(file, F_OK) < 0)
			actor_error("grubby did not write the upgrade boot entry where expected", "%s is missing after grubby %s",
				    rel, a1);
		actor_info("grubby added %s", rel);
	} else {
		_cleanup_free_ char *dir = actor_path("/boot/loader/entries");
		mkdir_p(dir, 0755);
		if ((r = bls_entry_write(file, &e)) < 0)
			actor_error("cannot write the upgrade boot entry", "%s: %s", rel, strerror(-r));
		actor_info("wrote %s", rel);
	}

	grubenv_set(&env, "next_entry", id);
	if ((r = grubenv_save(gpath, &env)) < 0)
		actor_error("cannot set next_entry in grubenv", "%s: %s", gshown,
			    r == -E2BIG ? "the variables do not fit in its 1024 bytes" : strerror(-r));
	if (!env_existed)
		actor_warning("%s did not exist: created it with next_entry only", gshown);
	actor_info("%s: next_entry=%s (booted once); the default stays %s", gshown, id, d->id);

	actor_produce("UpgradeBootEntry",
		      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "file", rel, "title",
				UPGRADE_ENTRY_TITLE, "linux", e.linux, "initrd", e.initrd[0], "options", options, "method",
				grubby ? "grubby" : "bls", "grubenv", gshown, "default_entry", d->id));
	bls_entry_clear(&e);
	bls_entries_free(v, n);
	grubenv_clear(&env);
	json_decref(art);
	return actor_finish();
}
