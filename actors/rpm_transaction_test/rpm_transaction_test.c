/* Download: prove the plan with librpm. A test transaction (RPMTRANS_FLAG_TEST) of exactly the
 * planned set, the downloaded files installed or upgraded, the plan's removals erased, run
 * against a private copy of the --root rpmdb: librpm writes into its database directory even for
 * a test (sqlite's -shm, locks), and the system must not change before the upgrade. The copy
 * lives in /var/lib/leapp/transaction-test and %_dbpath points there (inside the root, as librpm
 * joins the two). The copy is rebuilt in the target's format first (el8's BerkeleyDB into el9's
 * sqlite), as rpmdb_rebuild does in the interim, so that what fails there fails here. File conflicts, disk space per filesystem and failed dependencies inhibit the
 * upgrade, named with packages and files. */
#include <inttypes.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "leapp/actor.h"
#include "rpm.h"
#include "plan.h"
#include "leapp/strmap.h"

#define MAX_LISTED 40

/*
 * librpm counts a read-only filesystem as full (lib/transaction.c: bavail = f_flag & ST_RDONLY ?
 * 0 : f_bavail), and in the sandbox every mount is read-only: a flag of the bind mounts, which the
 * kernel enforces whatever statvfs says. The upgrade writes to those filesystems after the
 * reboot, so their free space is what counts. This definition interposes on librpm's statvfs()
 * (the only caller in this process is its disk-space check) and reports each filesystem without
 * ST_RDONLY, with its real block and inode counts. (The asm name: with _FILE_OFFSET_BITS=64
 * the header would name it statvfs64, which librpm does not call; on 64-bit the structs match.)
 */
int rpm_statvfs(const char *path, struct statvfs *buf) __asm__("statvfs");
int rpm_statvfs(const char *path, struct statvfs *buf)
{
	struct statfs s;
	if (statfs(path, &s) < 0)
		return -1;
	memset(buf, 0, sizeof(*buf));
	buf->f_bsize = (unsigned long)s.f_bsize;
	buf->f_frsize = (unsigned long)(s.f_frsize ? s.f_frsize : s.f_bsize);
	buf->f_blocks = s.f_blocks;
	buf->f_bfree = s.f_bfree;
	buf->f_bavail = s.f_bavail;
	buf->f_files = s.f_files;
	buf->f_ffree = s.f_ffree;
	buf->f_favail = s.f_ffree;
	memcpy(&buf->f_fsid, &s.f_fsid, sizeof(buf->f_fsid) < sizeof(s.f_fsid) ? sizeof(buf->f_fsid) : sizeof(s.f_fsid));
	buf->f_flag = (unsigned long)s.f_flags & ~(unsigned long)(ST_RDONLY | 0x0020 /* ST_VALID */);
	buf->f_namemax = (unsigned long)s.f_namelen;
	return 0;
}

/* Is path (or a path below it) a directory that dir_to_symlink_preparation moves aside
 * (DirToSymlinkTasks from check_dir_to_symlink)? */
static bool dir_moved_aside(json_t *tasks, const char *path)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(tasks, "items"), i, it) {
		const char *d = json_string_value(json_object_get(it, "path"));
		size_t n = d ? strlen(d) : 0;
		if (d && path && !strncmp(path, d, n) && (path[n] == 0 || path[n] == '/'))
			return true;
	}
	return false;
}

static void on_progress(const char *what, uint64_t done, uint64_t total, void *ud)
{
	_cleanup_free_ char *w = xasprintf("RPM transaction test: %s", what);
	actor_progress(w, done, total);
}

/* name of a name-[E:]V-R[.arch] */
static char *name_of(const char *nevr)
{
	char *n = xstrdup(nevr);
	for (int k = 0; k < 2; k++) {
		char *d = strrchr(n, '-');
		if (d)
			*d = 0;
	}
	return n;
}

static char *plan_nevra(json_t *it)
{
	json_t *e = json_object_get(it, "epoch");
	json_int_t ep = json_is_integer(e) ? json_integer_value(e) : 0;
	const char *n = json_string_value(json_object_get(it, "name")), *v = json_string_value(json_object_get(it, "version")),
		   *r = json_string_value(json_object_get(it, "release")), *a = json_string_value(json_object_get(it, "arch"));
	if (!n || !v || !r || !a)
		return NULL;
	return ep ? xasprintf("%s-%lld:%s-%s.%s", n, (long long)ep, v, r, a) : xasprintf("%s-%s-%s.%s", n, v, r, a);
}

struct problems {
	json_t *list;               /* TransactionTestProblem */
	struct buf text[5];         /* per report: conflicts, space, deps, mismatch, other */
	size_t count[5];
};

enum { R_CONFLICT, R_SPACE, R_DEPS, R_MISMATCH, R_OTHER };

static void add_line(struct problems *P, int which, const char *fmt, ...) _printf_(3, 4);
static void add_line(struct problems *P, int which, const char *fmt, ...)
{
	if (P->count[which]++ >= MAX_LISTED)
		return;
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_printf(&P->text[which], "\n    - %s", s);
}

static void mismatch(struct problems *P, const char *pkg, const char *msg)
{
	_cleanup_free_ char *name = name_of(pkg);
	json_array_append_new(P->list, json_pack("{s:s, s:s, s:[s], s:s}", "kind", "plan-mismatch", "package", pkg,
						 "packages", name, "message", msg));
	add_line(P, R_MISMATCH, "%s", msg);
}

/* One filesystem's shortfall: librpm's bytes missing, and the space free there now (statfs of
 * the mount point under the root; the sandbox's read-only binds do not change the counts). */
static void space_line(struct problems *P, const char *fs, uint64_t missing)
{
	_cleanup_free_ char *p = actor_path(fs);
	struct statfs st;
	if (statfs(p, &st) == 0) {
		uint64_t avail = (uint64_t)st.f_bavail * (uint64_t)st.f_bsize;
		add_line(P, R_SPACE, "%s: needs %.1f MiB, %.1f MiB free, %.1f MiB more needed", fs,
			 (double)(avail + missing) / (1 << 20), (double)avail / (1 << 20), (double)missing / (1 << 20));
	} else
		add_line(P, R_SPACE, "%s: %.1f MiB more needed", fs, (double)missing / (1 << 20));
}

static void report(struct problems *P, int which, const char *title, const char *intro, const char *hint)
{
	if (!P->count[which])
		return;
	if (P->count[which] > MAX_LISTED)
		buf_printf(&P->text[which], "\n    ... and %zu more (all in TransactionTestResult)",
			   P->count[which] - MAX_LISTED);
	buf_append(&P->text[which], "", 1);
	_cleanup_free_ char *summary = xasprintf("%s%s", intro, P->text[which].data);
	json_t *e = report_new(title, summary, "high");
	report_add_group(e, "inhibitor");
	report_add_group(e, "rpm");
	if (which == R_SPACE)
		report_add_group(e, "filesystem");
	report_add_hint(e, hint);
	actor_report(e);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	double t0 = now_monotonic();
	json_t *plan = plan_consume_planned();
	json_t *dp = actor_consume_last("DownloadedPackages");
	if (!plan || !dp) {
		actor_warning("no transaction test: %s", !dp ? "the packages were not all downloaded and verified"
							     : "no planned transaction");
		json_decref(plan);
		json_decref(dp);
		return actor_finish();
	}
	const char *root = actor_root();
	_cleanup_free_ char *err = NULL, *dir = actor_path("/var/lib/leapp/transaction-test"), *copy = NULL;
	/* a copy left by a run that was killed is of no use */
	rm_rf(dir);
	int r = rpmenv_rpmdb_copy(root, dir, &copy, &err);
	if (r < 0)
		actor_error("cannot copy the RPM database for the transaction test", "%s", err);
	_cleanup_free_ char *dbpath = rpmenv_in_root(root, copy);
	const char *real_dbpath = rpmenv_dbpath(root);
	struct rpmrebuild_result rb;
	if (rpmrebuild_run(root, dbpath, &rb, &err) < 0) {
		rm_rf(dir);
		actor_error("cannot rebuild the copy of the RPM database in the target release's format", "%s", err);
	}
	if (rb.rebuilt)
		actor_info("the copy of the RPM database rebuilt from %s to %s (as the upgrade will): %zu packages in %.2f s",
			   rb.from, rb.to, rb.packages, rb.seconds);
	struct rpmtrans_opts o = {.root = root, .dbpath = dbpath, .test = true, .progress = on_progress};
	struct rpmtrans *t = NULL;
	if (rpmtrans_new(&o, &t, &err) < 0) {
		rm_rf(dir);
		actor_error("cannot set up the RPM transaction test", "%s", err);
	}

	double t_copy = now_monotonic();
	struct problems P = {.list = json_array()};
	/* the installs: beside (install-only), a reinstall (the same NEVRA installed when planned), or
	 * an upgrade (which is also how rpm downgrades) */
	size_t i, k;
	json_t *v, *it;
	struct strmap installed;
	strmap_init(&installed);
	json_array_foreach(json_object_get(plan, "installed"), i, v)
		if (json_is_string(v))
			strmap_put(&installed, json_string_value(v), NULL);
	json_array_foreach(json_object_get(dp, "packages"), i, v) {
		const char *path = json_string_value(json_object_get(v, "path"));
		_cleanup_free_ char *nevra = plan_nevra(v);
		enum rpmtrans_how how = json_is_true(json_object_get(v, "installonly")) ? RPMTRANS_BESIDE
					: !json_array_size(json_object_get(plan, "installed"))
						? RPMTRANS_AUTO
					: nevra && strmap_has(&installed, nevra) ? RPMTRANS_REINSTALL
										  : RPMTRANS_UPGRADE;
		free(err);
		err = NULL;
		if (!path || rpmtrans_add_package(t, path, how, &err) < 0) {
			rpmtrans_free(t);
			rm_rf(dir);
			actor_error("cannot add a downloaded package to the transaction test", "%s",
				    err ? err : "a package without a path");
		}
	}
	double t_add = now_monotonic();
	/* the removals the plan makes: removed and obsoleted packages, and what upgrades replace */
	struct strmap planned_erase;
	strmap_init(&planned_erase);
	json_array_foreach(json_object_get(plan, "items"), i, it) {
		const char *action = json_string_value(json_object_get(it, "action"));
		if (!action)
			continue;
		if (!strcmp(action, "remove") || !strcmp(action, "obsolete")) {
			_cleanup_free_ char *nevra = plan_nevra(it);
			if (nevra)
				strmap_put(&planned_erase, nevra, NULL);
		}
		const char *from = json_string_value(json_object_get(it, "from"));
		if (from && !json_is_true(json_object_get(it, "installonly"))) {
			_cleanup_free_ char *copyf = xstrdup(from);
			char *save = NULL;
			for (char *f = strtok_r(copyf, ",", &save); f; f = strtok_r(NULL, ",", &save))
				strmap_put(&planned_erase, str_strip(f), NULL);
		}
	}
	for (k = 0; k < planned_erase.n; k++) {
		if (!planned_erase.keys[k])
			continue;
		free(err);
		err = NULL;
		r = rpmtrans_add_erase(t, planned_erase.keys[k], &err);
		if (r == -ENOENT) {
			_cleanup_free_ char *msg = xasprintf("the plan removes %s, which is not installed", planned_erase.keys[k]);
			mismatch(&P, planned_erase.keys[k], msg);
		} else if (r < 0) {
			rpmtrans_free(t);
			rm_rf(dir);
			actor_error("cannot add a removal to the transaction test", "%s", err);
		}
	}
	/* rpm erases what an upgrade replaces on its own: nothing beyond the plan may go */
	char **erasures = rpmtrans_erasures(t);
	size_t n_erase = 0;
	for (; erasures[n_erase]; n_erase++) {
		if (strmap_has(&planned_erase, erasures[n_erase]))
			continue;
		_cleanup_free_ char *msg = xasprintf("rpm would also erase %s, which the plan keeps", erasures[n_erase]);
		mismatch(&P, erasures[n_erase], msg);
	}
	for (i = 0; erasures[i]; i++)
		free(erasures[i]);
	free(erasures);

	struct rpmtrans_result res;
	free(err);
	err = NULL;
	double t_erase = now_monotonic();
	r = rpmtrans_run(t, &res, &err);
	actor_debug("timings: rpmdb copy %.3f s, packages %.3f s, erasures %.3f s, librpm check and run %.3f s",
		    t_copy - t0, t_add - t_copy, t_erase - t_add, now_monotonic() - t_erase);
	rpmtrans_free(t);
	rm_rf(dir);
	if (r < 0) {
		strmap_clear(&planned_erase, NULL);
		strmap_clear(&installed, NULL);
		actor_error("the RPM transaction test could not run", "%s", err);
	}
	/* disk space: the largest shortfall per filesystem */
	struct strmap space;
	strmap_init(&space);
	json_t *moved = actor_consume_last("DirToSymlinkTasks");
	for (i = 0; i < res.n_problems; i++) {
		const struct rpmtrans_problem *p = &res.problems[i];
		if (p->kind == RPMTRANS_PROB_FILE_CONFLICT && dir_moved_aside(moved, p->file)) {
			/* rpm looks at the disk: the directory is still there now; dir_to_symlink_preparation
			 * moves it aside before the real transaction */
			actor_info("file %s: %s and %s: the directory is moved aside before the upgrade", p->file,
				   p->package ? p->package : "?", p->other ? p->other : "?");
			continue;
		}
		json_t *names = json_array();
		_cleanup_free_ char *n1 = p->package ? name_of(p->package) : NULL;
		_cleanup_free_ char *n2 = p->other && (p->kind == RPMTRANS_PROB_FILE_CONFLICT || p->kind == RPMTRANS_PROB_REQUIRES ||
							p->kind == RPMTRANS_PROB_CONFLICTS || p->kind == RPMTRANS_PROB_OBSOLETES)
						  ? name_of(p->other)
						  : NULL;
		if (n1)
			json_array_append_new(names, json_string(n1));
		if (n2 && (!n1 || strcmp(n1, n2)))
			json_array_append_new(names, json_string(n2));
		json_t *j = json_pack("{s:s, s:s?, s:s?, s:o, s:s?, s:s?, s:s?, s:s}", "kind",
				      rpmtrans_problem_kind_name(p->kind), "package", p->package, "other", p->other,
				      "packages", names, "file", p->file, "dependency", p->dependency, "filesystem",
				      p->filesystem, "message", p->message);
		json_object_set_new(j, "needed", p->kind == RPMTRANS_PROB_DISK_SPACE || p->kind == RPMTRANS_PROB_DISK_INODES
							 ? json_integer((json_int_t)p->needed)
							 : json_null());
		json_array_append_new(P.list, j);
		switch (p->kind) {
		case RPMTRANS_PROB_FILE_CONFLICT:
			add_line(&P, R_CONFLICT, "file %s: %s and %s", p->file ? p->file : "?", p->package ? p->package : "?",
				 p->other ? p->other : "?");
			break;
		case RPMTRANS_PROB_DISK_SPACE:
		case RPMTRANS_PROB_DISK_INODES: {
			_cleanup_free_ char *key = xasprintf("%s\t%s", p->kind == RPMTRANS_PROB_DISK_SPACE ? "b" : "i",
							     p->filesystem ? p->filesystem : "?");
			uint64_t have = (uint64_t)(uintptr_t)strmap_get(&space, key);
			if (p->needed > have)
				strmap_put(&space, key, (void *)(uintptr_t)p->needed);
			break;
		}
		case RPMTRANS_PROB_REQUIRES:
		case RPMTRANS_PROB_CONFLICTS:
		case RPMTRANS_PROB_OBSOLETES:
			add_line(&P, R_DEPS, "%s", p->message);
			break;
		default:
			add_line(&P, R_OTHER, "%s", p->message);
			break;
		}
	}
	for (k = 0; k < space.n; k++) {
		if (!space.keys[k])
			continue;
		uint64_t need = (uint64_t)(uintptr_t)space.vals[k];
		const char *fs = space.keys[k] + 2;
		if (space.keys[k][0] == 'b')
			space_line(&P, fs, need);
		else
			add_line(&P, R_SPACE, "%s needs %" PRIu64 " more inodes", fs, need);
	}
	strmap_clear(&space, NULL);
	json_decref(moved);
	report(&P, R_CONFLICT, "Target packages have conflicting files",
	       "The RPM transaction test found files that two packages of the upgrade would both own with different "
	       "content, so rpm would refuse the transaction:",
	       "Remove one of the conflicting packages before the upgrade (or list it in "
	       "/etc/leapp/transaction/to_remove), or get fixed packages into the target repositories.");
	/* upstream's wording for dnf's "more space needed" (an error there, an inhibitor here); no key */
	report(&P, R_SPACE, "There is not enough space on some file systems to perform the upgrade transaction.",
	       "The RPM transaction test found that the upgraded packages do not fit. Per mount point, what rpm "
	       "needs, what is free now and how much more is needed (the downloaded packages and the target "
	       "userspace already take their space, and stay until the transaction is done: they are not counted "
	       "again):",
	       "Free at least the missing space on each filesystem named (or grow it); rpm's figures are minimums, "
	       "so leave a margin (e.g. when 200 MiB are missing on /usr, add 1200 MiB or more). Then run leapp "
	       "upgrade again.");
	report(&P, R_DEPS, "The RPM transaction has unmet dependencies",
	       "librpm's dependency check of the planned transaction failed:",
	       "Install or remove the packages named so that the dependencies hold (see "
	       "/var/log/leapp/transaction.json for the plan), then run leapp upgrade again.");
	report(&P, R_MISMATCH, "The RPM transaction differs from the plan",
	       "librpm would not run exactly the planned transaction:",
	       "Run leapp upgrade again to plan the transaction anew; if this persists, report it with "
	       "/var/log/leapp/transaction.json.");
	report(&P, R_OTHER, "The RPM transaction test failed", "librpm reports problems with the planned transaction:",
	       "Fix what librpm names, then run leapp upgrade again.");
	bool passed = json_array_size(P.list) == 0;
	double secs = now_monotonic() - t0;
	if (passed)
		actor_info("the RPM transaction test passed: %zu installs, %zu erasures, in %.2f s", res.installs,
			   res.erasures, secs);
	else {
		actor_warning("the RPM transaction test failed: %zu problems", json_array_size(P.list));
		actor_stop_after_phase("the RPM transaction test failed");
	}
	if (res.rpm_log)
		actor_debug("librpm: %s", res.rpm_log);
	actor_produce("TransactionTestResult",
		      json_pack("{s:s, s:I, s:I, s:O, s:s, s:s, s:s, s:s, s:f, s:f}", "status", passed ? "passed" : "failed",
				"installs", (json_int_t)res.installs, "erasures", (json_int_t)res.erasures, "problems", P.list,
				"rpm_version", rpmtrans_rpm_version(), "dbpath", real_dbpath ? real_dbpath : "/var/lib/rpm",
				"rpmdb_format", rb.from ? rb.from : "unknown", "tested_format", rb.to ? rb.to : "unknown",
				"rebuild_seconds", rb.seconds, "seconds", secs));
	rpmrebuild_result_clear(&rb);
	rpmtrans_result_free(&res);
	for (k = 0; k < ELEMENTSOF(P.text); k++)
		buf_free(&P.text[k]);
	json_decref(P.list);
	strmap_clear(&planned_erase, NULL);
	strmap_clear(&installed, NULL);
	json_decref(plan);
	json_decref(dp);
	return actor_finish();
}
