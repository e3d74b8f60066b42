/* FactsCollection: sshd_config, the directives the upgrade checks (PermitRootLogin first). */
#include <strings.h>

#include "sys.h"
#include "leapp/actor.h"
#include "rpm.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct sshd_config c = {0};
	int r = sshd_config_load(actor_root(), "/etc/ssh/sshd_config", &c);
	json_t *out = json_pack("{s:b, s:s}", "present", r == 0 || r == -ELOOP, "file", "/etc/ssh/sshd_config");
	if (r < 0 && r != -ENOENT)
		actor_warning("/etc/ssh/sshd_config: %s", strerror(-r));
	json_t *prl = json_array(), *other = json_array(), *inc = json_array();
	for (size_t i = 0; i < c.n; i++)
		json_array_append_new(!strcasecmp(c.v[i].keyword, "permitrootlogin") ? prl : other,
				      sshd_directive_to_json(&c.v[i]));
	for (size_t i = 0; i < c.n_includes; i++)
		json_array_append_new(inc, json_string(c.includes[i]));
	json_object_set_new(out, "permit_root_login", prl);
	json_object_set_new(out, "directives", other);
	json_object_set_new(out, "includes", inc);
	/* upstream's `modified`: an unmodified file is replaced by the target's on upgrade */
	_cleanup_free_ char *pkg = NULL;
	bool modified = false;
	int m = rpmdb_file_modified(actor_root(), "/etc/ssh/sshd_config", &pkg, &modified);
	if (m == 0) {
		json_object_set_new(out, "modified", json_boolean(modified));
		json_object_set_new(out, "package", json_string(pkg));
	} else if (m != -ENOENT)
		actor_warning("/etc/ssh/sshd_config: cannot compare with the rpmdb: %s", strerror(-m));
	const struct sshd_directive *d = sshd_config_effective(&c, "permitrootlogin");
	actor_info("sshd_config %s%s, PermitRootLogin %s", r == 0 ? "read" : "absent",
		   m < 0 ? "" : modified ? " (modified)" : " (as packaged)", d ? d->value : "not set");
	actor_produce("SshdConfig", out);
	sshd_config_clear(&c);
	return actor_finish();
}
