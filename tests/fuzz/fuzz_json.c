/* Fuzz target: JSON messages (actor run input, standalone mode) validated and packed. */
#include "leapp/model.h"
#include "leapp/proto.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema[] = "- model: I\n  topic: X\n  fields:\n    name: string\n"
			     "- model: T\n  topic: X\n  fields:\n    s: string\n    i: {type: integer, default: 1}\n"
			     "    m: {type: map, of: {type: list, of: I}}\n    b: {type: blob, nullable: true}\n"
			     "    f: float\n    t: {type: datetime, nullable: true}\n    o: {type: boolean, default: false}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model_registry *reg;
	if (!reg) {
		char *err = NULL;
		reg = model_registry_new();
		if (model_registry_load_string(reg, "fuzz", schema, sizeof(schema) - 1, &err) < 0 ||
		    model_registry_resolve(reg, &err) < 0)
			abort();
	}
	json_error_t e;
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, &e);
	if (!j)
		return 0;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	char err[256];
	if (model_pack_json(model_registry_find(reg, "T"), j, &pk, err, sizeof(err)) == 0) {
		/* the canonical bytes must validate again and convert back */
		msgpack_zone z;
		msgpack_zone_init(&z, 1024);
		msgpack_object o;
		size_t off = 0;
		if (msgpack_unpack(sb.data, sb.size, &off, &z, &o) != MSGPACK_UNPACK_SUCCESS)
			abort();
		if (model_validate_msgpack(model_registry_find(reg, "T"), &o, NULL, err, sizeof(err)) < 0)
			abort();
		json_decref(msgpack_to_json(&o));
		msgpack_zone_destroy(&z);
	}
	msgpack_sbuffer_destroy(&sb);
	json_decref(j);
	return 0;
}
