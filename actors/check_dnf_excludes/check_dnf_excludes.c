/* Checks: excluded packages cannot be upgraded or installed; say which excludes apply. */
#include "leapp/actor.h"

static void append_list(struct buf *b, json_t *a)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		buf_printf(b, "%s%s", i ? " " : "", json_string_value(v));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *dnf = actor_consume_last("DNFConfig");
	json_t *repos = actor_consume_last("RepositoriesFacts");
	struct buf list = {0};
	json_t *ex = json_object_get(dnf, "exclude");
	if (json_array_size(ex)) {
		buf_append(&list, "\n- /etc/dnf/dnf.conf [main] exclude=", 36);
		append_list(&list, ex);
	}
	size_t i, k;
	json_t *f, *r;
	json_array_foreach(json_object_get(repos, "repositories"), i, f)
		json_array_foreach(json_object_get(f, "data"), k, r) {
			if (!json_is_true(json_object_get(r, "enabled")) || !json_array_size(json_object_get(r, "exclude")))
				continue;
			buf_printf(&list, "\n- %s [%s] exclude=", json_string_value(json_object_get(f, "file")),
				   json_string_value(json_object_get(r, "repoid")));
			append_list(&list, json_object_get(r, "exclude"));
		}
	if (list.len) {
		buf_append(&list, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"dnf excludes packages that match these patterns. The upgrade applies the dnf.conf excludes to the "
			"target transaction too, so matching packages are neither upgraded nor installed, which can leave the "
			"system with el8 packages or an unsolvable transaction:%s",
			list.data);
		json_t *e = report_new("Package excludes will apply to the upgrade", summary, "medium");
		report_add_group(e, "repository");
		report_add_hint(e, "Remove the exclude= settings that are not needed for the upgrade, and add them back "
				   "afterwards if they are still wanted.");
		report_add_resource(e, "file", "/etc/dnf/dnf.conf");
		actor_report(e);
	}
	buf_free(&list);
	json_decref(dnf);
	json_decref(repos);
	return actor_finish();
}
