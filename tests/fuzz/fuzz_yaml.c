/* Fuzz target: YAML documents as model schemas and as actor manifests. */
#include "leapp/manifest.h"
#include "leapp/model.h"
#include "leapp/util.h"
#include "leapp/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	struct model_registry *r = model_registry_new();
	if (model_registry_load_string(r, "fuzz.yaml", (const char *)data, size, &err) == 0)
		model_registry_resolve(r, &err);
	free(err);
	err = NULL;
	model_registry_free(r);
	struct manifest *m = NULL;
	if (manifest_load_string("/fuzz/actor.yaml", (const char *)data, size, &m, &err) == 0)
		manifest_free(m);
	free(err);
	err = NULL;
	struct ydoc *d = NULL;
	if (ydoc_load_string("fuzz", (const char *)data, size, &d, &err) == 0) {
		json_decref(ynode_to_json(d->root));
		ydoc_free(d);
	}
	free(err);
	return 0;
}
