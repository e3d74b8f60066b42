/* leapp rollback: undo an upgrade that leapp upgrade prepared and that has not started yet (before
 * the reboot into the upgrade initramfs), or go back from the upgraded system to the snapshots
 * taken before the upgrade (rollback_merge.c). DESIGN.md section 12. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <leapp/rootfs.h>

#include "cli.h"
#include "output.h"
#include "rollback.h"

static const struct cli_cmd cmd = {
	"rollback",
	"usage: leapp rollback [--keep-cache] [--root DIR]\n"
	"       leapp rollback boot-report [--root DIR]\n\n"
	"Before the reboot into the upgrade, undo the upgrade that leapp upgrade prepared: remove the upgrade\n"
	"boot entry, the upgrade kernel and initramfs from /boot, give back the GRUB environment block\n"
	"(next_entry) as it was before leapp upgrade, remove the target userspace, the transaction\n"
	"test's files and the downloaded packages (kept with --keep-cache), the LVM snapshots taken\n"
	"before the reboot (lvm lvremove) with /var/lib/leapp/snapshots, and the pending reboot\n"
	"(/var/lib/leapp/reboot-required). The system is then as it was before leapp upgrade; leapp's\n"
	"own logs and audit store keep the record of the attempt, which is marked rolled-back.\n"
	"It refuses once the upgrade has started after the reboot.\n\n"
	"On the upgraded system (the upgrade finished, or its first boot), go back to the release before\n"
	"it when leapp upgrade --snapshot took LVM snapshots: every snapshot of the set is checked (it\n"
	"refuses an incomplete set or an overflowed, invalid snapshot), the upgraded system's logs,\n"
	"report and audit store are kept in /boot/leapp-rollback, /boot's entries and GRUB files are put\n"
	"back from the set, and each snapshot's merge is scheduled (lvm lvconvert --merge); the reboot\n"
	"completes it. Running it again before the reboot is harmless.\n\n"
	"boot-report: the source release's first boot after a rollback (leapp-rollback-report.service):\n"
	"moves /boot/leapp-rollback to /var/log/leapp/rollback/<time>/, says why the upgrade was rolled\n"
	"back (stdout, /etc/motd.d/leapp-rollback.motd) and marks the upgrade rolled-back.\n\n"
	"exit codes: 0 rolled back, 1 error or nothing to roll back, 2 usage\n",
	OPT_ROOT | OPT_KEEP_CACHE | OPT_VERBOSE,
};

#define REBOOT_STATE_FILE "reboot-required"
#define RPM_UPGRADE_MARK "rpm-upgrade.started"

/* Removes, in the directory dir inside the root, the entries whose name starts with prefix and
 * ends with suffix; appends "dir/name" to done. 0 or -errno with *ret_err. */
static int remove_matching(int rfd, const char *dir, const char *prefix, const char *suffix, struct buf *done,
			   char **ret_err)
{
	int dfd = rootfs_open(rfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0) {
		*ret_err = xasprintf("cannot open %s: %s", dir, strerror(-dfd));
		return dfd;
	}
	DIR *d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	int r = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!str_startswith(de->d_name, prefix) || !str_endswith(de->d_name, suffix))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) < 0) {
			r = -errno;
			*ret_err = xasprintf("cannot remove %s/%s: %s", dir, de->d_name, strerror(errno));
			break;
		}
		buf_printf(done, "  %s/%s\n", dir, de->d_name);
	}
	closedir(d);
	return r;
}

/* The GRUB environment block as the record has it (or gone, when there was none). */
static int restore_grubenv(int rfd, const struct rollback_record *rec, struct buf *done, char **ret_err)
{
	_cleanup_free_ char *dir = xstrdup(rec->grubenv_path);
	char *slash = strrchr(dir, '/');
	const char *name = slash + 1;
	*slash = 0;
	_cleanup_close_ int dfd = rootfs_open(rfd, *dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dfd < 0) {
		*ret_err = xasprintf("cannot open %s: %s", *dir ? dir : "/", strerror(-dfd));
		return dfd;
	}
	int r;
	if (!rec->grubenv_existed) {
		if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT) {
			r = -errno;
			*ret_err = xasprintf("cannot remove %s: %s", rec->grubenv_path, strerror(errno));
			return r;
		}
		buf_printf(done, "  %s (it did not exist before)\n", rec->grubenv_path);
		return 0;
	}
	if ((r = write_file_atomic_at(dfd, name, rec->grubenv, rec->grubenv_len, rec->grubenv_mode)) < 0 ||
	    (fchmodat(dfd, name, rec->grubenv_mode, AT_SYMLINK_NOFOLLOW) < 0 && errno != EOPNOTSUPP &&
	     (r = -errno) < 0)) {
		*ret_err = xasprintf("cannot write %s: %s", rec->grubenv_path, strerror(-r));
		return r;
	}
	buf_printf(done, "  %s restored as it was before leapp upgrade\n", rec->grubenv_path);
	return 0;
}

/* leapp's own directories that the upgrade made: the target userspace, the test's, the cache. */
static int remove_state(struct leapp_ctx *c, bool keep_cache, struct buf *done, char **ret_err)
{
	DIR *d = opendir(c->statedir);
	if (!d) {
		*ret_err = xasprintf("cannot open %s: %s", c->statedir, strerror(errno));
		return -errno;
	}
	int r = 0;
	struct dirent *de;
	while (!r && (de = readdir(d))) {
		const char *n = de->d_name;
		bool userspace = str_startswith(n, "el") && str_endswith(n, "userspace");
		if (!userspace && strcmp(n, "transaction-test") && (keep_cache || strcmp(n, "packages")))
			continue;
		_cleanup_free_ char *p = path_join(c->statedir, n);
		if ((r = rm_rf(p)) < 0)
			*ret_err = xasprintf("cannot remove %s: %s", p, strerror(-r));
		else
			buf_printf(done, "  /var/lib/leapp/%s\n", n);
	}
	closedir(d);
	return r;
}

/* The snapshot set that snapshot_take made (complete or partial): its snapshots, then itself. */
int snapshot_set_remove(struct leapp_ctx *c, struct buf *done, char **ret_err)
{
	_cleanup_free_ char *dir = path_join(c->statedir, "snapshots");
	_cleanup_free_ char *man = path_join(dir, "manifest.json");
	_cleanup_free_ char *pend = path_join(dir, "pending.json");
	json_t *j = json_load_file(access(man, F_OK) == 0 ? man : pend, 0, NULL);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "lvs"), i, x) {
		const char *lv = json_string_value(x);
		if (!lv || *lv == '-' || !strchr(lv, '/'))
			continue;
		char *args[] = {"lvremove", "-y", (char *)lv, NULL};
		int r = lvm_run(args, NULL);
		if (r) {
			*ret_err = xasprintf("lvm lvremove -y %s: %s", lv, r < 0 ? strerror(-r) : "failed");
			json_decref(j);
			return r < 0 ? r : -EIO;
		}
		buf_printf(done, "  the snapshot %s (lvremove)\n", lv);
	}
	json_decref(j);
	if (access(dir, F_OK) == 0) {
		int r = rm_rf(dir);
		if (r < 0) {
			*ret_err = xasprintf("cannot remove %s: %s", dir, strerror(-r));
			return r;
		}
		buf_printf(done, "  /var/lib/leapp/snapshots\n");
	}
	return 0;
}

/* The last upgrade, if it may be rolled back here: 0 prepared (before the reboot), 1 upgraded;
 * otherwise says why not. */
static int check_prepared(struct leapp_ctx *c, struct execution *ex)
{
	int r = store_execution_last(c->store, "upgrade", ex);
	if (r == -ENOENT) {
		output_diag(c->out, "error", "there is no upgrade to roll back in %s", store_path(c->store));
		return r;
	}
	if (r < 0) {
		output_diag(c->out, "error", "cannot read the last upgrade: %s", store_errmsg(c->store));
		return r;
	}
	_cleanup_free_ char *mark = path_join(c->statedir, RPM_UPGRADE_MARK);
	_cleanup_free_ char *state = path_join(c->statedir, REBOOT_STATE_FILE);
	_cleanup_free_ char *s = NULL;
	size_t len = 0;
	json_t *j = read_file(state, 1 << 16, &s, &len) == 0 ? json_loadb(s, len, 0, NULL) : NULL;
	const char *phase = json_string_value(json_object_get(j, "phase"));
	const char *exec = json_string_value(json_object_get(j, "execution"));
	bool prepared = !strcmp(ex->status, "reboot") && phase && !strcmp(phase, "InterimPreparation") && exec &&
			!strcmp(exec, ex->uuid) && access(mark, F_OK) < 0;
	json_decref(j);
	if (prepared)
		return 0;
	if (rollback_upgraded(c, ex))
		return 1;
	if (!strcmp(ex->status, "rolled-back"))
		output_diag(c->out, "error", "the last upgrade (%s) was already rolled back: there is nothing to undo", ex->uuid);
	else if (!strcmp(ex->status, "finished") || !strcmp(ex->status, "reboot") || !strcmp(ex->status, "running") ||
		 ex->next_phase)
		output_diag(c->out, "error",
			    "the last upgrade (%s) has already started after the reboot (status %s%s%s): leapp rollback only "
			    "undoes an upgrade that is prepared and waiting for the reboot",
			    ex->uuid, ex->status, ex->next_phase ? ", next phase " : "", ex->next_phase ?: "");
	else
		output_diag(c->out, "error",
			    "the last upgrade (%s) did not prepare the reboot (status %s): there is no prepared upgrade to roll back",
			    ex->uuid, ex->status);
	return -EPERM;
}

static int undo(struct leapp_ctx *c, bool keep_cache, struct buf *done, char **err)
{
	struct rollback_record rec = {0};
	int r = rollback_record_load(c->statedir, &rec, err);
	if (r == -ENOENT) {
		*err = xasprintf("%s/%s/record.json is missing: the upgrade was prepared by a leapp that keeps no record; "
				 "undo it by hand", c->statedir, ROLLBACK_DIR);
		return r;
	}
	if (r < 0)
		return r;
	_cleanup_close_ int rfd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0) {
		r = -errno;
		*err = xasprintf("cannot open %s: %s", c->root, strerror(errno));
		rollback_record_clear(&rec);
		return r;
	}
	_cleanup_free_ char *mid = NULL;
	size_t n = 0;
	int mfd = rootfs_open(rfd, "/etc/machine-id", O_RDONLY | O_CLOEXEC, 0);
	if (mfd >= 0) {
		(void)read_fd(mfd, 256, &mid, &n);
		close(mfd);
	}
	_cleanup_free_ char *prefix = xasprintf("%s-upgrade.", mid ? str_strip(mid) : "");
	/* the grubenv first: once it no longer boots the upgrade entry, the rest is only files */
	if ((r = restore_grubenv(rfd, &rec, done, err)) < 0 ||
	    (r = remove_matching(rfd, "/boot/loader/entries", prefix, ".conf", done, err)) < 0 ||
	    (r = remove_matching(rfd, "/boot", "vmlinuz-upgrade.", "", done, err)) < 0 ||
	    (r = remove_matching(rfd, "/boot", "initramfs-upgrade.", ".img", done, err)) < 0 ||
	    (r = remove_state(c, keep_cache, done, err)) < 0 || (r = snapshot_set_remove(c, done, err)) < 0) {
		rollback_record_clear(&rec);
		return r;
	}
	rollback_record_clear(&rec);
	return 0;
}

/* On the upgraded system: merge the snapshots back, then the reboot completes it. */
static int rollback_upgraded_system(struct leapp_ctx *c, const struct execution *ex)
{
	struct buf done = {0};
	char *err = NULL;
	int r = rollback_merge(c, ex, &done, &err);
	_cleanup_free_ char *d = buf_steal(&done);
	if (r < 0) {
		output_diag(c->out, "error", "cannot roll back the upgrade %s: %s", ex->uuid, err ? err : strerror(-r));
		if (*d)
			output_line(c->out, "What was done before the error:\n%s", d);
		free(err);
		return EXIT_ERROR;
	}
	output_line(c->out, "Rolling back the upgrade %s to the release before it:\n%s", ex->uuid, d);
	output_line(c->out, "Reboot now to complete the rollback: the snapshots merge into their origins when those are "
			    "next activated, at the next boot; anything written to those volumes until then is lost. The "
			    "first boot of the release before the upgrade reports the rollback.");
	return EXIT_OK;
}

int cmd_rollback(int argc, char **argv, struct leapp_ctx *c)
{
	struct cli_args a = {0};
	int oi, r = parse_options(argc, argv, &cmd, c, &a, &oi);
	bool boot_report = !r && oi < argc && !strcmp(argv[oi], "boot-report");
	if (!r)
		r = no_more_arguments(&cmd, argc, argv, oi + boot_report);
	bool keep_cache = a.keep_cache;
	cli_args_clear(&a);
	if (r)
		return r == 1 ? EXIT_OK : r;
	cli_setup_output(c, false);
	if ((r = cli_init(c)))
		return r;
	/* the report does not need the store: it marks the upgrade in it when there is one */
	if (boot_report)
		return rollback_boot_report(c);
	if ((r = ctx_open_store(c, false)) < 0)
		return EXIT_ERROR;
	struct execution ex = {0};
	if ((r = check_prepared(c, &ex)) < 0) {
		execution_clear(&ex);
		return EXIT_ERROR;
	}
	if (r == 1) {
		r = rollback_upgraded_system(c, &ex);
		execution_clear(&ex);
		return r;
	}
	struct buf done = {0};
	char *err = NULL;
	r = undo(c, keep_cache, &done, &err);
	if (r < 0) {
		output_diag(c->out, "error", "%s", err ? err : strerror(-r));
		_cleanup_free_ char *d = buf_steal(&done);
		if (*d)
			output_line(c->out, "What was undone before the error:\n%s", d);
		free(err);
		execution_clear(&ex);
		return EXIT_ERROR;
	}
	/* the pending reboot and the record go last: a rollback that stopped can be run again */
	_cleanup_free_ char *state = path_join(c->statedir, REBOOT_STATE_FILE);
	_cleanup_free_ char *rec = path_join(c->statedir, ROLLBACK_DIR);
	if ((unlink(state) < 0 && errno != ENOENT) || rm_rf(rec) < 0)
		output_diag(c->out, "warning", "cannot remove %s or %s", state, rec);
	if (store_execution_update(c->store, ex.id, "rolled-back", NULL, NULL, true) < 0 || store_flush(c->store, true) < 0)
		output_diag(c->out, "warning", "cannot mark the upgrade %s rolled back: %s", ex.uuid, store_errmsg(c->store));
	_cleanup_free_ char *d = buf_steal(&done);
	output_line(c->out, "Rolled back the upgrade %s prepared by leapp upgrade; removed or restored:\n%s%s", ex.uuid, d,
		    keep_cache ? "The downloaded packages stay in /var/lib/leapp/packages (--keep-cache).\n" : "");
	output_line(c->out, "The system is as it was before leapp upgrade (leapp's logs and audit store aside); "
			    "nothing waits for a reboot.");
	execution_clear(&ex);
	return EXIT_OK;
}
