/* Fuzz target: the frame reader and the broker-side validation of produce frames. */
#include "leapp/model.h"
#include "leapp/proto.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema[] = "- model: T\n  topic: X\n  fields:\n    s: string\n    i: {type: integer, default: 1}\n"
			     "    l: {type: list, of: {type: map, of: float}}\n    b: {type: blob, nullable: true}\n"
			     "    e: {type: enum, values: [a, b]}\n    t: {type: datetime, nullable: true}\n";

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
	struct frame_reader r;
	frame_reader_init(&r, 1 << 20);
	/* feed in two pieces to exercise reassembly */
	size_t half = size / 2;
	frame_reader_feed(&r, data, half);
	for (int piece = 0; piece < 2; piece++) {
		msgpack_object o;
		enum frame_type t;
		int x;
		while ((x = frame_reader_next(&r, &o, &t, NULL, NULL)) == 1) {
			const msgpack_object *d = mp_map_get(&o, "data");
			if (d) {
				msgpack_sbuffer sb;
				msgpack_packer pk;
				msgpack_sbuffer_init(&sb);
				msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
				char err[256];
				model_validate_msgpack(model_registry_find(reg, "T"), d, &pk, err, sizeof(err));
				json_decref(msgpack_to_json(d));
				msgpack_sbuffer_destroy(&sb);
			}
			free(mp_map_dup_str(&o, "model"));
		}
		if (x < 0)
			break;
		if (piece == 0)
			frame_reader_feed(&r, data + half, size - half);
	}
	frame_reader_clear(&r);
	return 0;
}
