/* TargetTransactionFactsCollection: the module streams dnf records in /etc/dnf/modules.d, as
 * EnabledModules (every state; the planner maps the enabled ones to target streams). */
#include "leapp/actor.h"
#include "plan.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct module_state *m = NULL;
	size_t n = 0;
	_cleanup_free_ char *err = NULL;
	if (modules_read_states(actor_root(), &m, &n, &err) < 0) {
		_cleanup_free_ char *summary = xasprintf(
			"dnf's module state file cannot be read: %s. leapp needs the enabled module streams to choose the "
			"target streams and the modular packages of the upgrade.",
			err);
		json_t *e = report_new("Invalid module state file", summary, "high");
		report_add_group(e, "inhibitor");
		report_add_group(e, "repository");
		report_add_hint(e, "Fix the file (dnf writes [module] sections with name=, stream=, profiles= and "
				   "state=), or reset the module with dnf module reset.");
		report_add_resource(e, "file", "/etc/dnf/modules.d");
		actor_report(e);
		return actor_finish();
	}
	json_t *mods = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(mods, json_pack("{s:s, s:s, s:s, s:o, s:s}", "name", m[i].name, "stream", m[i].stream,
						      "state", m[i].state, "profiles",
						      plan_strv_json(m[i].profiles, m[i].n_profiles), "file", m[i].file));
		if (!strcmp(m[i].state, "enabled"))
			actor_info("module stream %s:%s enabled (%s)", m[i].name, m[i].stream, m[i].file);
	}
	actor_produce("EnabledModules", json_pack("{s:o}", "modules", mods));
	modules_states_free(m, n);
	return actor_finish();
}
