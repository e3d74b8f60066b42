/* TargetTransactionCheck: the keys the target packages are checked against. The keys imported in
 * the --root rpmdb and the gpgkey= files of the target repositories (host paths, DESIGN.md
 * section 4) are trusted, except those gpg-signatures.json obsoletes up to the target major
 * (as leapp's removeobsoletegpgkeys does). Nothing is imported here: the RPM upgrade imports
 * TargetGpgKeys.to_import and erases to_remove. An unreadable key file of a repository that
 * checks signatures inhibits the upgrade. */
#include "sys.h"
#include "rpm.h"
#include "fetch.h"
#include "plan.h"
#include "leapp/strmap.h"
#include "leapp/actor.h"

static const char *tmp_parent(void)
{
	const char *s = actor_scratch_dir();
	if (s && *s)
		return s;
	s = getenv("TMPDIR");
	return s && *s ? s : "/tmp";
}

static bool nogpgcheck(void)
{
	const char *e = getenv("LEAPP_NOGPGCHECK");
	return e && *e && strcmp(e, "0");
}

/* fingerprint -> JSON array of repoids */
static void note_repo(struct strmap *m, const char *fp, const char *repoid)
{
	json_t *a = strmap_get(m, fp);
	if (!a) {
		a = json_array();
		strmap_put(m, fp, a);
	}
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (!strcmp(json_string_value(v), repoid))
			return;
	json_array_append_new(a, json_string(repoid));
}

static void decref(void *p)
{
	json_decref(p);
}

static void report_key_errors(json_t *errors, bool any_checked)
{
	if (!json_array_size(errors))
		return;
	struct buf b = {0};
	size_t i;
	json_t *v;
	json_array_foreach(errors, i, v)
		buf_printf(&b, "\n    - %s", json_string_value(v));
	buf_append(&b, "", 1);
	_cleanup_free_ char *summary = xasprintf(
		"The target packages are checked against the keys that the target repositories name with gpgkey=, "
		"and some of those keys cannot be read, so packages signed with them would be rejected:%s",
		b.data);
	buf_free(&b);
	json_t *e = report_new("A GPG key of a target repository cannot be read", summary, "high");
	if (any_checked)
		report_add_group(e, "inhibitor");
	report_add_group(e, "repository");
	report_add_hint(e, "Fix the gpgkey= lines in /etc/leapp/files/leapp_upgrade_repositories.repo (file:// "
			   "paths are paths on this machine) or put the key files in place. --nogpgcheck skips the "
			   "signature check altogether, which is not recommended.");
	actor_report(e);
}

/* one gpgkey= URL read: a local file, or fetched */
static int read_repo_key(const char *url, const struct dl_opts *dlo, struct keys_set *one, char **ret_err)
{
	if (str_startswith(url, "file:") || url[0] == '/') {
		const char *path = str_startswith(url, "file://") ? url + 7 : str_startswith(url, "file:") ? url + 5 : url;
		return keys_read_file(path, one, ret_err);
	}
	_cleanup_free_ char *text = NULL;
	int r = dl_fetch_small(dlo, url, 16 << 20, &text, NULL, ret_err);
	if (r == 0)
		r = keys_read_armored(text, url, one, ret_err);
	return r;
}

/* The keys the target repositories name with gpgkey=, merged into set (which repositories name
 * each in key_repos); the repositories with gpgcheck=0 into nocheck; unreadable keys into errors.
 * Returns whether an unreadable key matters (its repository checks signatures, and so do we). */
static bool collect_repo_keys(json_t *plan, const char *arch, const char *releasever, bool gpgcheck,
			      struct keys_set *set, struct strmap *key_repos, json_t *errors, json_t *nocheck)
{
	bool error_checked = false;
	struct dl_opts dlo = {.timeout = 30, .retries = 2, .backoff = 1};
	size_t i, k;
	json_t *repo, *v;
	json_array_foreach(json_object_get(plan, "repos"), i, repo) {
		const char *id = json_string_value(json_object_get(repo, "repoid")) ?: "?";
		bool repo_check = !json_is_false(json_object_get(repo, "gpgcheck"));
		if (!repo_check)
			json_array_append_new(nocheck, json_string(id));
		json_array_foreach(json_object_get(repo, "gpgkey"), k, v) {
			if (!json_is_string(v) || !*json_string_value(v))
				continue;
			_cleanup_free_ char *url = dl_expand_vars(json_string_value(v), arch, releasever);
			struct keys_set one = {0};
			_cleanup_free_ char *err = NULL;
			if (read_repo_key(url, &dlo, &one, &err) < 0) {
				json_array_append_new(errors, json_sprintf("repository %s: gpgkey %s: %s%s", id, url, err,
									   repo_check ? "" : " (the repository has gpgcheck=0)"));
				error_checked |= repo_check && gpgcheck;
				keys_set_clear(&one);
				continue;
			}
			for (size_t q = 0; q < one.n; q++)
				note_repo(key_repos, one.v[q].fingerprint, id);
			keys_set_merge(set, &one);
		}
	}
	return error_checked;
}

/* obsoleted keys: gpg-signatures.json "obsoleted-keys", every major up to the target's; not
 * trusted, and removed from the rpmdb when there. *sigs, *ret_shown: the file read. */
static void obsoleted_keys(json_t *ipu, int tmajor, struct keys_set *set, json_t *obs_list, json_t *to_remove,
			   struct rpm_sigs *sigs, char **ret_shown)
{
	const char *distro = ipu_str(ipu, "source_distro");
	_cleanup_free_ char *signame = distro ? xasprintf("distro/%s/gpg-signatures.json", distro) : NULL;
	if (signame) {
		_cleanup_free_ char *path = datafile_path(signame, ret_shown);
		_cleanup_free_ char *err = NULL;
		json_t *doc = NULL;
		if (datafile_load_json(signame, &doc, &err) < 0 ||
		    rpm_sigs_from_json(doc, *ret_shown ? *ret_shown : signame, sigs, &err) < 0)
			actor_warning("no obsoleted keys known: %s", err ? err : signame);
		json_decref(doc);
	}
	size_t k;
	json_t *v;
	for (int major = 7; tmajor > 0 && major <= tmajor; major++) {
		json_array_foreach(rpm_sigs_obsoleted(sigs, major), k, v) {
			const char *nvr = json_string_value(v);
			if (!nvr)
				continue;
			struct keys_key *key = keys_find_nvr(set, nvr);
			json_t *sources = json_array();
			if (key && key->in_rpmdb)
				json_array_append_new(sources, json_string("rpmdb"));
			if (key && key->file)
				json_array_append_new(sources, json_string(key->file));
			json_array_append_new(obs_list, json_pack("{s:s, s:s?, s:b, s:o}", "gpg_pubkey", nvr, "key_id",
								  key ? key->key_id : NULL, "in_rpmdb", key && key->in_rpmdb,
								  "sources", sources));
			if (key && key->in_rpmdb)
				json_array_append_new(to_remove, json_string(nvr));
			if (key) {
				actor_info("key %s (%s) is obsoleted for release %d by %s: not trusted", key->key_id, nvr, major,
					   *ret_shown ? *ret_shown : signame);
				keys_remove(set, (size_t)(key - set->v));
			}
		}
	}
}

/* the trusted keys as JSON, and those of them to import (not in the rpmdb yet) */
static void trusted_keys(const struct keys_set *set, struct strmap *key_repos, json_t *trusted, json_t *to_import)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct keys_key *key = &set->v[i];
		json_t *j = keys_key_to_json(key);
		json_object_set_new(j, "source", json_string(key->in_rpmdb ? "rpmdb" : "repo"));
		json_t *rs = strmap_get(key_repos, key->fingerprint);
		json_object_set_new(j, "repos", rs ? json_copy(rs) : json_array());
		json_array_append(trusted, j);
		if (!key->in_rpmdb)
			json_array_append(to_import, j);
		json_decref(j);
		actor_info("trusted key %s %s (%s)%s", key->key_id, key->user_id ? key->user_id : "",
			   key->in_rpmdb ? "rpmdb" : key->file, key->in_rpmdb ? "" : ": imported during the upgrade");
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = plan_consume_planned();
	if (!plan) {
		actor_warning("no planned transaction: no target keys to collect");
		return actor_finish();
	}
	json_t *ipu = ipu_config_get();
	const char *arch = ipu_str(ipu, "architecture") ?: "x86_64";
	int tmajor = ipu_target_major(ipu);
	_cleanup_free_ char *releasever = tmajor > 0 ? xasprintf("%d", tmajor) : xstrdup("");
	bool gpgcheck = !nogpgcheck();

	struct keys_set set = {0};
	_cleanup_free_ char *err = NULL;
	int r = keys_read_rpmdb(actor_root(), tmp_parent(), &set, &err);
	if (r < 0 && r != -ENOENT)
		actor_error("cannot read the keys imported in the RPM database", "%s", err);
	size_t n_rpmdb = set.n;

	struct strmap key_repos;
	strmap_init(&key_repos);
	json_t *errors = json_array(), *nocheck = json_array();
	bool error_checked = collect_repo_keys(plan, arch, releasever, gpgcheck, &set, &key_repos, errors, nocheck);
	report_key_errors(errors, error_checked);

	_cleanup_free_ char *shown = NULL;
	struct rpm_sigs sigs = {0};
	json_t *obs_list = json_array(), *to_remove = json_array();
	obsoleted_keys(ipu, tmajor, &set, obs_list, to_remove, &sigs, &shown);

	json_t *trusted = json_array(), *to_import = json_array();
	trusted_keys(&set, &key_repos, trusted, to_import);
	actor_info("%zu trusted keys (%zu from the rpmdb), %zu to import, %zu obsoleted in the rpmdb%s", set.n, n_rpmdb,
		   json_array_size(to_import), json_array_size(to_remove), gpgcheck ? "" : "; --nogpgcheck: not checked");
	json_t *msg = json_pack("{s:o, s:o, s:o, s:o, s:b, s:o, s:O}", "trusted", trusted, "to_import", to_import,
				"to_remove", to_remove, "obsoleted", obs_list, "gpgcheck", gpgcheck, "nocheck_repos", nocheck,
				"errors", errors);
	json_object_set_new(msg, "signatures_file", shown ? json_string(shown) : json_null());
	actor_produce("TargetGpgKeys", msg);

	json_decref(errors);
	rpm_sigs_clear(&sigs);
	strmap_clear(&key_repos, decref);
	keys_set_clear(&set);
	json_decref(ipu);
	json_decref(plan);
	return actor_finish();
}
