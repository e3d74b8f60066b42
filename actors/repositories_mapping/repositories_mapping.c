/* TargetTransactionFactsCollection: repomap.json (format 1.x) and vendors.d/VENDOR_map.json, reduced
 * to the upgrade path, as RepositoriesMapping. A bad file inhibits, naming the file and position. */
#include "sys.h"
#include "plan.h"
#include "leapp/actor.h"

static void inhibit_bad_map(const char *file, const char *err)
{
	_cleanup_free_ char *summary = xasprintf(
		"The repository map %s cannot be used: %s. leapp maps the source system's repositories to the target's "
		"with it, and cannot plan the upgrade without it.",
		file, err);
	json_t *e = report_new("Invalid repository map", summary, "high");
	report_add_group(e, "inhibitor");
	report_add_group(e, "repository");
	report_add_hint(e, "Fix the file at the position given (or reinstall the package that ships it); a file in "
			   "/etc/leapp/files replaces the built-in one of the same name.");
	report_add_resource(e, "file", file);
	actor_report(e);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *ipu = ipu_config_get();
	if (!ipu)
		actor_error("no workflow configuration (IPUConfig)", "ipu_workflow_config did not decide the upgrade path");
	_cleanup_free_ char *src = xasprintf("%d", ipu_source_major(ipu)), *dst = xasprintf("%d", ipu_target_major(ipu));
	const char *arch = ipu_str(ipu, "architecture") ? ipu_str(ipu, "architecture") : "x86_64";

	struct repomap m;
	repomap_init(&m);
	json_t *doc = NULL;
	_cleanup_free_ char *err = NULL;
	int r = datafile_load_json("repomap.json", &doc, &err);
	if (r < 0) {
		datafile_report_problem("repomap.json", r, err);
		json_decref(ipu);
		return actor_finish();
	}
	_cleanup_free_ char *shown = NULL, *path = datafile_path("repomap.json", &shown);
	free(err);
	err = NULL;
	bool ok = repomap_merge_json(&m, doc, shown, src, dst, arch, &err) == 0;
	json_decref(doc);
	if (!ok) {
		inhibit_bad_map(shown, err);
		repomap_free(&m);
		json_decref(ipu);
		return actor_finish();
	}
	char **paths, **names;
	size_t n = plan_vendor_files("_map.json", &paths, &names);
	for (size_t i = 0; i < n; i++) {
		free(err);
		err = NULL;
		json_t *v = plan_load_json(paths[i], names[i], &err);
		if (!v || repomap_merge_json(&m, v, names[i], src, dst, arch, &err) < 0) {
			inhibit_bad_map(names[i], err);
			ok = false;
		}
		json_decref(v);
	}
	strv_free_n(paths, n);
	strv_free_n(names, n);
	if (ok) {
		actor_info("repository map: %zu mapping entries, %zu repositories for %s -> %s on %s (%zu files)", m.n_map,
			   m.n_repos, src, dst, arch, m.n_files);
		actor_produce("RepositoriesMapping", repomap_to_json(&m));
	}
	repomap_free(&m);
	json_decref(ipu);
	return actor_finish();
}
