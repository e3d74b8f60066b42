/* Test helper: re-solve a PlannedTransaction (actors/lib/plan/replan.c) against a root and print
 * the result as JSON: {"status", "fingerprint", "items": [{action, name, epoch, version,
 * release, arch, repo, reason}], "problems": [summary...]}.
 *   replan_tool PLANNED.json ROOT [ARCH] */
#include <jansson.h>
#include <stdio.h>

#include "leapp/util.h"
#include "plan.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: replan_tool PLANNED.json ROOT [ARCH]\n");
		return 2;
	}
	json_error_t je;
	json_t *plan = json_load_file(argv[1], 0, &je);
	if (!plan) {
		fprintf(stderr, "replan_tool: %s:%d: %s\n", argv[1], je.line, je.text);
		return 1;
	}
	struct solve_result res;
	struct solve_ctx *s = NULL;
	char *err = NULL;
	if (replan_solve(plan, argv[2], argc > 3 ? argv[3] : "x86_64", NULL, NULL, &res, &s, &err) < 0) {
		fprintf(stderr, "replan_tool: %s\n", err);
		free(err);
		json_decref(plan);
		return 1;
	}
	json_t *items = json_array(), *probs = json_array();
	for (size_t i = 0; i < res.n_items; i++) {
		const struct solve_item *it = &res.items[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "action",
						       solve_action_name(it->action), "name", it->name, "epoch",
						       (json_int_t)it->epoch, "version", it->version, "release", it->release,
						       "arch", it->arch, "repo", it->repo, "reason", it->reason));
	}
	for (size_t i = 0; i < res.n_problems; i++)
		json_array_append_new(probs, json_string(res.problems[i].summary));
	char *fp = solve_installed_fingerprint(s);
	json_t *out = json_pack("{s:s, s:s, s:o, s:o}", "status", res.n_problems ? "unsolvable" : "planned", "fingerprint",
				fp, "items", items, "problems", probs);
	json_dumpf(out, stdout, JSON_INDENT(1));
	putchar('\n');
	free(fp);
	json_decref(out);
	solve_result_free(&res);
	solve_free(s);
	json_decref(plan);
	return 0;
}
