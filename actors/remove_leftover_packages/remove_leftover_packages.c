/* RPMUpgrade (after rpm_upgrade): remove the packages of the old release that the transaction
 * left installed, following upstream's rules (check_leftover_packages,
 * remove_leftover_packages, report_leftover_packages): never the old kernels (the fallback
 * kernel, LeftoverPackages.installonly), never packages the distribution did not sign
 * (ThirdPartyRPM) nor leapp's own; and, where upstream's `dnf remove` would take dependent
 * packages along, nothing that a package staying installed still requires: such a leftover
 * stays and is named with what needs it. The removal is one librpm transaction, tested first. */
#include "sys.h"
#include "leapp/actor.h"
#include "rpm.h"

#define MAX_ROUNDS 32

struct candidate {
	char *nevra, *name;
	char *why;          /* NULL: to remove; else why it stays */
};

static bool in_items(json_t *msg, const char *name)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(msg, "items"), i, p)
		if (!strcmp(json_string_value(json_object_get(p, "name")) ?: "", name))
			return true;
	return false;
}

static char *nevra_of(json_t *p)
{
	json_int_t epoch = json_integer_value(json_object_get(p, "epoch"));
	_cleanup_free_ char *e = epoch ? xasprintf("%lld:", (long long)epoch) : xstrdup("");
	return xasprintf("%s-%s%s-%s.%s", json_string_value(json_object_get(p, "name")), e,
			 json_string_value(json_object_get(p, "version")), json_string_value(json_object_get(p, "release")),
			 json_string_value(json_object_get(p, "arch")));
}

/* One transaction erasing every candidate still to remove; test or real. */
static int erase_run(struct candidate *c, size_t n, bool test, struct rpmtrans_result *res, char **err)
{
	struct rpmtrans_opts o = {.root = actor_root(), .test = test};
	struct rpmtrans *t = NULL;
	int r = rpmtrans_new(&o, &t, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (c[i].why)
			continue;
		_cleanup_free_ char *e = NULL;
		if (rpmtrans_add_erase(t, c[i].nevra, &e) < 0)
			c[i].why = xasprintf("not installed any more (%s)", e ? e : "?");
	}
	r = rpmtrans_run(t, res, err);
	rpmtrans_free(t);
	return r;
}

/* Keep the candidates whose removal breaks a package that stays. Returns how many were kept. */
static size_t keep_required(struct candidate *c, size_t n, const struct rpmtrans_result *res)
{
	size_t kept = 0;
	for (size_t p = 0; p < res->n_problems; p++) {
		const struct rpmtrans_problem *pr = &res->problems[p];
		for (size_t i = 0; i < n; i++) {
			if (c[i].why || !pr->package || strcmp(pr->package, c[i].nevra))
				continue;
			c[i].why = pr->kind == RPMTRANS_PROB_REQUIRES && pr->other
					   ? xasprintf("%s requires %s", pr->other, pr->dependency ? pr->dependency : c[i].name)
					   : xasprintf("%s", pr->message ? pr->message : rpmtrans_problem_kind_name(pr->kind));
			kept++;
		}
	}
	return kept;
}

static void report(struct candidate *c, size_t n, json_t *removed)
{
	struct buf r = {0}, k = {0};
	for (size_t i = 0; i < n; i++) {
		if (c[i].why)
			buf_printf(&k, "\n    - %s (%s)", c[i].nevra, c[i].why);
		else
			buf_printf(&r, "\n    - %s", c[i].nevra);
	}
	if (r.len) {
		buf_append(&r, "", 0);
		_cleanup_free_ char *s = xasprintf("These packages of the old release were left installed by the upgrade and "
						   "have been removed:%s",
						   r.data);
		json_t *e = report_new("Leftover packages from the original OS have been removed", s, "high");
		report_set_key(e, "5afbad560709afa4e40a160e40dfd44788ba9c3b");
		report_add_group(e, "sanity");
		size_t i;
		json_t *p;
		json_array_foreach(removed, i, p)
			report_add_resource(e, "package", json_string_value(json_object_get(p, "name")));
		actor_report(e);
	}
	if (k.len) {
		buf_append(&k, "", 0);
		_cleanup_free_ char *s = xasprintf("These packages of the old release have not been upgraded and stay "
						   "installed, for the reason given with each:%s",
						   k.data);
		json_t *e = report_new("Some packages from the original OS have not been upgraded", s, "high");
		report_set_key(e, "d424c3132ed78a8632b5c73d919909e453107c06");
		report_add_group(e, "sanity");
		report_add_hint(e, "Remove them (dnf remove NAME) or replace them with builds for the new release, once "
				   "nothing needs them, to keep the system in a supported state.");
		for (size_t i = 0; i < n; i++)
			if (c[i].why)
				report_add_resource(e, "package", c[i].name);
		actor_report(e);
	}
	buf_free(&r);
	buf_free(&k);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *left = actor_consume_last("LeftoverPackages");
	json_t *third = actor_consume_last("ThirdPartyRPM");
	size_t n = json_array_size(json_object_get(left, "items")), i;
	struct candidate *c = xcalloc(n ? n : 1, sizeof(*c));
	json_t *p;
	json_array_foreach(json_object_get(left, "items"), i, p) {
		c[i].name = xstrdup(json_string_value(json_object_get(p, "name")) ?: "");
		c[i].nevra = nevra_of(p);
		if (in_items(third, c[i].name))
			c[i].why = xstrdup("not signed by the distribution: kept, as every third-party package");
		else if (!strncmp(c[i].name, "leapp", 5))
			c[i].why = xstrdup("leapp's own package");
	}
	char *err = NULL;
	size_t to_remove = 0;
	for (i = 0; i < n; i++)
		to_remove += !c[i].why;
	for (int round = 0; to_remove && round < MAX_ROUNDS; round++) {
		struct rpmtrans_result res = {0};
		if (erase_run(c, n, true, &res, &err) < 0)
			actor_error("cannot test the removal of the leftover packages", "%s", err);
		size_t kept = res.ok ? 0 : keep_required(c, n, &res);
		bool ok = res.ok;
		rpmtrans_result_free(&res);
		if (ok)
			break;
		if (!kept) {
			for (i = 0; i < n; i++)
				if (!c[i].why)
					c[i].why = xstrdup("the removal's test transaction failed");
		}
		to_remove = 0;
		for (i = 0; i < n; i++)
			to_remove += !c[i].why;
	}
	json_t *removed = json_array();
	if (to_remove) {
		struct rpmtrans_result res = {0};
		if (erase_run(c, n, false, &res, &err) < 0)
			actor_error("cannot remove the leftover packages", "%s", err);
		for (size_t k = 0; k < res.n_packages; k++)
			for (i = 0; i < n; i++)
				if (!c[i].why && !strcmp(res.packages[k].nevra, c[i].nevra)) {
					if (res.packages[k].state == RPMTRANS_PKG_DONE) {
						json_array_append_new(removed, json_pack("{s:s, s:s}", "name", c[i].name, "nevra", c[i].nevra));
						actor_info("removed %s", c[i].nevra);
					} else
						c[i].why = xasprintf("its removal failed: %s", res.packages[k].detail ?: "?");
				}
		rpmtrans_result_free(&res);
	}
	report(c, n, removed);
	actor_produce("RemovedPackages", json_pack("{s:o}", "items", removed));
	for (i = 0; i < n; i++) {
		free(c[i].nevra);
		free(c[i].name);
		free(c[i].why);
	}
	free(c);
	free(err);
	json_decref(left);
	json_decref(third);
	return actor_finish();
}
