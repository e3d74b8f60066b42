/* TargetTransactionCheck (after): inhibit when the SystemdServicesTasks produced so far ask
 * to enable and to disable the same service (upstream check_systemd_service_tasks): which one
 * the admin gets would be an accident of the actors' order. set_systemd_services_states lets
 * enabling win for tasks produced later, after the reboot, where nobody can be asked. */
#include "sys.h"
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *tasks = actor_consume("SystemdServicesTasks");
	json_t *enable = json_object(), *conflicts = json_object();
	size_t i, k;
	json_t *t, *v;
	json_array_foreach(tasks, i, t)
		json_array_foreach(json_object_get(t, "to_enable"), k, v)
			if (json_is_string(v))
				json_object_set_new(enable, json_string_value(v), json_true());
	json_array_foreach(tasks, i, t)
		json_array_foreach(json_object_get(t, "to_disable"), k, v)
			if (json_is_string(v) && json_object_get(enable, json_string_value(v)))
				json_object_set_new(conflicts, json_string_value(v), json_true());
	if (json_object_size(conflicts)) {
		struct buf b = {0};
		const char *name;
		json_t *x;
		json_object_foreach(conflicts, name, x)
			buf_printf(&b, "\n    - %s", name);
		buf_append(&b, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"Actors of the upgrade asked for these systemd services to be both enabled and disabled on the "
			"upgraded system, so the state they would end up in cannot be decided:%s",
			b.data);
		json_t *e = report_new("Conflicting requirements of systemd service states", summary, "high");
		report_add_group(e, "sanity");
		report_add_group(e, "inhibitor");
		report_add_hint(e, "Find the actors that produce SystemdServicesTasks for these services (custom actors in "
				   "/etc/leapp/repos.d included) and make them agree.");
		actor_report(e);
		buf_free(&b);
	}
	json_decref(enable);
	json_decref(conflicts);
	json_decref(tasks);
	return actor_finish();
}
