/* FirstBoot: the upgraded system booted, so what only the upgrade needed goes:
 *   - the target userspace (/var/lib/leapp/el<N>userspace, and a half-made .new one);
 *   - the package cache (/var/lib/leapp/packages: the downloaded packages and the repository
 *     metadata copied beside them; the target repositories hold the same packages);
 *   - the transaction test's rpmdb copy, if a killed run left it, and the RPM upgrade's mark;
 *   - the upgrade kernel, initramfs and boot entry, if Finalization did not remove them.
 * Kept: leapp's database, /var/log/leapp (logs, the report, transaction.json, the RPM
 * transaction's scriptlet log) and the actors' scratch directories. Safe to run twice: what the
 * messages say the upgrade made and is gone already (removed by an earlier run that was killed
 * before its commit, whose report entry went with it, or by Finalization) is listed as such, so
 * the report says the state of the system either way. */
#include <dirent.h>
#include <ftw.h>
#include <sys/stat.h>

#include "sys.h"
#include "plan.h"
#include "boot.h"
#include "leapp/actor.h"

static uint64_t du_total;

static int du_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_F || flag == FTW_SL || flag == FTW_D || flag == FTW_DP)
		du_total += (uint64_t)st->st_blocks * 512;
	return 0;
}

/* Bytes a tree takes on disk (0 when absent). */
static uint64_t du(const char *path)
{
	du_total = 0;
	nftw(path, du_cb, 32, FTW_PHYS | FTW_MOUNT);
	return du_total;
}

struct removed {
	struct buf text, gone;
	uint64_t bytes;
	size_t n, n_gone;
};

/* Note that rel (what), which the upgrade made, is not there any more. */
static void gone(struct removed *R, const char *rel, const char *what)
{
	buf_printf(&R->gone, "\n    - %s (%s)", rel, what);
	R->n_gone++;
}

/* Remove a tree below /var/lib/leapp (a path relative to the root); made: a message says the
 * upgrade made it, so its absence is worth saying. */
static void remove_tree(struct removed *R, const char *rel, const char *what, bool made)
{
	if (!rel || !str_startswith(rel, "/var/lib/leapp/") || strstr(rel, "/..") || !strcmp(rel, "/var/lib/leapp/"))
		return;
	_cleanup_free_ char *p = actor_path(rel);
	struct stat st;
	if (lstat(p, &st) < 0) {
		if (errno == ENOENT && made)
			gone(R, rel, what);
		return;
	}
	uint64_t b = du(p);
	int r = S_ISDIR(st.st_mode) ? rm_rf(p) : (unlink(p) < 0 ? -errno : 0);
	if (r < 0)
		actor_error("cannot remove what the upgrade left", "%s (%s): %s", rel, what, strerror(-r));
	actor_info("removed %s (%s, %.1f MiB)", rel, what, (double)b / (1 << 20));
	buf_printf(&R->text, "\n    - %s (%s, %.1f MiB)", rel, what, (double)b / (1 << 20));
	R->bytes += b;
	R->n++;
}

static bool upgrade_boot_file(const char *name)
{
	return str_startswith(name, "vmlinuz-upgrade.") || str_startswith(name, "initramfs-upgrade.") ||
	       (str_startswith(name, ".vmlinuz-upgrade.") && str_endswith(name, ".hmac"));
}

static void remove_boot_leftovers(struct removed *R, json_t *art, json_t *entry)
{
	const char *root = actor_root();
	_cleanup_free_ char *arch = json_is_string(json_object_get(art, "arch"))
					    ? xstrdup(json_string_value(json_object_get(art, "arch")))
					    : sys_arch_get();
	_cleanup_free_ char *id = json_is_string(json_object_get(entry, "id"))
					  ? xstrdup(json_string_value(json_object_get(entry, "id")))
					  : boot_upgrade_entry_id(root, arch);
	_cleanup_free_ char *kernel = xasprintf("/boot/vmlinuz-upgrade.%s", arch);
	if (id) {
		bool changed = false;
		_cleanup_free_ char *err = NULL;
		if (boot_upgrade_entry_remove(root, id, kernel, &changed, &err) < 0)
			actor_error("cannot remove the upgrade boot entry", "%s", err);
		if (changed) {
			actor_info("removed the upgrade boot entry %s", id);
			buf_printf(&R->text, "\n    - the upgrade boot entry %s", id);
			R->n++;
		} else if (entry) {
			_cleanup_free_ char *what = xasprintf("the upgrade boot entry %s", id);
			gone(R, "/boot/loader/entries", what);
		}
	}
	/* the upgrade kernel and initramfs the messages name, gone before this run looked */
	static const char *const files[] = {"kernel", "initramfs"};
	for (size_t i = 0; i < ELEMENTSOF(files); i++) {
		const char *f = json_string_value(json_object_get(art, files[i]));
		if (!f || !str_startswith(f, "/boot/") || strstr(f, "/.."))
			continue;
		_cleanup_free_ char *p = actor_path(f);
		struct stat st;
		if (lstat(p, &st) < 0 && errno == ENOENT)
			gone(R, f, i ? "the upgrade initramfs" : "the upgrade kernel");
	}
	_cleanup_free_ char *boot = actor_path("/boot");
	DIR *d = opendir(boot);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!upgrade_boot_file(de->d_name))
			continue;
		_cleanup_free_ char *p = path_join(boot, de->d_name);
		struct stat st;
		uint64_t b = lstat(p, &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0;
		if (unlink(p) < 0 && errno != ENOENT)
			actor_error("cannot remove an upgrade boot file", "/boot/%s: %s", de->d_name, strerror(errno));
		actor_info("removed /boot/%s", de->d_name);
		buf_printf(&R->text, "\n    - /boot/%s", de->d_name);
		R->bytes += b;
		R->n++;
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *us = actor_consume_last("TargetUserSpaceInfo");
	json_t *dp = actor_consume_last("DownloadedPackages");
	json_t *art = actor_consume_last("UpgradeBootArtifacts");
	json_t *entry = actor_consume_last("UpgradeBootEntry");
	json_t *ipu = ipu_config_get();
	struct removed R = {0};

	const char *us_path = json_string_value(json_object_get(us, "path_in_root"));
	int major = ipu_target_major(ipu);
	_cleanup_free_ char *us_default = major > 0 ? xasprintf("/var/lib/leapp/el%duserspace", major) : NULL;
	_cleanup_free_ char *us_new = us_path ? xasprintf("%s.new", us_path) : NULL;
	remove_tree(&R, us_path, "the target userspace", true);
	if (us_default && (!us_path || strcmp(us_default, us_path)))
		remove_tree(&R, us_default, "the target userspace", false);
	remove_tree(&R, us_new, "a target userspace a killed run left half-made", false);
	const char *cache = json_string_value(json_object_get(dp, "cache_dir_in_root"));
	remove_tree(&R, cache ?: "/var/lib/leapp/packages", "the downloaded packages and the repository metadata", cache != NULL);
	remove_tree(&R, "/var/lib/leapp/transaction-test", "the transaction test's rpmdb copy", false);
	remove_tree(&R, RPM_UPGRADE_MARK, "the RPM upgrade's mark", false);
	remove_boot_leftovers(&R, art, entry);

	if (R.n || R.n_gone) {
		buf_append(&R.text, "", 1);
		buf_append(&R.gone, "", 1);
		_cleanup_free_ char *removed =
			R.n ? xasprintf("The upgraded system booted, so the files only the upgrade needed were removed "
					"(%.1f MiB):%s",
					(double)R.bytes / (1 << 20), R.text.data)
			    : xstrdup("The upgraded system booted; the files only the upgrade needed are removed already.");
		_cleanup_free_ char *summary = xasprintf(
			"%s%s%s\n"
			"Kept: leapp's database (/var/lib/leapp/leapp.db) and /var/log/leapp (the logs, this report, "
			"transaction.json and the RPM transaction's scriptlet output, rpm-upgrade/rpm-transaction.log).",
			removed,
			R.n_gone ? "\nGone already (removed earlier in the upgrade, or by an earlier run of this step that was "
				   "interrupted):"
				 : "",
			R.n_gone ? R.gone.data : "");
		json_t *e = report_new("The upgrade's temporary files were removed", summary, "info");
		report_add_group(e, "upgrade process");
		actor_report(e);
	} else {
		actor_info("nothing left to clean up");
	}
	buf_free(&R.text);
	buf_free(&R.gone);
	json_decref(us);
	json_decref(dp);
	json_decref(art);
	json_decref(entry);
	json_decref(ipu);
	return actor_finish();
}
