/* FactsCollection: every installed package (librpm, read-only), and which of them the
 * distribution signed (distro/<id>/gpg-signatures.json). */
#include "sys.h"
#include "rpm.h"
#include "leapp/actor.h"

/* Signed by the distribution: the signing key is one of the distribution's keys. A
 * gpg-pubkey pseudo-package is the distribution's when it is one of the keys' packages. */
static bool distribution_signed(const struct rpmdb_pkg *p, const struct rpm_sigs *sigs)
{
	if (rpm_sigs_has_key(sigs, p->key_id))
		return true;
	if (!strcmp(p->name, "gpg-pubkey")) {
		_cleanup_free_ char *nvr = xasprintf("gpg-pubkey-%s-%s", p->version, p->release);
		if (rpm_sigs_has_pubkey(sigs, nvr))
			return true;
	}
	/* leapp's exception: the Satellite CA package is generated on the Satellite, unsigned */
	return str_startswith(p->name, "katello-ca-consumer");
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct rpmdb_pkgs pkgs = {0};
	_cleanup_free_ char *err = NULL;
	double t0 = now_monotonic();
	int r = rpmdb_read_all(actor_root(), &pkgs, &err);
	if (r < 0)
		actor_error("cannot read the installed packages", "%s", err);
	actor_debug("read %zu packages from %s in %.1f ms", pkgs.n, pkgs.dbpath, (now_monotonic() - t0) * 1000);

	json_t *all = json_array();
	for (size_t i = 0; i < pkgs.n; i++)
		json_array_append_new(all, rpmdb_pkg_to_json(&pkgs.v[i]));
	actor_produce("InstalledRPM", json_pack("{s:O}", "items", all));

	json_t *ipu = ipu_config_get();
	const char *distro = ipu_str(ipu, "source_distro");
	if (!distro) {
		/* ipu_workflow_config has already inhibited: no os-release */
		actor_warning("no workflow configuration: packages not sorted by signature");
	} else {
		_cleanup_free_ char *name = xasprintf("distro/%s/gpg-signatures.json", distro);
		_cleanup_free_ char *derr = NULL;
		json_t *doc = NULL;
		struct rpm_sigs sigs = {0};
		r = datafile_load_json(name, &doc, &derr);
		if (r == 0) {
			_cleanup_free_ char *shown = NULL;
			free(datafile_path(name, &shown));
			r = rpm_sigs_from_json(doc, shown ? shown : name, &sigs, &derr);
		}
		json_decref(doc);
		if (r < 0) {
			datafile_report_problem(name, r, derr);
		} else {
			const char *all_signed = getenv("LEAPP_DEVEL_RPMS_ALL_SIGNED");
			bool devel_all = all_signed && !strcmp(all_signed, "1");
			json_t *signed_items = json_array(), *third = json_array();
			for (size_t i = 0; i < pkgs.n; i++) {
				json_t *j = json_array_get(all, i);
				if (devel_all || distribution_signed(&pkgs.v[i], &sigs))
					json_array_append(signed_items, j);
				else
					json_array_append(third, j);
			}
			actor_info("%zu packages: %zu distribution-signed, %zu third-party", pkgs.n,
				   json_array_size(signed_items), json_array_size(third));
			actor_produce("DistributionSignedRPM", json_pack("{s:o}", "items", signed_items));
			actor_produce("ThirdPartyRPM", json_pack("{s:o}", "items", third));
		}
		rpm_sigs_clear(&sigs);
	}
	json_decref(ipu);
	json_decref(all);
	rpmdb_pkgs_clear(&pkgs);
	return actor_finish();
}
