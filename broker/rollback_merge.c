/* leapp rollback on the upgraded system: merge the snapshots taken before the upgrade back into
 * their origins, put /boot's entries and GRUB files back, and keep the upgraded system's logs
 * and store on /boot (outside the merged volumes) for the source release's first boot, which
 * reports the rollback (leapp rollback boot-report). DESIGN.md section 12, issue 23 items 3, 5. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <leapp/rootfs.h>

#include "output.h"
#include "rollback.h"

#define FULL_INVALID 100.0

bool rollback_upgraded(struct leapp_ctx *c, const struct execution *ex)
{
	if (!strcmp(ex->status, "finished"))
		return true;
	/* Finalization asked for the reboot into the upgraded system */
	if (!strcmp(ex->status, "reboot") && ex->next_phase && !strcmp(ex->next_phase, "FirstBoot"))
		return true;
	/* FirstBoot ran (it reported errors: the upgrade ends "failed", or it was stopped) */
	json_t *runs = NULL;
	bool first_boot = false;
	size_t i;
	json_t *x;
	if (strcmp(ex->status, "rolled-back") && store_runs_list(c->store, ex->id, &runs) == 0)
		json_array_foreach(runs, i, x) {
			const char *ph = json_string_value(json_object_get(x, "phase"));
			first_boot |= ph && !strcmp(ph, "FirstBoot");
		}
	json_decref(runs);
	return first_boot;
}

/* The state of one snapshot: 0 valid, 1 already merging; -ENOENT gone, -EINVAL invalid, with
 * *ret_err. lvs by argv: attr[0] 'S' is a merging snapshot, attr[4] 'I' an invalid one. */
static int snapshot_state(const char *lv, char **ret_err)
{
	_cleanup_free_ char *o = NULL;
	_cleanup_free_ char *target = xstrdup(lv);
	char *args[] = {"lvs", "--noheadings", "-olv_attr,data_percent", target, NULL};
	int r = lvm_run(args, &o);
	char attr[16] = "";
	double pct = -1;
	if (r == 0 && sscanf(o, " %15s %lf", attr, &pct) < 1)
		r = -EINVAL;
	if (r) {
		*ret_err = xasprintf("the snapshot set is incomplete: lvm lvs %s: %s", lv,
				     r < 0 ? strerror(-r) : "failed (the snapshot does not exist)");
		return -ENOENT;
	}
	if (strlen(attr) >= 5 && attr[0] == 'S')
		return 1;
	if ((strlen(attr) >= 5 && attr[4] == 'I') || pct >= FULL_INVALID) {
		*ret_err = xasprintf("the snapshot %s is invalid (it overflowed: %.1f%% full, attributes %s): it cannot be "
				     "merged, and the upgrade cannot be rolled back; remove the set with leapp snapshot remove",
				     lv, pct, attr);
		return -EINVAL;
	}
	return 0;
}

/* The complete set's manifest, every snapshot it lists checked (*ret_merging: how many already
 * merge), every copied file of /boot present. NULL with *ret_err when it cannot be merged. */
static json_t *set_check(struct leapp_ctx *c, size_t *ret_merging, char **ret_err)
{
	_cleanup_free_ char *dir = path_join(c->statedir, "snapshots");
	_cleanup_free_ char *man = path_join(dir, "manifest.json");
	if (access(dir, F_OK) < 0) {
		*ret_err = xasprintf("there is no snapshot set in %s: the upgrade was made without snapshots (leapp upgrade "
				     "--snapshot), so leapp cannot roll it back", dir);
		return NULL;
	}
	json_error_t je;
	json_t *j = json_load_file(man, 0, &je);
	json_t *lvs = json_object_get(j, "lvs");
	if (!j || !json_array_size(lvs)) {
		*ret_err = access(man, F_OK) < 0
				   ? xasprintf("the snapshot set in %s is incomplete: it has no manifest.json (snapshot_take "
					       "stopped before it finished); it cannot be merged", dir)
				   : xasprintf("%s: not a snapshot set manifest (%s)", man, j ? "no snapshots listed" : je.text);
		json_decref(j);
		return NULL;
	}
	size_t i, merging = 0;
	json_t *x;
	json_array_foreach(lvs, i, x) {
		const char *lv = json_string_value(x);
		if (!lv || *lv == '-' || !strchr(lv, '/')) {
			*ret_err = xasprintf("%s: snapshot %zu is not VG/NAME", man, i);
			json_decref(j);
			return NULL;
		}
		int r = snapshot_state(lv, ret_err);
		if (r < 0) {
			json_decref(j);
			return NULL;
		}
		merging += r;
	}
	json_array_foreach(json_object_get(j, "boot"), i, x) {
		const char *p = json_string_value(x);
		_cleanup_free_ char *copy = p && str_startswith(p, "/boot/") ? xasprintf("%s/boot/%s", dir, p + 6) : NULL;
		if (!copy || strstr(p, "/../") || access(copy, F_OK) < 0) {
			*ret_err = xasprintf("the snapshot set is incomplete: its copy of %s is missing in %s/boot", p ? p : "?", dir);
			json_decref(j);
			return NULL;
		}
	}
	*ret_merging = merging;
	return j;
}

/* Writes data as path (inside the root, symlinks resolved inside it), keeping the mode of the
 * file it replaces (0644 for a new one). */
static int root_write(int rfd, const char *path, const char *data, size_t len, char **ret_err)
{
	_cleanup_free_ char *inner = NULL;
	int r = rootfs_resolve(rfd, path, &inner);
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", path, strerror(-r));
		return r;
	}
	char *slash = strrchr(inner, '/');
	*slash = 0;
	_cleanup_close_ int dfd = rootfs_open(rfd, *inner ? inner : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	struct stat st;
	mode_t mode = dfd >= 0 && fstatat(dfd, slash + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st.st_mode & 07777 : 0644;
	if (dfd < 0 || (r = write_file_atomic_at(dfd, slash + 1, data, len, mode)) < 0) {
		r = dfd < 0 ? dfd : r;
		*ret_err = xasprintf("cannot write %s: %s", path, strerror(-r));
		return r;
	}
	return 0;
}

/* /boot's entries and GRUB files as the set recorded them: each written back (an entry of the
 * upgrade initramfs that an older set copied is left out), then every other entry removed. */
static int boot_restore(struct leapp_ctx *c, json_t *man, struct buf *done, char **ret_err)
{
	_cleanup_close_ int rfd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0) {
		*ret_err = xasprintf("cannot open %s: %s", c->root, strerror(errno));
		return -errno;
	}
	json_t *keep = json_object();
	size_t i;
	json_t *x;
	int r = 0;
	json_array_foreach(json_object_get(man, "boot"), i, x) {
		const char *p = json_string_value(x);
		bool entry = str_startswith(p, "/boot/loader/entries/");
		if (entry && strstr(p, "-upgrade."))
			continue;
		_cleanup_free_ char *copy = xasprintf("%s/snapshots/boot/%s", c->statedir, p + 6);
		_cleanup_free_ char *data = NULL;
		size_t len = 0;
		if ((r = read_file(copy, 64 << 20, &data, &len)) < 0) {
			*ret_err = xasprintf("cannot read %s: %s", copy, strerror(-r));
			break;
		}
		if ((r = root_write(rfd, p, data, len, ret_err)) < 0)
			break;
		if (entry)
			json_object_set_new(keep, p + strlen("/boot/loader/entries/"), json_true());
		buf_printf(done, "  %s restored as it was before the upgrade\n", p);
	}
	_cleanup_close_ int dfd = r < 0 ? -1 : rootfs_open(rfd, "/boot/loader/entries", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (d)
		dfd = -1;
	struct dirent *de;
	while (d && r == 0 && (de = readdir(d))) {
		if (!str_endswith(de->d_name, ".conf") || json_object_get(keep, de->d_name))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) < 0) {
			r = -errno;
			*ret_err = xasprintf("cannot remove /boot/loader/entries/%s: %s", de->d_name, strerror(errno));
		} else
			buf_printf(done, "  /boot/loader/entries/%s removed (made by the upgrade)\n", de->d_name);
	}
	if (d)
		closedir(d);
	json_decref(keep);
	return r;
}

/* The upgraded system's leapp logs, report and audit store, kept in /boot/leapp-rollback with
 * the reason (the merge takes them away from /var); a second run keeps the first one's. */
static int keep_attempt(struct leapp_ctx *c, const struct execution *ex, struct buf *done, char **ret_err)
{
	_cleanup_free_ char *keep = NULL;
	int r = rootfs_host_path(c->root, ROLLBACK_KEEP_DIR, &keep);
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", ROLLBACK_KEEP_DIR, strerror(-r));
		return r;
	}
	_cleanup_free_ char *reason = path_join(keep, "reason");
	_cleanup_free_ char *old = NULL;
	size_t len = 0;
	if (read_file(reason, 1 << 16, &old, &len) == 0 && str_startswith(old, "leapp rollback")) {
		buf_printf(done, "  %s kept from the first leapp rollback\n", ROLLBACK_KEEP_DIR);
		return 0;
	}
	_cleanup_free_ char *tmp = xasprintf("%s.new", keep);
	_cleanup_free_ char *log = path_join(tmp, "log");
	_cleanup_free_ char *logsrc = xasprintf("%s/.", c->logdir);
	if ((r = rm_rf(tmp)) < 0 || (r = mkdir_p(log, 0700)) < 0) {
		*ret_err = xasprintf("cannot make %s: %s", tmp, strerror(-r));
		return r;
	}
	char *cp_log[] = {"cp", "-a", logsrc, log, NULL};
	if ((r = run_argv(cp_log, NULL)) != 0) {
		*ret_err = xasprintf("cannot copy %s into %s (cp exit %d)", c->logdir, log, r);
		return r < 0 ? r : -EIO;
	}
	static const char *const db[] = {"leapp.db", "leapp.db-wal", "leapp.db-shm", NULL};
	for (size_t i = 0; db[i]; i++) {
		_cleanup_free_ char *src = path_join(c->statedir, db[i]);
		char *cp_db[] = {"cp", "-a", src, tmp, NULL};
		if (access(src, F_OK) == 0 && (r = run_argv(cp_db, NULL)) != 0) {
			*ret_err = xasprintf("cannot copy %s into %s (cp exit %d)", src, tmp, r);
			return r < 0 ? r : -EIO;
		}
	}
	char ts[32];
	format_timestamp(now_realtime(), ts);
	_cleanup_free_ char *why = xasprintf("leapp rollback was run on the upgraded system at %s: the upgrade %s was "
					     "rolled back to the snapshots taken before it\n", ts, ex->uuid);
	_cleanup_free_ char *tmpreason = path_join(tmp, "reason");
	if ((r = write_file_atomic(tmpreason, why, strlen(why), 0600)) < 0 || (r = rm_rf(keep)) < 0 ||
	    (rename(tmp, keep) < 0 && (r = -errno) < 0)) {
		*ret_err = xasprintf("cannot write %s: %s", keep, strerror(-r));
		return r;
	}
	buf_printf(done, "  the upgraded system's logs, report and audit store kept in %s (with the reason)\n",
		   ROLLBACK_KEEP_DIR);
	return 0;
}

int rollback_merge(struct leapp_ctx *c, const struct execution *ex, struct buf *done, char **ret_err)
{
	size_t merging = 0;
	json_t *man = set_check(c, &merging, ret_err);
	if (!man)
		return -EINVAL;
	int r;
	if ((r = keep_attempt(c, ex, done, ret_err)) < 0 || (r = boot_restore(c, man, done, ret_err)) < 0) {
		json_decref(man);
		return r;
	}
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(man, "lvs"), i, x) {
		char *lv = (char *)json_string_value(x), *e = NULL;
		if (snapshot_state(lv, &e) == 1) {
			buf_printf(done, "  the snapshot %s: its merge was already scheduled\n", lv);
			continue;
		}
		free(e);
		char *args[] = {"lvconvert", "--merge", "-y", lv, NULL};
		if ((r = lvm_run(args, NULL)) != 0) {
			*ret_err = xasprintf("lvm lvconvert --merge -y %s: %s: the rollback is incomplete; run leapp rollback again",
					     lv, r < 0 ? strerror(-r) : "failed");
			json_decref(man);
			return r < 0 ? r : -EIO;
		}
		buf_printf(done, "  the snapshot %s: merge into its origin scheduled (lvconvert --merge)\n", lv);
	}
	json_decref(man);
	return 0;
}

/* The message of the source release's first boot, in /etc/motd.d (inside the root). */
static void motd_write(struct leapp_ctx *c, const char *text)
{
	_cleanup_free_ char *dir = NULL;
	if (rootfs_host_path(c->root, "/etc/motd.d", &dir) < 0 || mkdir_p(dir, 0755) < 0) {
		output_diag(c->out, "warning", "cannot make %s/etc/motd.d", c->root);
		return;
	}
	_cleanup_free_ char *p = path_join(dir, "leapp-rollback.motd");
	if (write_file_atomic(p, text, strlen(text), 0644) < 0)
		output_diag(c->out, "warning", "cannot write %s", p);
}

/* After the merge the store is as it was when the snapshots were taken (the upgrade running in
 * InterimPreparation): the upgrade is marked rolled-back there, when there is a store; the set's
 * directory lists snapshots that merged away. */
static void state_settle(struct leapp_ctx *c)
{
	struct execution ex = {0};
	_cleanup_free_ char *db = path_join(c->statedir, "leapp.db");
	if (access(db, F_OK) == 0 && ctx_open_store(c, false) == 0 && store_execution_last(c->store, "upgrade", &ex) == 0 && strcmp(ex.status, "rolled-back") &&
	    (store_execution_update(c->store, ex.id, "rolled-back", NULL, NULL, true) < 0 || store_flush(c->store, true) < 0))
		output_diag(c->out, "warning", "cannot mark the upgrade %s rolled back: %s", ex.uuid, store_errmsg(c->store));
	execution_clear(&ex);
	_cleanup_free_ char *set = path_join(c->statedir, "snapshots");
	_cleanup_free_ char *reboot = path_join(c->statedir, "reboot-required");
	if (rm_rf(set) < 0 || (unlink(reboot) < 0 && errno != ENOENT))
		output_diag(c->out, "warning", "cannot remove %s or %s", set, reboot);
}

int rollback_boot_report(struct leapp_ctx *c)
{
	_cleanup_free_ char *keep = NULL;
	int r = rootfs_host_path(c->root, ROLLBACK_KEEP_DIR, &keep);
	_cleanup_free_ char *rpath = r < 0 ? NULL : path_join(keep, "reason");
	_cleanup_free_ char *reason = NULL;
	size_t len = 0;
	if (r < 0 || read_file(rpath, 1 << 16, &reason, &len) < 0) {
		output_line(c->out, "There is no rollback to report (%s/reason does not exist).", ROLLBACK_KEEP_DIR);
		return EXIT_OK;
	}
	str_strip(reason);
	char stamp[32];
	time_t now = (time_t)now_realtime();
	struct tm tm;
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime_r(&now, &tm));
	_cleanup_free_ char *dst = xasprintf("%s/rollback/%s", c->logdir, stamp);
	_cleanup_free_ char *src = xasprintf("%s/.", keep);
	char *cp[] = {"cp", "-a", src, dst, NULL};
	if ((r = mkdir_p(dst, 0700)) < 0 || (r = run_argv(cp, NULL)) != 0) {
		output_diag(c->out, "error", "cannot copy %s into %s: %s", keep, dst, r < 0 ? strerror(-r) : "cp failed");
		return EXIT_ERROR;
	}
	if ((r = rm_rf(keep)) < 0)
		output_diag(c->out, "warning", "cannot remove %s: %s", keep, strerror(-r));
	_cleanup_free_ char *shown = xasprintf("/var/log/leapp/rollback/%s", stamp);
	_cleanup_free_ char *text = xasprintf(
		"leapp: the upgrade was rolled back; this is the release from before it.\n"
		"leapp: why: %s\n"
		"leapp: the attempt's logs, report and audit store: %s/ (log/, leapp.db)\n"
		"leapp: remove /etc/motd.d/leapp-rollback.motd once read; leapp upgrade starts a new attempt.\n",
		reason, shown);
	motd_write(c, text);
	state_settle(c);
	output_line(c->out, "%s", text);
	return EXIT_OK;
}
