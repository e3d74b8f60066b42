/* RPMUpgrade: the upgrade's RPM transaction, run by librpm into the root (scriptlets chrooted in
 * it), from the packages the Download phase fetched, verified and tested.
 *
 * The transaction is solved again from the rpmdb as it is now, with the plan's repositories
 * (their metadata copied into the package cache), excludes, install-only names, module streams
 * and tasks: never the old plan replayed. On the first run the rpmdb is the planned one and the
 * result must be the plan, item for item. A run that was killed (power cut, kill -9) leaves a
 * half-done transaction: rpm installs every new package before it erases the old ones, so the
 * rpmdb then holds some packages twice; solving again gives what is left to do, and the older
 * of two versions of a package (not an install-only one) is erased with it. What may be
 * installed is what was downloaded and tested; what may be erased is what the plan erases, plus
 * those duplicates: anything else stops the actor before rpm runs. A run after a complete one
 * finds nothing to do.
 *
 * Before it changes the rpmdb, the actor writes the durable mark of upgradestate.h, so that the
 * checks before this phase do not take the half-done rpmdb of a resumed upgrade for a change
 * behind leapp's back. The target keys are imported first (an already imported key is skipped)
 * and the obsoleted ones erased with the transaction. Afterwards the packages of the old release
 * still installed are reported: the old kernels (kept on purpose) and anything else. */
#include <fcntl.h>
#include <sys/stat.h>

#include "sys.h"
#include "rpm.h"
#include "plan.h"
#include "leapp/strmap.h"
#include "leapp/actor.h"

#define MAX_LISTED 40
/* its own subdirectory of the log directory, declared in actor.yaml (actors never write
 * /var/log/leapp itself) */
#define SCRIPT_LOG_DIR "/var/log/leapp/rpm-upgrade"
#define SCRIPT_LOG SCRIPT_LOG_DIR "/rpm-transaction.log"

struct upgrade {
	const char *root;
	json_t *plan, *dp, *keys, *test, *cache;
	struct strmap downloaded;   /* NEVRA -> DownloadedPackage (borrowed) */
	struct strmap cached_repos; /* repoid -> host path of the cached metadata (malloc'd) */
	struct strmap allowed_erase;   /* NEVRAs this run may erase */
	char **installonly;         /* the plan's install-only names and provides */
	size_t n_installonly;
	double last_progress;
};

static char *nevra_of(const char *n, json_int_t e, const char *v, const char *r, const char *a)
{
	return e > 0 ? xasprintf("%s-%lld:%s-%s.%s", n, (long long)e, v, r, a) : xasprintf("%s-%s-%s.%s", n, v, r, a);
}

/* name-[E:]V-R.arch of a PlannedRPM, DownloadedPackage or RPM message */
static char *json_nevra(json_t *it)
{
	const char *n = json_string_value(json_object_get(it, "name")), *v = json_string_value(json_object_get(it, "version")),
		   *r = json_string_value(json_object_get(it, "release")), *a = json_string_value(json_object_get(it, "arch"));
	if (!n || !v || !r || !a)
		return NULL;
	return nevra_of(n, json_integer_value(json_object_get(it, "epoch")), v, r, a);
}

static char *item_nevra(const struct solve_item *it)
{
	return nevra_of(it->name, (json_int_t)it->epoch, it->version, it->release, it->arch);
}

static bool is_install(const char *action)
{
	return !strcmp(action, "install") || !strcmp(action, "upgrade") || !strcmp(action, "downgrade");
}

static bool is_erase(const char *action)
{
	return !strcmp(action, "remove") || !strcmp(action, "obsolete");
}

/* The metadata copy in the package cache, when it is there: the plan's file:// URLs name paths
 * of the system before the reboot. */
static const char *baseurl_for(const char *repoid, void *userdata)
{
	struct upgrade *u = userdata;
	return strmap_get(&u->cached_repos, repoid);
}

static void index_inputs(struct upgrade *u)
{
	size_t i;
	json_t *v;
	strmap_init(&u->downloaded);
	strmap_init(&u->cached_repos);
	strmap_init(&u->allowed_erase);
	json_array_foreach(json_object_get(u->dp, "packages"), i, v) {
		_cleanup_free_ char *nevra = json_nevra(v);
		if (nevra)
			strmap_put(&u->downloaded, nevra, v);
	}
	json_array_foreach(json_object_get(u->cache, "repos"), i, v) {
		const char *id = json_string_value(json_object_get(v, "repoid"));
		const char *in_root = json_string_value(json_object_get(v, "path_in_root"));
		if (!id || !in_root)
			continue;
		char *dir = actor_path(in_root);
		_cleanup_free_ char *repomd = path_join(dir, "/repodata/repomd.xml");
		if (access(repomd, R_OK) == 0) {
			free(strmap_put(&u->cached_repos, id, dir));
		} else {
			actor_warning("repository %s: no cached metadata in %s; solving with its baseurl", id, in_root);
			free(dir);
		}
	}
	/* what the plan erases: removals, obsoleted packages and the versions upgrades replace
	 * (install-only packages replace nothing) */
	json_array_foreach(json_object_get(u->plan, "items"), i, v) {
		const char *action = json_string_value(json_object_get(v, "action")) ?: "";
		if (is_erase(action)) {
			_cleanup_free_ char *nevra = json_nevra(v);
			if (nevra)
				strmap_put(&u->allowed_erase, nevra, NULL);
		}
		const char *from = json_string_value(json_object_get(v, "from"));
		if (from && is_install(action) && !json_is_true(json_object_get(v, "installonly"))) {
			_cleanup_free_ char *copy = xstrdup(from);
			char *save = NULL;
			for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save))
				strmap_put(&u->allowed_erase, str_strip(f), NULL);
		}
	}
	u->installonly = plan_json_strv(json_object_get(u->plan, "installonly"), &u->n_installonly);
}

static void on_progress(const char *what, uint64_t done, uint64_t total, void *userdata)
{
	struct upgrade *u = userdata;
	_cleanup_free_ char *w = xasprintf("RPM upgrade: %s", what);
	actor_progress(w, done, total);
	/* a line in the log now and then, for the console of the upgrade initramfs */
	double now = now_monotonic();
	if (!strcmp(what, "installing") && (done == total || now - u->last_progress >= 10)) {
		u->last_progress = now;
		actor_info("RPM upgrade: %llu of %llu transaction elements", (unsigned long long)done, (unsigned long long)total);
	}
}

static void on_rpm_log(int level, const char *line, void *userdata)
{
	/* e.g. "warning: /etc/x created as /etc/x.rpmnew": worth keeping, not a failure */
	actor_log(level <= 3 /* RPMLOG_ERR */ ? LOG_LEVEL_WARNING : LOG_LEVEL_INFO, "rpm: %s", line);
}

/* "action name E:V-R.arch" of the plan's items, and of the solved ones, sorted: the first run
 * must solve exactly the tested plan */
static void check_as_planned(struct upgrade *u, const struct solve_result *res)
{
	size_t n_plan = 0, n_now = 0, i;
	json_t *v;
	char **plan = xcalloc(json_array_size(json_object_get(u->plan, "items")) + 1, sizeof(char *));
	char **now = xcalloc(res->n_items + 1, sizeof(char *));
	json_array_foreach(json_object_get(u->plan, "items"), i, v) {
		const char *action = json_string_value(json_object_get(v, "action")) ?: "";
		_cleanup_free_ char *nevra = json_nevra(v);
		if (strcmp(action, "keep") && nevra)
			plan[n_plan++] = xasprintf("%s %s", action, nevra);
	}
	for (i = 0; i < res->n_items; i++) {
		if (res->items[i].action == SOLVE_ACTION_KEEP)
			continue;
		_cleanup_free_ char *nevra = item_nevra(&res->items[i]);
		now[n_now++] = xasprintf("%s %s", solve_action_name(res->items[i].action), nevra);
	}
	qsort(plan, n_plan, sizeof(char *), str_cmp_qsort);
	qsort(now, n_now, sizeof(char *), str_cmp_qsort);
	struct buf b = {0};
	size_t diff = 0, a = 0, c = 0;
	while (a < n_plan || c < n_now) {
		int k = a == n_plan ? 1 : c == n_now ? -1 : strcmp(plan[a], now[c]);
		if (k == 0) {
			a++, c++;
			continue;
		}
		if (diff++ < MAX_LISTED)
			buf_printf(&b, "\n  %s: %s", k < 0 ? "planned, not solved now" : "solved now, not planned",
				   k < 0 ? plan[a] : now[c]);
		if (k < 0)
			a++;
		else
			c++;
	}
	strv_free_n(plan, n_plan);
	strv_free_n(now, n_now);
	if (diff) {
		buf_append(&b, "", 1);
		actor_error("the upgrade transaction solved from the unchanged rpmdb is not the tested plan",
			    "Nothing was changed. The repository metadata in the package cache no longer gives the "
			    "transaction that was planned and tested (%zu difference(s)):%s",
			    diff, b.data);
	}
	buf_free(&b);
}

static _noreturn_ void solve_problems(const struct solve_result *res)
{
	struct buf b = {0};
	for (size_t i = 0; i < res->n_problems && i < MAX_LISTED; i++) {
		buf_printf(&b, "\n  %s", res->problems[i].summary);
		for (size_t k = 0; k < res->problems[i].n_rules && k < 5; k++)
			buf_printf(&b, "\n    %s", res->problems[i].rules[k]);
	}
	buf_append(&b, "", 1);
	actor_error("the upgrade transaction cannot be solved from the rpmdb as it is now",
		    "The rpmdb was changed by an interrupted RPM upgrade or by hand; nothing more was changed. "
		    "%zu problem(s):%s",
		    res->n_problems, b.data);
}

/* The gpg-pubkey NVRs in the rpmdb (name-version-release, as TargetGpgKeys names them) and
 * every installed NEVRA. */
static void read_installed(const char *root, struct strmap *nevras, struct strmap *pubkeys, struct rpmdb_pkgs *ret)
{
	_cleanup_free_ char *err = NULL;
	int r = rpmdb_read_all(root, ret, &err);
	if (r < 0)
		actor_error("cannot read the RPM database", "%s", err ? err : strerror(-r));
	for (size_t i = 0; i < ret->n; i++) {
		const struct rpmdb_pkg *p = &ret->v[i];
		if (!strcmp(p->name, "gpg-pubkey")) {
			_cleanup_free_ char *nvr = xasprintf("gpg-pubkey-%s-%s", p->version, p->release);
			strmap_put(pubkeys, nvr, NULL);
			continue;
		}
		_cleanup_free_ char *nevra = rpmdb_pkg_nevra(p);
		strmap_put(nevras, nevra, (void *)p);
	}
}

/* The major release of an "el<N>" dist tag in a release ("553.el8_10" -> 8, modular
 * "1.module_el8.4.0+2+abc" -> 8), or -1. */
static int el_major(const char *release)
{
	for (const char *p = release; p && (p = strstr(p, "el")); p += 2) {
		if ((p == release || strchr("._+", p[-1])) && p[2] >= '0' && p[2] <= '9')
			return atoi(p + 2);
	}
	return -1;
}

/* Packages of the old release still installed: a message, and reports. */
static void leftovers(struct upgrade *u, const struct rpmdb_pkgs *after, int source_major)
{
	json_t *items = json_array(), *io = json_array();
	struct buf b = {0}, k = {0};
	size_t shown = 0;
	for (size_t i = 0; i < after->n; i++) {
		const struct rpmdb_pkg *p = &after->v[i];
		int m = el_major(p->release);
		if (!strcmp(p->name, "gpg-pubkey") || m < 0 || m > source_major)
			continue;
		_cleanup_free_ char *nevra = rpmdb_pkg_nevra(p);
		if (strv_contains(u->installonly, u->n_installonly, p->name)) {
			json_array_append_new(io, rpmdb_pkg_to_json(p));
			buf_printf(&k, "\n    - %s", nevra);
		} else {
			json_array_append_new(items, rpmdb_pkg_to_json(p));
			if (shown++ < MAX_LISTED)
				buf_printf(&b, "\n    - %s", nevra);
		}
	}
	if (json_array_size(items)) {
		if (shown > MAX_LISTED)
			buf_printf(&b, "\n    ... and %zu more (LeftoverPackages)", shown - MAX_LISTED);
		buf_append(&b, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"These packages of the old release are still installed after the upgrade: nothing in the target "
			"repositories replaced them and nothing removed them. They were built for the old release and may "
			"not work:%s",
			b.data);
		json_t *e = report_new("Some packages from the original OS have not been upgraded", summary, "high");
		report_set_key(e, "d424c3132ed78a8632b5c73d919909e453107c06"); /* upstream reportleftoverpackages' */
		report_add_group(e, "rpm");
		report_add_hint(e, "Remove them (dnf remove NAME) or replace them with builds for the new release.");
		actor_report(e);
	}
	if (json_array_size(io)) {
		buf_append(&k, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"The kernel packages of the old release stay installed beside the new kernel, so that a kernel known "
			"to boot is still there:%s",
			k.data);
		json_t *e = report_new("The old kernel is kept", summary, "info");
		report_add_group(e, "rpm");
		report_add_group(e, "kernel");
		report_add_hint(e, "Once the new kernel boots, remove the old one with dnf remove.");
		actor_report(e);
	}
	buf_free(&b);
	buf_free(&k);
	actor_produce("LeftoverPackages", json_pack("{s:o, s:o}", "items", items, "installonly", io));
}

static void report_script_failures(const struct rpmtrans_result *res)
{
	if (!res->n_script_failures)
		return;
	struct buf b = {0};
	for (size_t i = 0; i < res->n_script_failures && i < MAX_LISTED; i++)
		buf_printf(&b, "\n    - %s", res->script_failures[i]);
	buf_append(&b, "", 1);
	_cleanup_free_ char *summary = xasprintf("The packages are installed, but these scriptlets did not succeed (their "
						 "output is in " SCRIPT_LOG "):%s",
						 b.data);
	json_t *e = report_new("Package scriptlets failed during the RPM upgrade", summary, "medium");
	report_add_group(e, "rpm");
	report_add_hint(e, "Check what the scriptlets should have done (rpm -q --scripts NAME) and do it by hand.");
	actor_report(e);
	buf_free(&b);
}

static _noreturn_ void transaction_failed(const struct rpmtrans_result *res)
{
	struct buf b = {0};
	size_t n = 0;
	for (size_t i = 0; i < res->n_problems; i++)
		if (n++ < MAX_LISTED)
			buf_printf(&b, "\n  %s", res->problems[i].message);
	for (size_t i = 0; i < res->n_packages; i++) {
		const struct rpmtrans_pkg *p = &res->packages[i];
		if (p->state == RPMTRANS_PKG_DONE)
			continue;
		if (n++ < MAX_LISTED)
			buf_printf(&b, "\n  %s %s: %s", p->erase ? "erasing" : "installing", p->nevra,
				   p->state == RPMTRANS_PKG_FAILED ? (p->detail ? p->detail : "failed") : "not run");
	}
	if (res->rpm_log)
		buf_printf(&b, "\nlibrpm said:\n%s", res->rpm_log);
	buf_append(&b, "", 1);
	actor_error("the RPM transaction of the upgrade failed",
		    "The packages done so far stay done; fix the cause, then run leapp upgrade --resume --force: the "
		    "transaction is solved again from the rpmdb and what is left is done. %zu problem(s):%s",
		    n, b.data);
}

static void upgrade_free(struct upgrade *u)
{
	strmap_clear(&u->downloaded, NULL);
	strmap_clear(&u->cached_repos, free);
	strmap_clear(&u->allowed_erase, NULL);
	strv_free_n(u->installonly, u->n_installonly);
	json_decref(u->plan);
	json_decref(u->dp);
	json_decref(u->keys);
	json_decref(u->test);
	json_decref(u->cache);
}

/* Does the solved transaction still install or erase anything? */
static bool nothing_pending(const struct solve_result *res, const struct strmap *installed)
{
	for (size_t i = 0; i < res->n_items; i++) {
		const struct solve_item *it = &res->items[i];
		_cleanup_free_ char *nevra = item_nevra(it);
		const char *action = solve_action_name(it->action);
		if ((is_install(action) && !strmap_has(installed, nevra)) || (is_erase(action) && strmap_has(installed, nevra)))
			return false;
	}
	return true;
}

static void done_nothing(struct upgrade *u, const struct rpmdb_pkgs *now, int source_major, double solve_secs, double t0)
{
	leftovers(u, now, source_major);
	actor_produce("RPMUpgradeResult", json_pack("{s:s, s:b, s:s, s:f, s:f}", "status", "nothing-to-do", "resumed", false,
						     "rpm_version", rpmtrans_rpm_version(), "solve_seconds", solve_secs,
						     "seconds", now_monotonic() - t0));
}

static json_t *strv_json(char **v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* What the steps of one RPM upgrade share, beside struct upgrade. */
struct run {
	double t0;
	const char *arch;
	int source_major;
	bool started;    /* an earlier run of this execution began changing the rpmdb */
	bool as_planned; /* the rpmdb is the one the transaction was planned against */
	struct solve_result res;
	char *fp;                /* the rpmdb's fingerprint now */
	const char *planned_fp;  /* the plan's */
	double solve_secs;
	struct rpmdb_pkgs before;
	struct strmap installed, pubkeys; /* NEVRAs and gpg-pubkey NVRs installed before */
	struct rpmtrans *t;
	size_t n_added;
	json_t *imported, *keys_removed;
	char **dups, **erasures, **installs;
	size_t n_erasures, n_installs;
	struct rpmtrans_result tr;
	bool ran;
	double tt, tx_secs;
};

/* The inputs: a tested plan of status planned, the downloaded packages, the source release. */
static void run_inputs(struct upgrade *u, struct run *r, json_t *ipu)
{
	u->plan = actor_consume_last("PlannedTransaction");
	u->dp = actor_consume_last("DownloadedPackages");
	u->keys = actor_consume_last("TargetGpgKeys");
	u->test = actor_consume_last("TransactionTestResult");
	u->cache = actor_consume_last("RepoMetadataCache");
	const char *status = json_string_value(json_object_get(u->plan, "status"));
	if (!u->plan || !status || strcmp(status, "planned"))
		actor_error("no planned transaction to upgrade with", "PlannedTransaction is missing or not of status planned");
	if (!u->dp)
		actor_error("the packages of the upgrade were not downloaded", "no DownloadedPackages message");
	if (!u->keys)
		actor_error("the keys of the target release are not known",
			    "no TargetGpgKeys message: without it the packages' signatures cannot be checked again before "
			    "they are installed; nothing was changed");
	const char *tstatus = json_string_value(json_object_get(u->test, "status"));
	if (!tstatus || strcmp(tstatus, "passed"))
		actor_error("the RPM transaction was not tested successfully", "TransactionTestResult is %s",
			    tstatus ? tstatus : "missing");
	r->arch = ipu_str(ipu, "architecture") ?: "x86_64";
	r->source_major = ipu_source_major(ipu);
	if (r->source_major <= 0)
		actor_error("no source release", "IPUConfig has no source_major");
}

/* Solve again from the rpmdb as it is; read what is installed. */
static void run_solve_again(struct upgrade *u, struct run *r)
{
	double ts = now_monotonic();
	struct solve_ctx *s = NULL;
	_cleanup_free_ char *err = NULL;
	if (replan_solve(u->plan, u->root, r->arch, baseurl_for, u, &r->res, &s, &err) < 0)
		actor_error("cannot solve the upgrade transaction again from the rpmdb", "%s", err);
	r->fp = solve_installed_fingerprint(s);
	solve_free(s);
	r->solve_secs = now_monotonic() - ts;
	if (r->res.n_problems)
		solve_problems(&r->res);
	r->planned_fp = json_string_value(json_object_get(u->plan, "rpmdb_fingerprint"));
	r->as_planned = r->planned_fp && !strcmp(r->fp, r->planned_fp);
	strmap_init(&r->installed);
	strmap_init(&r->pubkeys);
	read_installed(u->root, &r->installed, &r->pubkeys, &r->before);
}

/* What is left to install must have been downloaded and tested (checked before anything
 * changes; the initramfs has no network to fetch more). */
static void run_check_downloaded(struct upgrade *u, struct run *r)
{
	for (size_t k = 0; k < r->res.n_items; k++) {
		const struct solve_item *it = &r->res.items[k];
		_cleanup_free_ char *nevra = item_nevra(it);
		const char *action = solve_action_name(it->action);
		if (is_install(action) && !strmap_has(&r->installed, nevra) &&
		    !json_string_value(json_object_get(strmap_get(&u->downloaded, nevra), "path_in_root")))
			actor_error("the upgrade transaction needs a package that was not downloaded and tested",
				    "%s (%s, %s): nothing was changed", nevra, action, it->reason ? it->reason : "");
	}
}

/* The scriptlets' output goes to SCRIPT_LOG; a log that cannot be opened stops the upgrade
 * before anything changes (librpm would send the output elsewhere, or nowhere). */
static int open_script_log(void)
{
	_cleanup_free_ char *logpath = actor_path(SCRIPT_LOG);
	_cleanup_free_ char *logdir = actor_path(SCRIPT_LOG_DIR);
	int lr = mkdir_p(logdir, 0700);
	int fd = lr < 0 ? -1 : open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		actor_error("cannot open the log of the RPM transaction's scriptlets", "%s: %s; nothing was changed",
			    lr < 0 ? logdir : logpath, strerror(lr < 0 ? -lr : errno));
	char ts_buf[32];
	format_timestamp(now_realtime(), ts_buf);
	dprintf(fd, "--- %s: RPM upgrade (%s)\n", ts_buf, actor_execution());
	return fd;
}

/* el9's librpm writes only sqlite: rpmdb_rebuild (Preparation) rebuilt an el8 BerkeleyDB
 * database; when it did not run (or was interrupted), it is done or finished here */
static void rebuild_first(const char *root)
{
	struct rpmrebuild_result rb;
	_cleanup_free_ char *err = NULL;
	if (rpmrebuild_run(root, NULL, &rb, &err) < 0)
		actor_error("cannot rebuild the RPM database in the target release's format", "%s", err);
	if (rb.rebuilt)
		actor_info("rebuilt the RPM database from %s to %s first: %zu packages in %.2f s", rb.from, rb.to,
			   rb.packages, rb.seconds);
	rpmrebuild_result_clear(&rb);
}

/* librpm checks the signatures again when every package was signed by a trusted key (the keys
 * are in the rpmdb once imported); otherwise the download's checks are what there is */
static bool run_verify(struct upgrade *u)
{
	bool verify = !json_is_false(json_object_get(u->keys, "gpgcheck"));
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(u->dp, "packages"), i, v) {
		const char *sig = json_string_value(json_object_get(v, "signature"));
		if (!sig || strcmp(sig, "ok"))
			verify = false;
	}
	return verify;
}

/* keys first: librpm checks the packages against them */
static void run_import_keys(struct upgrade *u, struct run *r)
{
	size_t i;
	json_t *v;
	r->imported = json_array();
	json_array_foreach(json_object_get(u->keys, "to_import"), i, v) {
		const char *nvr = json_string_value(json_object_get(v, "gpg_pubkey"));
		const char *armored = json_string_value(json_object_get(v, "armored"));
		if (!nvr || !armored || strmap_has(&r->pubkeys, nvr))
			continue;
		_cleanup_free_ char *err = NULL;
		if (rpmtrans_import_key(r->t, armored, &err) < 0)
			actor_error("cannot import a key of the target release", "%s: %s", nvr, err);
		json_array_append_new(r->imported, json_string(nvr));
		actor_info("imported the key %s (%s)", nvr, json_string_value(json_object_get(v, "user_id")) ?: "no user id");
	}
}

/* what is left to install, and the erasures */
static void run_add_items(struct upgrade *u, struct run *r)
{
	for (size_t i = 0; i < r->res.n_items; i++) {
		const struct solve_item *it = &r->res.items[i];
		_cleanup_free_ char *nevra = item_nevra(it);
		_cleanup_free_ char *err = NULL;
		const char *action = solve_action_name(it->action);
		if (is_install(action)) {
			if (strmap_has(&r->installed, nevra))
				continue; /* done by the interrupted run */
			json_t *pkg = strmap_get(&u->downloaded, nevra);
			const char *in_root = json_string_value(json_object_get(pkg, "path_in_root"));
			if (!in_root)
				actor_error("the upgrade transaction needs a package that was not downloaded and tested",
					    "%s (%s, %s): nothing was changed", nevra, action, it->reason ? it->reason : "");
			_cleanup_free_ char *path = actor_path(in_root);
			if (rpmtrans_add_package(r->t, path, it->installonly ? RPMTRANS_BESIDE : RPMTRANS_UPGRADE, &err) < 0)
				actor_error("cannot add a downloaded package to the upgrade transaction", "%s", err);
			r->n_added++;
		} else if (is_erase(action)) {
			int e = rpmtrans_add_erase(r->t, nevra, &err);
			if (e < 0 && e != -ENOENT)
				actor_error("cannot add a removal to the upgrade transaction", "%s", err);
		}
	}
}

/* the duplicates an interrupted run left, and the obsoleted keys: erased too */
static void run_add_extra_erasures(struct upgrade *u, struct run *r)
{
	size_t i;
	json_t *v;
	r->dups = rpmtrans_duplicates(r->t, u->installonly, u->n_installonly);
	for (i = 0; r->dups[i]; i++) {
		strmap_put(&u->allowed_erase, r->dups[i], NULL);
		_cleanup_free_ char *err = NULL;
		if (rpmtrans_add_erase(r->t, r->dups[i], &err) < 0)
			actor_error("cannot erase a package an interrupted run left twice", "%s", err);
		actor_info("%s is installed beside a newer version (an interrupted run): erased", r->dups[i]);
	}
	r->keys_removed = json_array();
	json_array_foreach(json_object_get(u->keys, "to_remove"), i, v) {
		const char *nvr = json_string_value(v);
		if (!nvr || !strmap_has(&r->pubkeys, nvr))
			continue;
		strmap_put(&u->allowed_erase, nvr, NULL);
		_cleanup_free_ char *err = NULL;
		if (rpmtrans_add_erase(r->t, nvr, &err) < 0)
			actor_error("cannot erase an obsoleted key", "%s", err);
		json_array_append_new(r->keys_removed, json_string(nvr));
	}
}

/* nothing beyond the plan (and the duplicates) may go */
static void run_check_erasures(struct upgrade *u, struct run *r)
{
	r->erasures = rpmtrans_erasures(r->t);
	r->installs = rpmtrans_installs(r->t);
	struct buf extra = {0};
	size_t n_extra = 0;
	for (; r->erasures[r->n_erasures]; r->n_erasures++) {
		/* rpm names a gpg-pubkey without the arch it does not have */
		const char *e = r->erasures[r->n_erasures];
		_cleanup_free_ char *noarch = str_endswith(e, ".(none)") ? xstrndup(e, strlen(e) - strlen(".(none)")) : NULL;
		if (strmap_has(&u->allowed_erase, e) || (noarch && strmap_has(&u->allowed_erase, noarch)))
			continue;
		if (n_extra++ < MAX_LISTED)
			buf_printf(&extra, "\n  %s", e);
	}
	while (r->installs[r->n_installs])
		r->n_installs++;
	if (n_extra) {
		buf_append(&extra, "", 1);
		actor_error("the upgrade transaction would erase packages the plan keeps",
			    "Nothing was changed. rpm would erase %zu package(s) that the tested plan does not:%s", n_extra,
			    extra.data);
	}
	buf_free(&extra);
}

/* The transaction: librpm on the real rpmdb, scriptlets chrooted in the root, output into the log. */
static void run_transaction(struct upgrade *u, struct run *r)
{
	r->tt = now_monotonic();
	_cleanup_close_ int logfd = open_script_log();
	struct rpmtrans_opts o = {.root = u->root,
				  .verify = run_verify(u),
				  .plugins = json_is_true(json_object_get(actor_config(), "plugins")),
				  .script_fd = logfd,
				  .progress = on_progress,
				  .userdata = u};
	rpmenv_log_forward(on_rpm_log, NULL);
	_cleanup_free_ char *err = NULL;
	rebuild_first(u->root);
	if (rpmtrans_new(&o, &r->t, &err) < 0)
		actor_error("cannot open the RPM database for the upgrade", "%s", err);
	run_import_keys(u, r);
	run_add_items(u, r);
	run_add_extra_erasures(u, r);
	run_check_erasures(u, r);

	double t_added = now_monotonic(), t_ran = t_added;
	r->ran = r->n_installs || r->n_erasures;
	if (r->ran) {
		actor_info("RPM transaction: %zu to install, %zu to erase (%zu packages read)", r->n_installs, r->n_erasures,
			   r->n_added);
		free(err);
		err = NULL;
		if (rpmtrans_run(r->t, &r->tr, &err) < 0)
			actor_error("the RPM transaction of the upgrade could not run", "%s", err);
		t_ran = now_monotonic();
		if (!r->tr.ok)
			transaction_failed(&r->tr);
	} else {
		actor_info("nothing left to do: the rpmdb holds the upgraded packages");
	}
	rpmtrans_free(r->t);
	r->t = NULL;
	rpmenv_log_forward(NULL, NULL);
	r->tx_secs = now_monotonic() - r->tt;
	if (r->ran)
		actor_info("RPM transaction done: %zu installed, %zu erased in %.2f s (solving %.2f s; librpm: reading the "
			   "packages %.2f s, checking, ordering and running %.2f s, closing %.2f s)",
			   r->tr.installs, r->tr.erasures, r->tx_secs, r->solve_secs, t_added - r->tt, t_ran - t_added,
			   now_monotonic() - t_ran);
	report_script_failures(&r->tr);
}

/* What the rpmdb holds now: every install there, the leftovers of the old release reported. */
static void run_check_after(struct upgrade *u, struct run *r)
{
	struct rpmdb_pkgs after = {0};
	struct strmap now_installed, now_keys;
	strmap_init(&now_installed);
	strmap_init(&now_keys);
	read_installed(u->root, &now_installed, &now_keys, &after);
	for (size_t i = 0; r->installs[i]; i++)
		if (!strmap_has(&now_installed, r->installs[i]))
			actor_error("a package of the upgrade is not in the rpmdb after the transaction", "%s", r->installs[i]);
	leftovers(u, &after, r->source_major);
	rpmdb_pkgs_clear(&after);
	strmap_clear(&now_installed, NULL);
	strmap_clear(&now_keys, NULL);
}

static void run_produce(struct run *r)
{
	json_t *sf = json_array();
	for (size_t i = 0; i < r->tr.n_script_failures; i++)
		json_array_append_new(sf, json_string(r->tr.script_failures[i]));
	json_t *result = json_pack("{s:s, s:b, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:f, s:f, s:f}", "status",
				   r->ran ? "upgraded" : "nothing-to-do", "resumed", r->started && !r->as_planned, "installs",
				   (json_int_t)r->n_installs, "erasures", (json_int_t)r->n_erasures, "installed",
				   strv_json(r->installs), "erased", strv_json(r->erasures), "duplicates", strv_json(r->dups),
				   "keys_imported", r->imported, "keys_removed", r->keys_removed, "script_failures", sf,
				   "rpm_version", rpmtrans_rpm_version(), "solve_seconds", r->solve_secs, "transaction_seconds",
				   r->tx_secs, "seconds", now_monotonic() - r->t0);
	r->imported = r->keys_removed = NULL; /* the result holds them */
	actor_produce("RPMUpgradeResult", result);
}

static void run_clear(struct run *r)
{
	rpmtrans_result_free(&r->tr);
	strv_free(r->dups);
	strv_free(r->erasures);
	strv_free(r->installs);
	json_decref(r->imported);
	json_decref(r->keys_removed);
	rpmdb_pkgs_clear(&r->before);
	strmap_clear(&r->installed, NULL);
	strmap_clear(&r->pubkeys, NULL);
	solve_result_free(&r->res);
	free(r->fp);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct run r = {.t0 = now_monotonic()};
	struct upgrade U = {.root = actor_root()}, *u = &U;
	json_t *ipu = ipu_config_get();
	run_inputs(u, &r, ipu);
	index_inputs(u);
	r.started = upgradestate_rpm_started(u->root, actor_execution());
	run_solve_again(u, &r);
	if (!r.started && !r.as_planned && nothing_pending(&r.res, &r.installed)) {
		/* upgraded already (this actor run again after the upgrade ended): nothing changes */
		actor_info("the rpmdb holds the upgraded packages already (%s): nothing to do", r.fp);
		done_nothing(u, &r.before, r.source_major, r.solve_secs, r.t0);
	} else {
		if (!r.started && !r.as_planned)
			actor_error("the RPM database changed since the upgrade transaction was planned",
				    "Nothing was upgraded: the rpmdb is %s, the plan was made for %s, and the RPM upgrade of "
				    "this upgrade had not started. Boot the system normally and run leapp upgrade again.",
				    r.fp, r.planned_fp ? r.planned_fp : "(none)");
		if (r.as_planned)
			check_as_planned(u, &r.res);
		actor_info("solved again from the rpmdb (%s%s) in %.2f s: %zu items", r.fp,
			   r.as_planned ? ", as planned" : ", an earlier run was interrupted", r.solve_secs, r.res.n_items);
		run_check_downloaded(u, &r);
		/* from here on the rpmdb may change: the checks before this phase must know */
		if (!r.started) {
			int e = upgradestate_rpm_mark(u->root, actor_execution());
			if (e < 0)
				actor_error("cannot record that the RPM upgrade starts", "%s: %s", RPM_UPGRADE_MARK, strerror(-e));
		}
		run_transaction(u, &r);
		run_check_after(u, &r);
		run_produce(&r);
	}
	run_clear(&r);
	upgrade_free(u);
	json_decref(ipu);
	return actor_finish();
}
