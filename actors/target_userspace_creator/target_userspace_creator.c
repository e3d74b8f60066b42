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

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	double t0 = now_monotonic();
	json_t *plan = plan_consume_planned();
	if (!plan) {
		actor_warning("no planned transaction: no target userspace");
		return actor_finish();
	}
	json_t *tasks = actor_consume("TargetUserSpaceTasks");
	json_t *keys = actor_consume_last("TargetGpgKeys");
	json_t *ipu = ipu_config_get();
	bool gpgcheck = !nogpgcheck();
	if (!keys && gpgcheck)
		actor_error("no trusted keys to check the target userspace's packages with",
			    "target_gpg_keys did not run (or failed), so no package signature could be checked");
	int major = ipu_target_major(ipu);
	if (major <= 0)
		actor_error("no target release", "IPUConfig has no target_major");
	const char *arch = ipu_str(ipu, "architecture") ?: "x86_64";

	/* what goes in */
	size_t n_base = 0;
	char **base = userspace_base_packages(actor_config(), &n_base);
	struct userspace_requests req;
	userspace_requests_collect(&req, base, n_base, tasks);
	struct solve_result res;
	_cleanup_free_ char *err = NULL;
	int r = userspace_resolve(plan, &req, arch, &res, &err);
	if (r < 0)
		actor_error("cannot load the target repositories for the target userspace", "%s", err);
	if (res.n_problems) {
		struct buf b = {0};
		for (size_t i = 0; i < res.n_problems; i++) {
			buf_printf(&b, "\n  %s", res.problems[i].summary);
			for (size_t k = 0; k < res.problems[i].n_rules; k++)
				buf_printf(&b, "\n    %s", res.problems[i].rules[k]);
		}
		buf_append(&b, "", 1);
		actor_error("packages the target userspace needs cannot be installed from the target repositories",
			    "The target userspace (/var/lib/leapp/el%duserspace) cannot be made:%s", major, b.data);
	}
	size_t n = res.n_items;
	struct pkgfetch_pkg *pkgs = xcalloc(n + 1, sizeof(*pkgs));
	json_t *pkg_list = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct solve_item *it = &res.items[i];
		json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:I, s:s}", "name", it->name, "epoch",
				      (json_int_t)it->epoch, "version", it->version, "release", it->release, "arch", it->arch,
				      "repo", it->repo, "location", it->location, "checksum_type", it->checksum_type,
				      "checksum", it->checksum, "size", (json_int_t)it->size, "action", "install");
		if (pkgfetch_pkg_from_json(o, &pkgs[i]) < 0)
			actor_error("the solver returned a package without a name", "item %zu", i);
		json_decref(o);
		json_array_append_new(pkg_list, json_pack("{s:s, s:s, s:s, s:s}", "nevra", pkgs[i].nevra, "name", it->name,
							  "repo", it->repo, "reason", it->reason ? it->reason : "dependency"));
	}
	actor_info("target userspace: %zu packages for %zu requests", n, req.n);

	/* fetched and verified like the upgrade's packages, into the same cache */
	struct keys_set trusted = {0};
	if (keys_set_from_json(json_object_get(keys, "trusted"), &trusted, &err) < 0)
		actor_error("cannot read the trusted keys", "%s", err);
	_cleanup_free_ char *cache = actor_path("/var/lib/leapp/packages");
	r = mkdir_p(cache, 0755);
	if (r < 0)
		actor_error("cannot create the package cache", "%s: %s", cache, strerror(-r));
	struct pkgfetch_opts o = {
		.root = actor_root(),
		.cache_dir = cache,
		.basearch = arch,
		.releasever = ipu_str(ipu, "target_version") ?: "",
		.parallel = 4,
		.retries = 3,
		.timeout = 30,
		.backoff = 1.0,
		.gpgcheck = gpgcheck,
		.progress = on_progress,
		.log = on_log,
	};
	struct dl_stats st = {0};
	r = pkgfetch_run(&o, json_object_get(plan, "repos"), &trusted, pkgs, n, &st, &err);
	if (r < 0)
		actor_error(r == -ENOSPC ? "not enough space to download the target userspace's packages"
					 : "cannot download the target userspace's packages",
			    "%s", err);
	struct buf bad = {0};
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *line = pkgfetch_problem(&pkgs[i]);
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

	/* installed by librpm into a new directory, then renamed into place */
	_cleanup_free_ char *rel = userspace_path_in_root(major);
	_cleanup_free_ char *us = actor_path(rel);
	_cleanup_free_ char *tmp = xasprintf("%s.new", us), *old = xasprintf("%s.old", us);
	rm_rf(tmp);
	rm_rf(old);
	static const char *const dirs[] = {"/var/tmp", "/tmp", "/dev", "/proc"};
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_free_ char *d = path_join(tmp, dirs[i]);
		if ((r = mkdir_p(d, 0755)) < 0)
			actor_error("cannot create the target userspace", "%s: %s", d, strerror(-r));
	}
	_cleanup_free_ char *vt = path_join(tmp, "/var/tmp");
	chmod(vt, 01777);
	/* its own subdirectory of the log directory, declared in actor.yaml */
	_cleanup_free_ char *logdir = actor_path("/var/log/leapp/target-userspace");
	mkdir_p(logdir, 0755);
	_cleanup_free_ char *logpath = xasprintf("%s/el%duserspace-rpm.log", logdir, major);
	_cleanup_close_ int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	bool noscripts = json_is_true(json_object_get(actor_config(), "noscripts"));
	struct rpmtrans_opts ro = {
		.root = tmp,
		.dbpath = "/var/lib/rpm",
		.create_db = true,
		.noscripts = noscripts,
		.script_fd = logfd >= 0 ? logfd : 0,
		.progress = on_progress,
	};
	struct rpmtrans *t = NULL;
	if (rpmtrans_new(&ro, &t, &err) < 0) {
		rm_rf(tmp);
		actor_error("cannot create the target userspace's RPM database", "%s", err);
	}
	for (size_t i = 0; i < n; i++) {
		if (rpmtrans_add_package(t, pkgs[i].dl.path, RPMTRANS_UPGRADE, &err) < 0) {
			rpmtrans_free(t);
			rm_rf(tmp);
			actor_error("cannot add a package to the target userspace", "%s", err);
		}
	}
	struct rpmtrans_result tr;
	r = rpmtrans_run(t, &tr, &err);
	rpmtrans_free(t);
	if (r < 0) {
		rm_rf(tmp);
		actor_error("cannot install the target userspace", "%s", err);
	}
	_cleanup_free_ char *sh1 = path_join(tmp, "/usr/bin/sh"), *sh2 = path_join(tmp, "/bin/sh");
	bool has_shell = exists(sh1) || exists(sh2);
	if (!tr.ok) {
		struct buf b = {0};
		for (size_t i = 0; i < tr.n_problems; i++)
			buf_printf(&b, "\n  %s", tr.problems[i].message);
		for (size_t i = 0; i < tr.n_packages; i++)
			if (tr.packages[i].state != RPMTRANS_PKG_DONE)
				buf_printf(&b, "\n  %s: %s", tr.packages[i].nevra,
					   tr.packages[i].state == RPMTRANS_PKG_FAILED
						   ? (tr.packages[i].detail ? tr.packages[i].detail : "failed")
						   : "not installed (the transaction stopped before it)");
		for (size_t i = 0; i < tr.n_script_failures; i++)
			buf_printf(&b, "\n  %s", tr.script_failures[i]);
		if (tr.rpm_log)
			buf_printf(&b, "\nlibrpm said:\n%s", tr.rpm_log);
		buf_append(&b, "", 1);
		rm_rf(tmp);
		actor_error("the target userspace could not be installed",
			    "librpm did not install every package into %s%s (scriptlet output: %s):%s", rel,
			    has_shell ? "" : ", which has no /bin/sh for the scriptlets", logpath, b.data);
	}
	for (size_t i = 0; i < tr.n_script_failures; i++)
		actor_warning("target userspace: %s (the package is installed; see %s)", tr.script_failures[i], logpath);
	if (tr.n_script_failures && !has_shell)
		actor_warning("target userspace: it has no /bin/sh, so shell scriptlets cannot run in it");
	/* its own rpmdb in the target's format, as upstream rebuilds it with the target's rpm: the
	 * same build writes it here (a no-op), a build of the source release's rpm would not */
	struct rpmrebuild_result rb;
	if (rpmrebuild_run(tmp, "/var/lib/rpm", &rb, &err) < 0) {
		rm_rf(tmp);
		actor_error("cannot rebuild the target userspace's RPM database in the target's format", "%s", err);
	}
	if (rb.rebuilt)
		actor_info("target userspace: its rpmdb rebuilt from %s to %s in %.2f s", rb.from, rb.to, rb.seconds);
	_cleanup_free_ char *us_format = xstrdup(rb.to ? rb.to : "unknown");
	rpmrebuild_result_clear(&rb);
	if (exists(us) && rename(us, old) < 0)
		actor_error("cannot replace the old target userspace", "%s: %s", us, strerror(errno));
	if (rename(tmp, us) < 0) {
		int e = errno;
		rename(old, us);
		rm_rf(tmp);
		actor_error("cannot move the target userspace into place", "%s -> %s: %s", tmp, us, strerror(e));
	}
	rm_rf(old);

	size_t n_k = 0;
	char **kvers = userspace_kernels(us, &n_k);
	json_t *kl = json_array(), *failures = json_array(), *requested = json_array();
	for (size_t i = 0; i < n_k; i++)
		json_array_append_new(kl, json_string(kvers[i]));
	for (size_t i = 0; i < tr.n_script_failures; i++)
		json_array_append_new(failures, json_string(tr.script_failures[i]));
	for (size_t i = 0; i < req.n; i++)
		json_array_append_new(requested, json_string(req.v[i].name));
	double secs = now_monotonic() - t0;
	actor_info("target userspace %s: %zu packages (%zu downloaded), kernel %s, in %.2f s", rel, n, st.fetched,
		   n_k ? kvers[0] : "(none)", secs);
	json_t *info = json_pack("{s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:b, s:o, s:f}", "path", us, "path_in_root", rel,
				 "target_major", major, "dbpath", "/var/lib/rpm", "packages", pkg_list, "requested", requested,
				 "kernel_versions", kl, "has_shell", has_shell, "scriptlet_failures", failures, "seconds", secs);
	json_object_set_new(info, "kernel_version", n_k ? json_string(kvers[0]) : json_null());
	json_object_set_new(info, "rpmdb_format", json_string(us_format));
	actor_produce("TargetUserSpaceInfo", info);

	strv_free(kvers);
	rpmtrans_result_free(&tr);
	buf_free(&bad);
	for (size_t i = 0; i < n; i++)
		pkgfetch_pkg_clear(&pkgs[i]);
	free(pkgs);
	keys_set_clear(&trusted);
	solve_result_free(&res);
	userspace_requests_clear(&req);
	strv_free(base);
	json_decref(ipu);
	json_decref(keys);
	json_decref(tasks);
	json_decref(plan);
	return actor_finish();
}
