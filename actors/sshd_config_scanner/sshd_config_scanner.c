/* FactsCollection: sshd_config, the directives the upgrade checks (PermitRootLogin first). */
#include <strings.h>

#include "sys.h"
#include "leapp/actor.h"

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
	const struct sshd_directive *d = sshd_config_effective(&c, "permitrootlogin");
	actor_info("sshd_config %s, PermitRootLogin %s", r == 0 ? "read" : "absent", d ? d->value : "not set");
	actor_produce("SshdConfig", out);
	sshd_config_clear(&c);
	return actor_finish();
}
