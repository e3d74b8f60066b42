/* InterimPreparation: the target userspace. What TargetUserSpaceTasks ask for (the kernel, dracut
 * and what the upgrade initramfs or the live image needs) plus the base packages is resolved with
 * the solve library against the target repositories (an empty root), fetched into the package
 * cache and verified like the upgrade's own packages, and installed by librpm into
 * /var/lib/leapp/el<N>userspace with that directory's own rpmdb. It is built beside the old one
 * (el<N>userspace.new) and renamed into place only when complete, so a failure leaves no
 * half-made userspace under the final name, and running it twice is safe. */
#include <fcntl.h>
#include <sys/stat.h>

#include "sys.h"
#include "rpm.h"
#include "fetch.h"
#include "plan.h"
#include "leapp/actor.h"

static bool nogpgcheck(void)
{
	const char *e = getenv("LEAPP_NOGPGCHECK");
	return e && *e && strcmp(e, "0");
}

static void on_progress(const char *what, uint64_t done, uint64_t total, void *ud)
{
	_cleanup_free_ char *w = xasprintf("target userspace: %s", what);
	actor_progress(w, done, total);
}

static void on_log(const char *line, void *ud)
{
	actor_info("%s", line);
}

static bool exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

/* What the steps share. */
struct creator {
	json_t *plan, *tasks, *keys, *ipu;
	bool gpgcheck;
	int major;
	const char *arch;
	char **base;
	size_t n_base;
	struct userspace_requests req;
	struct solve_result res;
	struct pkgfetch_pkg *pkgs; /* res's items, to fetch */
	size_t n;
	json_t *pkg_list;
	struct keys_set trusted;
	struct dl_stats st;
	char *rel, *us, *tmp, *old; /* the userspace in the root, on the host; being built; replaced */
	char *logpath;
	char *us_format; /* the format of its rpmdb, once rebuilt */
	struct rpmtrans_result tr;
	bool has_shell;
};

/* what goes in: the base packages and the tasks' requests, resolved against the target repositories */
static void resolve(struct creator *c)
{
	c->base = userspace_base_packages(actor_config(), &c->n_base);
	userspace_requests_collect(&c->req, c->base, c->n_base, c->tasks);
	_cleanup_free_ char *err = NULL;
	if (userspace_resolve(c->plan, &c->req, c->arch, &c->res, &err) < 0)
		actor_error("cannot load the target repositories for the target userspace", "%s", err);
	if (c->res.n_problems) {
		struct buf b = {0};
		for (size_t i = 0; i < c->res.n_problems; i++) {
			buf_printf(&b, "\n  %s", c->res.problems[i].summary);
			for (size_t k = 0; k < c->res.problems[i].n_rules; k++)
				buf_printf(&b, "\n    %s", c->res.problems[i].rules[k]);
		}
		buf_append(&b, "", 1);
		actor_error("packages the target userspace needs cannot be installed from the target repositories",
			    "The target userspace (/var/lib/leapp/el%duserspace) cannot be made:%s", c->major, b.data);
	}
	c->n = c->res.n_items;
	c->pkgs = xcalloc(c->n + 1, sizeof(*c->pkgs));
	c->pkg_list = json_array();
	for (size_t i = 0; i < c->n; i++) {
		const struct solve_item *it = &c->res.items[i];
		json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I, s:s}", "name", it->name, "epoch",
				      (json_int_t)it->epoch, "version", it->version, "release", it->release, "arch", it->arch,
				      "repo", it->repo, "location", it->location, "checksum_type", it->checksum_type,
				      "checksum", it->checksum, "size", (json_int_t)it->size, "action", "install");
		if (pkgfetch_pkg_from_json(o, &c->pkgs[i]) < 0)
			actor_error("the solver returned a package without a name", "item %zu", i);
		json_decref(o);
		json_array_append_new(c->pkg_list, json_pack("{s:s, s:s, s:s, s:s}", "nevra", c->pkgs[i].nevra, "name",
							     it->name, "repo", it->repo, "reason",
							     it->reason ? it->reason : "dependency"));
	}
	actor_info("target userspace: %zu packages for %zu requests", c->n, c->req.n);
}

/* fetched and verified like the upgrade's packages, into the same cache */
static void fetch_verify(struct creator *c)
{
	_cleanup_free_ char *err = NULL;
	if (keys_set_from_json(json_object_get(c->keys, "trusted"), &c->trusted, &err) < 0)
		actor_error("cannot read the trusted keys", "%s", err);
	_cleanup_free_ char *cache = actor_path("/var/lib/leapp/packages");
	int r = mkdir_p(cache, 0755);
	if (r < 0)
		actor_error("cannot create the package cache", "%s: %s", cache, strerror(-r));
	struct pkgfetch_opts o = {
		.root = actor_root(),
		.cache_dir = cache,
		.basearch = c->arch,
		.releasever = ipu_str(c->ipu, "target_version") ?: "",
		.parallel = 4,
		.retries = 3,
		.timeout = 30,
		.backoff = 1.0,
		.gpgcheck = c->gpgcheck,
		.progress = on_progress,
		.log = on_log,
	};
	r = pkgfetch_run(&o, json_object_get(c->plan, "repos"), &c->trusted, c->pkgs, c->n, &c->st, &err);
	if (r < 0)
		actor_error(r == -ENOSPC ? "not enough space to download the target userspace's packages"
					 : "cannot download the target userspace's packages",
			    "%s", err);
	struct buf bad = {0};
	for (size_t i = 0; i < c->n; i++) {
		_cleanup_free_ char *line = pkgfetch_problem(&c->pkgs[i]);
		if (line)
			buf_printf(&bad, "\n  %s", line);
	}
	if (bad.len) {
		buf_append(&bad, "", 1);
		actor_error("packages of the target userspace failed verification",
			    "These packages are not signed by a trusted key or are damaged (trusted: the keys of the RPM "
			    "database and the target repositories' gpgkey= files):%s",
			    bad.data);
	}
	buf_free(&bad);
}

/* the new directory (el<N>userspace.new) with what librpm's scriptlets need, and the scriptlets' log */
static int prepare_new_tree(struct creator *c)
{
	c->rel = userspace_path_in_root(c->major);
	c->us = actor_path(c->rel);
	c->tmp = xasprintf("%s.new", c->us);
	c->old = xasprintf("%s.old", c->us);
	rm_rf(c->tmp);
	rm_rf(c->old);
	static const char *const dirs[] = {"/var/tmp", "/tmp", "/dev", "/proc"};
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_free_ char *d = path_join(c->tmp, dirs[i]);
		int r = mkdir_p(d, 0755);
		if (r < 0)
			actor_error("cannot create the target userspace", "%s: %s", d, strerror(-r));
	}
	_cleanup_free_ char *vt = path_join(c->tmp, "/var/tmp");
	chmod(vt, 01777);
	/* its own subdirectory of the log directory, declared in actor.yaml */
	_cleanup_free_ char *logdir = actor_path("/var/log/leapp/target-userspace");
	mkdir_p(logdir, 0755);
	c->logpath = xasprintf("%s/el%duserspace-rpm.log", logdir, c->major);
	return open(c->logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
}

static _noreturn_ void install_failed(struct creator *c)
{
	const struct rpmtrans_result *tr = &c->tr;
	struct buf b = {0};
	for (size_t i = 0; i < tr->n_problems; i++)
		buf_printf(&b, "\n  %s", tr->problems[i].message);
	for (size_t i = 0; i < tr->n_packages; i++)
		if (tr->packages[i].state != RPMTRANS_PKG_DONE)
			buf_printf(&b, "\n  %s: %s", tr->packages[i].nevra,
				   tr->packages[i].state == RPMTRANS_PKG_FAILED
					   ? (tr->packages[i].detail ? tr->packages[i].detail : "failed")
					   : "not installed (the transaction stopped before it)");
	for (size_t i = 0; i < tr->n_script_failures; i++)
		buf_printf(&b, "\n  %s", tr->script_failures[i]);
	if (tr->rpm_log)
		buf_printf(&b, "\nlibrpm said:\n%s", tr->rpm_log);
	buf_append(&b, "", 1);
	rm_rf(c->tmp);
	actor_error("the target userspace could not be installed",
		    "librpm did not install every package into %s%s (scriptlet output: %s):%s", c->rel,
		    c->has_shell ? "" : ", which has no /bin/sh for the scriptlets", c->logpath, b.data);
}

/* installed by librpm into the new directory, with that directory's own rpmdb */
static void install(struct creator *c)
{
	_cleanup_close_ int logfd = prepare_new_tree(c);
	bool noscripts = json_is_true(json_object_get(actor_config(), "noscripts"));
	struct rpmtrans_opts ro = {
		.root = c->tmp,
		.dbpath = "/var/lib/rpm",
		.create_db = true,
		.noscripts = noscripts,
		.script_fd = logfd >= 0 ? logfd : 0,
		.progress = on_progress,
	};
	struct rpmtrans *t = NULL;
	_cleanup_free_ char *err = NULL;
	if (rpmtrans_new(&ro, &t, &err) < 0) {
		rm_rf(c->tmp);
		actor_error("cannot create the target userspace's RPM database", "%s", err);
	}
	for (size_t i = 0; i < c->n; i++) {
		if (rpmtrans_add_package(t, c->pkgs[i].dl.path, RPMTRANS_UPGRADE, &err) < 0) {
			rpmtrans_free(t);
			rm_rf(c->tmp);
			actor_error("cannot add a package to the target userspace", "%s", err);
		}
	}
	int r = rpmtrans_run(t, &c->tr, &err);
	rpmtrans_free(t);
	if (r < 0) {
		rm_rf(c->tmp);
		actor_error("cannot install the target userspace", "%s", err);
	}
	_cleanup_free_ char *sh1 = path_join(c->tmp, "/usr/bin/sh"), *sh2 = path_join(c->tmp, "/bin/sh");
	c->has_shell = exists(sh1) || exists(sh2);
	if (!c->tr.ok)
		install_failed(c);
	for (size_t i = 0; i < c->tr.n_script_failures; i++)
		actor_warning("target userspace: %s (the package is installed; see %s)", c->tr.script_failures[i],
			      c->logpath);
	if (c->tr.n_script_failures && !c->has_shell)
		actor_warning("target userspace: it has no /bin/sh, so shell scriptlets cannot run in it");
}

/* renamed into place; the old one (if any) removed once the new one is there */
static void move_into_place(struct creator *c)
{
	/* its own rpmdb in the target's format, as upstream rebuilds it with the target's rpm: the
	 * same build writes it here (a no-op), a build of the source release's rpm would not */
	struct rpmrebuild_result rb;
	_cleanup_free_ char *err = NULL;
	if (rpmrebuild_run(c->tmp, "/var/lib/rpm", &rb, &err) < 0) {
		rm_rf(c->tmp);
		actor_error("cannot rebuild the target userspace's RPM database in the target's format", "%s", err);
	}
	if (rb.rebuilt)
		actor_info("target userspace: its rpmdb rebuilt from %s to %s in %.2f s", rb.from, rb.to, rb.seconds);
	free(c->us_format);
	c->us_format = xstrdup(rb.to ? rb.to : "unknown");
	rpmrebuild_result_clear(&rb);
	if (exists(c->us) && rename(c->us, c->old) < 0)
		actor_error("cannot replace the old target userspace", "%s: %s", c->us, strerror(errno));
	if (rename(c->tmp, c->us) < 0) {
		int e = errno;
		rename(c->old, c->us);
		rm_rf(c->tmp);
		actor_error("cannot move the target userspace into place", "%s -> %s: %s", c->tmp, c->us, strerror(e));
	}
	rm_rf(c->old);
}

static void produce(struct creator *c, double t0)
{
	size_t n_k = 0;
	char **kvers = userspace_kernels(c->us, &n_k);
	json_t *kl = json_array(), *failures = json_array(), *requested = json_array();
	for (size_t i = 0; i < n_k; i++)
		json_array_append_new(kl, json_string(kvers[i]));
	for (size_t i = 0; i < c->tr.n_script_failures; i++)
		json_array_append_new(failures, json_string(c->tr.script_failures[i]));
	for (size_t i = 0; i < c->req.n; i++)
		json_array_append_new(requested, json_string(c->req.v[i].name));
	double secs = now_monotonic() - t0;
	actor_info("target userspace %s: %zu packages (%zu downloaded), kernel %s, in %.2f s", c->rel, c->n, c->st.fetched,
		   n_k ? kvers[0] : "(none)", secs);
	json_t *info = json_pack("{s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:b, s:o, s:f}", "path", c->us, "path_in_root",
				 c->rel, "target_major", c->major, "dbpath", "/var/lib/rpm", "packages", c->pkg_list,
				 "requested", requested, "kernel_versions", kl, "has_shell", c->has_shell,
				 "scriptlet_failures", failures, "seconds", secs);
	c->pkg_list = NULL; /* info holds it */
	json_object_set_new(info, "kernel_version", n_k ? json_string(kvers[0]) : json_null());
	json_object_set_new(info, "rpmdb_format", json_string(c->us_format ? c->us_format : "unknown"));
	actor_produce("TargetUserSpaceInfo", info);
	strv_free(kvers);
}

static void creator_clear(struct creator *c)
{
	free(c->us_format);
	rpmtrans_result_free(&c->tr);
	for (size_t i = 0; i < c->n; i++)
		pkgfetch_pkg_clear(&c->pkgs[i]);
	free(c->pkgs);
	json_decref(c->pkg_list);
	keys_set_clear(&c->trusted);
	solve_result_free(&c->res);
	userspace_requests_clear(&c->req);
	strv_free(c->base);
	json_decref(c->ipu);
	json_decref(c->keys);
	json_decref(c->tasks);
	json_decref(c->plan);
	free(c->rel);
	free(c->us);
	free(c->tmp);
	free(c->old);
	free(c->logpath);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	double t0 = now_monotonic();
	struct creator c = {0};
	c.plan = plan_consume_planned();
	if (!c.plan) {
		actor_warning("no planned transaction: no target userspace");
		return actor_finish();
	}
	c.tasks = actor_consume("TargetUserSpaceTasks");
	c.keys = actor_consume_last("TargetGpgKeys");
	c.ipu = ipu_config_get();
	c.gpgcheck = !nogpgcheck();
	if (!c.keys && c.gpgcheck)
		actor_error("no trusted keys to check the target userspace's packages with",
			    "target_gpg_keys did not run (or failed), so no package signature could be checked");
	c.major = ipu_target_major(c.ipu);
	if (c.major <= 0)
		actor_error("no target release", "IPUConfig has no target_major");
	c.arch = ipu_str(c.ipu, "architecture") ?: "x86_64";
	resolve(&c);
	fetch_verify(&c);
	install(&c);
	move_into_place(&c);
	produce(&c, t0);
	creator_clear(&c);
	return actor_finish();
}
