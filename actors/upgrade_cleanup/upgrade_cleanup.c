/* FirstBoot: the upgraded system booted, so what only the upgrade needed goes:
 *   - the target userspace (/var/lib/leapp/el<N>userspace, and a half-made .new one);
 *   - the package cache (/var/lib/leapp/packages: the downloaded packages and the repository
 *     metadata copied beside them; the target repositories hold the same packages);
 *   - the transaction test's rpmdb copy, if a killed run left it, and the RPM upgrade's mark;
 *   - the upgrade kernel, initramfs and boot entry, if Finalization did not remove them.
 * Kept: leapp's database, /var/log/leapp (logs, the report, transaction.json, the RPM
 * transaction's scriptlet log) and the actors' scratch directories. Safe to run twice. */
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
	struct buf text;
	uint64_t bytes;
	size_t n;
};

/* Remove a tree below /var/lib/leapp (a path relative to the root). */
static void remove_tree(struct removed *R, const char *rel, const char *what)
{
	if (!rel || !str_startswith(rel, "/var/lib/leapp/") || strstr(rel, "/..") || !strcmp(rel, "/var/lib/leapp/"))
		return;
	_cleanup_free_ char *p = actor_path(rel);
	struct stat st;
	if (lstat(p, &st) < 0)
		return;
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
		}
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
	remove_tree(&R, us_path, "the target userspace");
	if (us_default && (!us_path || strcmp(us_default, us_path)))
		remove_tree(&R, us_default, "the target userspace");
	remove_tree(&R, us_new, "a target userspace a killed run left half-made");
	const char *cache = json_string_value(json_object_get(dp, "cache_dir_in_root")) ?: "/var/lib/leapp/packages";
	remove_tree(&R, cache, "the downloaded packages and the repository metadata");
	remove_tree(&R, "/var/lib/leapp/transaction-test", "the transaction test's rpmdb copy");
	remove_tree(&R, RPM_UPGRADE_MARK, "the RPM upgrade's mark");
	remove_boot_leftovers(&R, art, entry);

	if (R.n) {
		buf_append(&R.text, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"The upgraded system booted, so the files only the upgrade needed were removed (%.1f MiB):%s\n"
			"Kept: leapp's database (/var/lib/leapp/leapp.db) and /var/log/leapp (the logs, this report, "
			"transaction.json and the RPM transaction's scriptlet output, rpm-upgrade/rpm-transaction.log).",
			(double)R.bytes / (1 << 20), R.text.data);
		json_t *e = report_new("The upgrade's temporary files were removed", summary, "info");
		report_add_group(e, "upgrade process");
		actor_report(e);
	} else {
		actor_info("nothing left to clean up");
	}
	buf_free(&R.text);
	json_decref(us);
	json_decref(dp);
	json_decref(art);
	json_decref(entry);
	json_decref(ipu);
	return actor_finish();
}
