/* Fuzz target: an actor configuration file (/etc/leapp/actor_conf.d/NAME.yaml) read the way
 * broker/actorconf.c reads one: a YAML map of sections, each a map of keys converted to JSON
 * by the type the declaring actor's manifest gives (ftypespec_json_from_yaml). The sections
 * come from a manifest with the configuration types actors declare (strings, booleans,
 * integers, lists of strings, maps, enums, nullable values). */
#include "leapp/manifest.h"
#include "leapp/model.h"
#include "leapp/util.h"
#include "leapp/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema[] =
	"- model: Conf\n  topic: X\n  fields:\n    enabled: {type: boolean, default: true}\n"
	"    count: {type: integer, default: 3}\n    name: string\n    paths: {type: list, of: string, default: []}\n"
	"    opts: {type: map, of: string, nullable: true}\n    mode: {type: enum, values: [auto, manual]}\n"
	"    ratio: {type: float, nullable: true}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model_registry *reg;
	static const struct model *conf;
	if (!reg) {
		char *err = NULL;
		reg = model_registry_new();
		if (model_registry_load_string(reg, "fuzz", schema, sizeof(schema) - 1, &err) < 0 ||
		    model_registry_resolve(reg, &err) < 0)
			abort();
		conf = model_registry_find(reg, "Conf");
	}
	const char *shown = "/etc/leapp/actor_conf.d/fuzz.yaml";
	struct ydoc *doc = NULL;
	char *err = NULL;
	if (ydoc_load_string(shown, (const char *)data, size, &doc, &err) < 0) {
		free(err);
		return 0;
	}
	const struct ynode *root = doc->root;
	for (size_t k = 0; root && root->kind == YNODE_MAP && k < root->n; k++) {
		const struct ynode *body = root->items[k];
		if (body->kind != YNODE_MAP)
			continue;
		/* key by key, as config_section_load() does */
		for (size_t q = 0; q < body->n; q++)
			for (size_t f = 0; f < conf->n_fields; f++) {
				if (strcmp(conf->fields[f].name, body->keys[q]))
					continue;
				json_t *v = NULL;
				char *e = NULL;
				if (ftypespec_json_from_yaml(&conf->fields[f].spec, body->items[q], shown, body->keys[q], &v, &e) == 0)
					json_decref(v);
				else if (!e || strncmp(e, shown, strlen(shown)))
					abort(); /* errors name the file */
				free(e);
			}
		/* and the whole section at once, unknown keys collected */
		json_t *all = NULL, *unknown = json_array();
		char *e = NULL;
		if (fields_json_from_yaml(conf->fields, conf->n_fields, body, shown, root->keys[k], &all, &e, unknown) == 0)
			json_decref(all);
		free(e);
		json_decref(unknown);
	}
	ydoc_free(doc);
	return 0;
}
