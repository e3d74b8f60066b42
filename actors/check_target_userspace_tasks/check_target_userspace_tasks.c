/* TargetTransactionCheck: what the target userspace will hold (TargetUserSpaceTasks and the base
 * packages) must be installable from the target repositories. Checked here, before anything is
 * downloaded, so that `leapp preupgrade` already names a missing package and who asked for it;
 * target_userspace_creator fails on the same thing if a task appears later. */
#include "sys.h"
#include "plan.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = plan_consume_planned();
	if (!plan) {
		actor_warning("no planned transaction: the target userspace's packages are not checked");
		return actor_finish();
	}
	json_t *tasks = actor_consume("TargetUserSpaceTasks");
	json_t *ipu = ipu_config_get();
	size_t n_base = 0;
	char **base = userspace_base_packages(actor_config(), &n_base);
	struct userspace_requests req;
	userspace_requests_collect(&req, base, n_base, tasks);
	struct solve_result res;
	_cleanup_free_ char *err = NULL;
	int r = userspace_resolve(plan, &req, ipu_str(ipu, "architecture") ?: "x86_64", &res, &err);
	if (r < 0)
		actor_error("cannot load the target repositories to check the target userspace's packages", "%s", err);
	if (res.n_problems) {
		struct buf b = {0};
		for (size_t i = 0; i < res.n_problems; i++) {
			const struct solve_problem *p = &res.problems[i];
			buf_printf(&b, "\n    - %s", p->summary);
			for (size_t k = 0; k < p->n_rules; k++)
				buf_printf(&b, "\n        %s", p->rules[k]);
		}
		buf_append(&b, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"The upgrade installs packages of the target release into its own userspace "
			"(/var/lib/leapp/el%duserspace) to build the upgrade initramfs and run the upgrade, and the target "
			"repositories cannot provide all of them:%s",
			ipu_target_major(ipu), b.data);
		buf_free(&b);
		json_t *e = report_new("Packages the upgrade needs are missing from the target repositories", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "repository");
		report_add_hint(e, "Enable the target repositories that hold these packages (in "
				   "/etc/leapp/files/leapp_upgrade_repositories.repo, or with --enablerepo).");
		actor_report(e);
	} else
		actor_info("the target userspace can be made: %zu packages for %zu requests", res.n_items, req.n);
	solve_result_free(&res);
	userspace_requests_clear(&req);
	strv_free(base);
	json_decref(ipu);
	json_decref(tasks);
	json_decref(plan);
	return actor_finish();
}
