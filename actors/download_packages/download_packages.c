/* Download: every install, upgrade and downgrade of the planned transaction, from its target
 * repository into /var/lib/leapp/packages (file://, http(s)://, mirrorlists; several at a time,
 * resumable, checksum before the final name), then verified with librpm against TargetGpgKeys.
 * A signature problem inhibits the upgrade (and stops it after this phase: the inhibitor
 * barrier was in Reports); a download failure or a corrupt package is an error. */
#include "sys.h"
#include "rpm.h"
#include "fetch.h"
#include "plan.h"
#include "leapp/strmap.h"
#include "leapp/actor.h"

static bool nogpgcheck(void)
{
	const char *e = getenv("LEAPP_NOGPGCHECK");
	return e && *e && strcmp(e, "0");
}

static long cfg_int(const char *key, long def)
{
	json_t *v = json_object_get(actor_config(), key);
	return json_is_integer(v) ? (long)json_integer_value(v) : def;
}

static double cfg_real(const char *key, double def)
{
	json_t *v = json_object_get(actor_config(), key);
	return json_is_number(v) ? json_number_value(v) : def;
}

static void on_progress(const char *what, uint64_t done, uint64_t total, void *ud)
{
	actor_progress(what, done, total);
}

static void on_log(const char *line, void *ud)
{
	actor_info("%s", line);
}

/* The obsoleted entry of TargetGpgKeys for a key id, or NULL. */
static const char *obsoleted_nvr(json_t *keys, const char *key_id)
{
	size_t i;
	json_t *o;
	json_array_foreach(json_object_get(keys, "obsoleted"), i, o) {
		const char *id = json_string_value(json_object_get(o, "key_id"));
		if (id && key_id && !strcasecmp(id, key_id))
			return json_string_value(json_object_get(o, "gpg_pubkey"));
	}
	return NULL;
}

struct group {
	enum keys_verdict verdict;
	char *key_id;
	struct buf list;
	size_t n;
};

static void report_signatures(struct group *g, size_t n, json_t *keys)
{
	for (size_t i = 0; i < n; i++) {
		const char *id = g[i].key_id ? g[i].key_id : "(none)";
		const char *obs = obsoleted_nvr(keys, g[i].key_id);
		buf_append(&g[i].list, "", 1);
		_cleanup_free_ char *summary = NULL;
		const char *title;
		if (g[i].verdict == KEYS_UNSIGNED) {
			title = "Target packages are not signed";
			summary = xasprintf("The target repositories check signatures (gpgcheck=1), and %zu of the packages of "
					    "the upgrade are not signed, so they cannot be trusted:%s",
					    g[i].n, g[i].list.data);
		} else if (g[i].verdict == KEYS_BAD_SIGNATURE) {
			title = "Target packages have a bad signature";
			summary = xasprintf("The signature of key %s on %zu packages of the upgrade does not verify: the "
					    "packages were changed after signing, or are damaged:%s",
					    id, g[i].n, g[i].list.data);
		} else {
			title = "Target packages are signed with an untrusted key";
			summary = xasprintf("%zu packages of the upgrade are signed with key %s, which is not trusted: the "
					    "trusted keys are the ones imported in the RPM database and the gpgkey= files of "
					    "the target repositories%s%s%s:%s",
					    g[i].n, id, obs ? ", and gpg-signatures.json obsoletes this one (" : "",
					    obs ? obs : "", obs ? ")" : "", g[i].list.data);
		}
		json_t *e = report_new(title, summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "security");
		if (g[i].verdict == KEYS_BAD_SIGNATURE)
			report_add_hint(e, "Check where the target repositories come from; download the packages again "
					   "(rm -rf /var/lib/leapp/packages) once the repositories are fixed.");
		else
			report_add_hint(e, "If you trust the key, name its file in the repository's gpgkey= in "
					   "/etc/leapp/files/leapp_upgrade_repositories.repo (or import it with rpm --import). "
					   "--nogpgcheck skips the signature check altogether, which is not recommended.");
		actor_report(e);
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	double t0 = now_monotonic();
	json_t *plan = plan_consume_planned();
	if (!plan) {
		actor_warning("no planned transaction: nothing to download");
		return actor_finish();
	}
	bool gpgcheck = !nogpgcheck();
	json_t *keys = actor_consume_last("TargetGpgKeys");
	if (!keys && gpgcheck)
		actor_error("no trusted keys to check the target packages with",
			    "target_gpg_keys did not run (or failed), so no package signature could be checked");
	struct keys_set trusted = {0};
	_cleanup_free_ char *err = NULL;
	if (keys_set_from_json(json_object_get(keys, "trusted"), &trusted, &err) < 0)
		actor_error("cannot read the trusted keys", "%s", err);
	json_t *ipu = ipu_config_get();

	/* the packages: everything the transaction installs */
	size_t n = 0, i;
	json_t *it;
	struct pkgfetch_pkg *pkgs = xcalloc(json_array_size(json_object_get(plan, "items")) + 1, sizeof(*pkgs));
	json_array_foreach(json_object_get(plan, "items"), i, it) {
		const char *action = json_string_value(json_object_get(it, "action"));
		if (!action || (strcmp(action, "install") && strcmp(action, "upgrade") && strcmp(action, "downgrade")))
			continue;
		if (pkgfetch_pkg_from_json(it, &pkgs[n]) < 0)
			actor_error("the planned transaction has an item without a name, version, release, arch or repo",
				    "item %zu", i);
		n++;
	}
	_cleanup_free_ char *cache = actor_path("/var/lib/leapp/packages");
	int r = mkdir_p(cache, 0755);
	if (r < 0)
		actor_error("cannot create the package cache", "%s: %s", cache, strerror(-r));
	struct pkgfetch_opts o = {
		.root = actor_root(),
		.cache_dir = cache,
		.basearch = ipu_str(ipu, "architecture") ?: "x86_64",
		.releasever = ipu_str(ipu, "target_version") ?: "",
		.parallel = (int)cfg_int("parallel", 4),
		.retries = (int)cfg_int("retries", 3),
		.timeout = cfg_int("timeout", 30),
		.backoff = cfg_real("retry_delay", 1.0),
		.gpgcheck = gpgcheck,
		.progress = on_progress,
		.log = on_log,
	};
	struct dl_stats st = {0};
	r = pkgfetch_run(&o, json_object_get(plan, "repos"), &trusted, pkgs, n, &st, &err);
	if (r == -ENOSPC)
		actor_error("not enough space to download the target packages",
			    "%s. Nothing half-written is left in %s (partial downloads were removed); free space on its "
			    "filesystem and run leapp upgrade again.",
			    err, cache);
	if (r < 0)
		actor_error("cannot download the target packages", "%s", err);

	/* what the verification found */
	struct buf corrupt = {0};
	struct group *groups = NULL;
	size_t n_groups = 0, n_corrupt = 0;
	for (i = 0; i < n; i++) {
		struct pkgfetch_pkg *p = &pkgs[i];
		_cleanup_free_ char *line = pkgfetch_problem(p);
		if (!line)
			continue;
		if (p->check.verdict == KEYS_CORRUPT) {
			buf_printf(&corrupt, "\n  %s", line);
			n_corrupt++;
			continue;
		}
		struct group *g = NULL;
		for (size_t k = 0; k < n_groups && !g; k++)
			if (groups[k].verdict == p->check.verdict &&
			    !strcmp(groups[k].key_id ? groups[k].key_id : "", p->check.key_id ? p->check.key_id : ""))
				g = &groups[k];
		if (!g) {
			groups = xrealloc(groups, (n_groups + 1) * sizeof(*groups));
			g = &groups[n_groups++];
			memset(g, 0, sizeof(*g));
			g->verdict = p->check.verdict == KEYS_NOTTRUSTED ? KEYS_NOKEY : p->check.verdict;
			g->key_id = p->check.key_id ? xstrdup(p->check.key_id) : NULL;
		}
		buf_printf(&g->list, "\n    - %s", line);
		g->n++;
	}
	if (n_corrupt) {
		buf_append(&corrupt, "", 1);
		actor_error("corrupt packages in the target repositories",
			    "%zu package files match the repository checksum but not their own digests or signature, "
			    "so the repository itself holds damaged packages (they were removed from %s):%s",
			    n_corrupt, cache, corrupt.data);
	}
	if (n_groups) {
		report_signatures(groups, n_groups, keys);
		actor_stop_after_phase("target packages failed the signature check");
	} else {
		json_t *list = json_array();
		uint64_t bytes = 0;
		for (i = 0; i < n; i++) {
			json_array_append_new(list, pkgfetch_pkg_to_json(&o, &pkgs[i]));
			bytes += pkgs[i].size;
		}
		double secs = now_monotonic() - t0;
		actor_info("%zu packages (%.1f MiB) verified in %s: %zu from the cache, %zu downloaded (%.1f MiB) in %.2f s%s",
			   n, (double)bytes / (1 << 20), cache, st.cached, st.fetched, (double)st.bytes / (1 << 20), secs,
			   gpgcheck ? "" : "; signatures not checked (--nogpgcheck)");
		_cleanup_free_ char *cache_in_root = pkgfetch_in_root(actor_root(), cache);
		actor_produce("DownloadedPackages",
			      json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:b, s:f}", "cache_dir", cache, "cache_dir_in_root",
					cache_in_root, "packages", list, "downloaded", (json_int_t)st.fetched, "cached",
					(json_int_t)st.cached, "bytes_downloaded", (json_int_t)st.bytes, "gpgcheck", gpgcheck,
					"seconds", secs));
	}
	for (size_t k = 0; k < n_groups; k++) {
		free(groups[k].key_id);
		buf_free(&groups[k].list);
	}
	free(groups);
	buf_free(&corrupt);
	for (i = 0; i < n; i++)
		pkgfetch_pkg_clear(&pkgs[i]);
	free(pkgs);
	keys_set_clear(&trusted);
	json_decref(ipu);
	json_decref(keys);
	json_decref(plan);
	return actor_finish();
}
