/* InterimPreparation, after the upgrade boot entry: with snapshots requested and possible
 * (SnapshotPlan), an LVM snapshot of each selected volume, a copy of /boot's boot entries and GRUB
 * files, all in /var/lib/leapp/snapshots (DESIGN.md section 12, issue 23 item 2).
 *
 * A kill at any moment leaves no set or a complete one: pending.json (the snapshots about to be
 * made) is written before the first lvcreate, manifest.json last (atomically); a directory
 * without manifest.json is a partial set, and the next run removes its snapshots and itself
 * first. lvm runs by argv: "lvm" from PATH, or LEAPP_DEVEL_LVM (tests: a stub recording argv). */
#include <sys/stat.h>

#include "leapp/actor.h"
#include "boot.h"
#include "fs.h"
#include "sys.h"

#define SET_DIR "/var/lib/leapp/snapshots"
#define SNAP_SUFFIX "_leapp_rollback"

static int lvm_run(const char *const *args, char **ret_err)
{
	const char *lvm = getenv("LEAPP_DEVEL_LVM");
	const char *argv[16] = {lvm && *lvm ? lvm : "lvm"};
	size_t n = 1;
	for (; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	_cleanup_free_ char *log = sys_scratch_log("lvm");
	struct sys_run_opts o = {.argv = argv, .log_path = log};
	int st = 0, r = sys_command_run(&o, &st);
	_cleanup_free_ char *line = sys_argv_to_string(argv);
	actor_info("%s: %s", line, r < 0 ? strerror(-r) : st ? "failed" : "ok");
	if (r < 0 || st) {
		_cleanup_free_ char *tail = sys_log_tail(log, 5);
		*ret_err = r < 0 ? xasprintf("%s: %s", line, strerror(-r)) : xasprintf("%s: exit status %d: %s", line, st, tail);
		return r < 0 ? r : -EIO;
	}
	return 0;
}

/* Removes the snapshots a set lists ("vg/name" strings) and the set itself. */
static void set_remove(const char *dir, json_t *lvs)
{
	size_t i;
	json_t *x;
	json_array_foreach(lvs, i, x) {
		char *err = NULL;
		const char *args[] = {"lvremove", "-y", json_string_value(x), NULL};
		if (lvm_run(args, &err) < 0)
			actor_warning("%s (it may not have been created)", err);
		free(err);
	}
	int r = rm_rf(dir);
	if (r < 0)
		actor_error("cannot remove a partial snapshot set", "%s: %s", dir, strerror(-r));
}

/* A set left by a killed run (no manifest.json) is removed, with its snapshots. */
static void partial_set_cleanup(const char *dir)
{
	_cleanup_free_ char *man = path_join(dir, "manifest.json");
	_cleanup_free_ char *pend = path_join(dir, "pending.json");
	if (!fs_is_dir(dir))
		return;
	json_t *p = json_load_file(access(man, F_OK) == 0 ? man : pend, 0, NULL);
	actor_warning("%s: %s snapshot set found: removing it and its snapshots", SET_DIR,
		      access(man, F_OK) == 0 ? "an earlier" : "a partial");
	set_remove(dir, json_object_get(p, "lvs"));
	json_decref(p);
}

/* Writes j (a reference it takes) atomically as dir/name. */
static void write_json(const char *dir, const char *name, json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	_cleanup_free_ char *p = path_join(dir, name);
	int r = write_file_atomic(p, s, strlen(s), 0600);
	free(s);
	if (r < 0)
		actor_error("cannot write the snapshot set", "%s: %s", p, strerror(-r));
}

/* grubenv as the rollback boots it: without the next_entry that boots the upgrade initramfs once
 * (add_upgrade_boot_entry set it before this actor runs); a file that is not a grubenv block is
 * kept as it is. */
static void grubenv_for_rollback(char **data, size_t *len)
{
	struct grubenv env = {0};
	if (grubenv_parse(*data, *len, &env) < 0)
		return;
	char *out = NULL;
	size_t n = 0;
	if (grubenv_get(&env, "next_entry")) {
		grubenv_set(&env, "next_entry", NULL);
		if (grubenv_format(&env, &out, &n) == 0) {
			free(*data);
			*data = out;
			*len = n;
		}
	}
	grubenv_clear(&env);
}

/* Copies /boot's entries and GRUB files into dir/boot, as the rollback puts them back: without
 * the upgrade initramfs's entry (skip) and grubenv's next_entry; returns what was copied. */
static json_t *boot_copy(const char *dir, const char *skip)
{
	json_t *done = json_array();
	static const char *const files[] = {"/boot/grub2/grubenv", "/boot/grub2/grub.cfg", NULL};
	char **names = NULL;
	int n = fs_root_dir_list("/boot/loader/entries", ".conf", &names);
	json_t *want = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(want, json_sprintf("/boot/loader/entries/%s", names[i]));
	fs_strv_free(names);
	for (size_t i = 0; files[i]; i++)
		json_array_append_new(want, json_string(files[i]));
	size_t i;
	json_t *x;
	json_array_foreach(want, i, x) {
		const char *p = json_string_value(x);
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		if (skip && !strcmp(p, skip))
			continue;
		int r = fs_root_read(p, 64 << 20, &data, &len);
		if (r == -ENOENT)
			continue;
		if (r == 0 && !strcmp(p, "/boot/grub2/grubenv"))
			grubenv_for_rollback(&data, &len);
		_cleanup_free_ char *dst = xasprintf("%s/boot%s", dir, p + strlen("/boot"));
		_cleanup_free_ char *dd = xstrdup(dst);
		*strrchr(dd, '/') = 0;
		if (r < 0 || (r = mkdir_p(dd, 0700)) < 0 || (r = write_file_atomic(dst, data, len, 0600)) < 0)
			actor_error("cannot copy /boot's files into the snapshot set", "%s: %s", p, strerror(-r));
		json_array_append(done, x);
	}
	json_decref(want);
	return done;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = actor_consume_last("SnapshotPlan");
	_cleanup_free_ char *dir = actor_path(SET_DIR);
	partial_set_cleanup(dir);
	if (!json_is_true(json_object_get(plan, "requested")) || !json_is_true(json_object_get(plan, "possible"))) {
		actor_info("no snapshots: %s", json_is_true(json_object_get(plan, "requested")) ? "not possible" : "not requested");
		json_decref(plan);
		return actor_finish();
	}
	int r = mkdir_p(dir, 0700);
	if (r < 0)
		actor_error("cannot make the snapshot set", "%s: %s", dir, strerror(-r));
	json_t *names = json_array(), *lvs = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(plan, "volumes"), i, v)
		json_array_append_new(names, json_sprintf("%s/%s" SNAP_SUFFIX, json_string_value(json_object_get(v, "vg")),
							  json_string_value(json_object_get(v, "lv"))));
	/* first what is about to exist, so that a kill from here on can be cleaned up */
	write_json(dir, "pending.json", json_pack("{s:O}", "lvs", names));
	json_array_foreach(json_object_get(plan, "volumes"), i, v) {
		const char *vg = json_string_value(json_object_get(v, "vg")), *lv = json_string_value(json_object_get(v, "lv"));
		bool thin = json_is_string(json_object_get(v, "thin_pool"));
		_cleanup_free_ char *origin = xasprintf("%s/%s", vg, lv);
		_cleanup_free_ char *name = xasprintf("%s" SNAP_SUFFIX, lv);
		_cleanup_free_ char *size = xasprintf("%lldb", (long long)json_integer_value(json_object_get(v, "estimate_bytes")));
		const char *thick_args[] = {"lvcreate", "--snapshot", "--name", name, "--size", size, origin, NULL};
		const char *thin_args[] = {"lvcreate", "--snapshot", "--name", name, "--setactivationskip", "n", origin, NULL};
		char *err = NULL;
		if (lvm_run(thin ? thin_args : thick_args, &err) < 0) {
			set_remove(dir, names);
			actor_error("cannot take the LVM snapshots: none are left", "%s", err);
		}
		json_array_append_new(lvs, json_pack("{s:s, s:s, s:s, s:b, s:O}", "vg", vg, "lv", lv, "snapshot", name, "thin", thin,
						     "size_bytes", json_object_get(v, "estimate_bytes")));
	}
	json_t *entry = actor_consume_last("UpgradeBootEntry");
	json_t *boot = boot_copy(dir, json_string_value(json_object_get(entry, "file")));
	json_decref(entry);
	/* for the upgrade initramfs's shell (upgrade-rollback.sh): one snapshot per line, and what to
	 * do when the upgrade fails there */
	struct buf lb = {0};
	json_array_foreach(names, i, v)
		buf_printf(&lb, "%s\n", json_string_value(v));
	_cleanup_free_ char *ltxt = buf_steal(&lb);
	_cleanup_free_ char *lpath = path_join(dir, "lvs.txt");
	_cleanup_free_ char *fpath = path_join(dir, "on-failure");
	const char *onf = json_string_value(json_object_get(actor_config(), "on_failure"));
	_cleanup_free_ char *ftxt = xasprintf("%s\n", onf && !strcmp(onf, "shell") ? "shell" : "rollback");
	if ((r = write_file_atomic(lpath, ltxt, strlen(ltxt), 0600)) < 0 ||
	    (r = write_file_atomic(fpath, ftxt, strlen(ftxt), 0600)) < 0)
		actor_error("cannot write the snapshot set", "%s: %s", dir, strerror(-r));
	char ts[32];
	format_timestamp(now_realtime(), ts);
	/* last, atomically: from here on the set is complete */
	write_json(dir, "manifest.json", json_pack("{s:o, s:o, s:O, s:s}", "snapshots", lvs, "boot", boot, "lvs", names, "created", ts));
	actor_info("snapshot set complete: %zu snapshot(s), %zu file(s) of /boot", json_array_size(names), json_array_size(boot));
	json_decref(names);
	json_decref(plan);
	return actor_finish();
}
