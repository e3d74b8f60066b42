/* Unit tests of models: schema loading errors, validation of every field type, canonical form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "leapp/manifest.h"
#include "leapp/model.h"
#include "leapp/proto.h"
#include "leapp/util.h"

static const char schema[] =
	"- model: Inner\n"
	"  topic: T\n"
	"  fields:\n"
	"    name: string\n"
	"- model: All\n"
	"  topic: T\n"
	"  fields:\n"
	"    s: string\n"
	"    i: integer\n"
	"    b: boolean\n"
	"    f: float\n"
	"    t: datetime\n"
	"    bl: blob\n"
	"    e: {type: enum, values: [red, green]}\n"
	"    l: {type: list, of: integer}\n"
	"    m: {type: map, of: string}\n"
	"    nested: Inner\n"
	"    opt: {type: string, nullable: true}\n"
	"    def: {type: integer, default: 7}\n";

static char *write_tmp(const char *content)
{
	char *p = xstrdup("/tmp/leapp-unit-XXXXXX.yaml");
	int fd = mkstemps(p, 5);
	assert_true(fd >= 0);
	assert_int_equal(write_all(fd, content, strlen(content)), 0);
	close(fd);
	return p;
}

static struct model_registry *load(const char *content, char **err)
{
	char *p = write_tmp(content);
	struct model_registry *r = model_registry_new();
	int x = model_registry_load_file(r, p, err);
	if (x == 0)
		x = model_registry_resolve(r, err);
	unlink(p);
	free(p);
	if (x < 0) {
		model_registry_free(r);
		return NULL;
	}
	return r;
}

static json_t *good(void)
{
	return json_pack("{s:s, s:i, s:b, s:f, s:s, s:s, s:s, s:[i,i], s:{s:s}, s:{s:s}}", "s", "text", "i", 5, "b", 1, "f", 1.5,
			 "t", "2026-11-21T10:00:00.5Z", "bl", "aGVsbG8=", "e", "red", "l", 1, 2, "m", "k", "v", "nested",
			 "name", "n");
}

/* Validate via JSON packing and via the msgpack path the broker uses. */
static int check(const struct model *m, json_t *data, char *err, size_t n)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	int r1 = model_pack_json(m, data, NULL, err, n);
	/* schema-free packing, as an actor does it, then broker-side validation */
	json_pack_msgpack(&pk, data);
	msgpack_zone z;
	msgpack_zone_init(&z, 1024);
	msgpack_object o;
	size_t off = 0;
	assert_int_equal(msgpack_unpack(sb.data, sb.size, &off, &z, &o), MSGPACK_UNPACK_SUCCESS);
	char err2[512];
	int r2 = model_validate_msgpack(m, &o, NULL, err2, sizeof(err2));
	msgpack_zone_destroy(&z);
	msgpack_sbuffer_destroy(&sb);
	assert_int_equal(r1 < 0, r2 < 0);
	return r1;
}

static void test_every_type(void **state)
{
	char *err = NULL;
	struct model_registry *r = load(schema, &err);
	assert_non_null(r);
	const struct model *m = model_registry_find(r, "All");
	assert_non_null(m);
	char e[512];
	json_t *d = good();
	assert_int_equal(check(m, d, e, sizeof(e)), 0);
	struct {
		const char *field;
		json_t *bad;
		const char *expect;
	} cases[] = {
		{"s", json_integer(1), "field 's': expected string, got integer"},
		{"i", json_string("1"), "field 'i': expected integer, got string"},
		{"b", json_integer(1), "field 'b': expected boolean, got integer"},
		{"f", json_string("x"), "field 'f': expected float, got string"},
		{"t", json_string("yesterday"), "field 't': 'yesterday' is not an ISO 8601 date-time"},
		{"bl", json_string("not base64!"), "field 'bl'"},
		{"e", json_string("blue"), "field 'e': 'blue' is not one of the allowed values"},
		{"l", json_pack("[i,s]", 1, "x"), "field 'l[1]': expected integer, got string"},
		{"m", json_pack("{s:i}", "k", 3), "field 'm.k': expected string, got integer"},
		{"nested", json_pack("{s:i}", "name", 3), "field 'nested.name': expected string, got integer"},
		{"nested", json_pack("{s:s, s:s}", "name", "x", "extra", "y"), "field 'nested.extra': unknown field of Inner"},
		{"s", json_null(), "field 's': expected string, got null"},
	};
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		json_t *c = json_deep_copy(d);
		json_object_set_new(c, cases[i].field, cases[i].bad);
		memset(e, 0, sizeof(e));
		assert_int_equal(check(m, c, e, sizeof(e)), -EINVAL);
		if (!strstr(e, cases[i].expect))
			fail_msg("case %zu: '%s' does not contain '%s'", i, e, cases[i].expect);
		json_decref(c);
	}
	/* required field missing */
	json_t *c = json_deep_copy(d);
	json_object_del(c, "i");
	assert_int_equal(check(m, c, e, sizeof(e)), -EINVAL);
	assert_non_null(strstr(e, "field 'i': required field of All is missing"));
	json_decref(c);
	/* unknown top-level field */
	c = json_deep_copy(d);
	json_object_set_new(c, "zzz", json_true());
	assert_int_equal(check(m, c, e, sizeof(e)), -EINVAL);
	assert_non_null(strstr(e, "unknown field of All"));
	json_decref(c);
	/* nullable may be null; integers are fine for floats */
	c = json_deep_copy(d);
	json_object_set_new(c, "opt", json_null());
	json_object_set_new(c, "f", json_integer(2));
	assert_int_equal(check(m, c, e, sizeof(e)), 0);
	json_decref(c);
	json_decref(d);
	model_registry_free(r);
}

static void test_canonical(void **state)
{
	/* field order and defaults do not depend on how the producer wrote the message */
	char *err = NULL;
	struct model_registry *r = load(schema, &err);
	const struct model *m = model_registry_find(r, "All");
	json_t *a = good();
	json_t *b = json_object();
	const char *keys[] = {"nested", "m", "l", "e", "bl", "t", "f", "b", "i", "s"};
	for (size_t i = 0; i < ELEMENTSOF(keys); i++)
		json_object_set(b, keys[i], json_object_get(a, keys[i]));
	json_object_set_new(b, "def", json_integer(7)); /* explicit default */
	msgpack_sbuffer sa, sbb;
	msgpack_packer pa, pb;
	msgpack_sbuffer_init(&sa);
	msgpack_sbuffer_init(&sbb);
	msgpack_packer_init(&pa, &sa, msgpack_sbuffer_write);
	msgpack_packer_init(&pb, &sbb, msgpack_sbuffer_write);
	char e[256];
	assert_int_equal(model_pack_json(m, a, &pa, e, sizeof(e)), 0);
	assert_int_equal(model_pack_json(m, b, &pb, e, sizeof(e)), 0);
	assert_int_equal(sa.size, sbb.size);
	assert_memory_equal(sa.data, sbb.data, sa.size);
	/* and the broker's msgpack path gives the same bytes, blob as bin */
	msgpack_sbuffer raw, canon;
	msgpack_packer pr, pc;
	msgpack_sbuffer_init(&raw);
	msgpack_sbuffer_init(&canon);
	msgpack_packer_init(&pr, &raw, msgpack_sbuffer_write);
	msgpack_packer_init(&pc, &canon, msgpack_sbuffer_write);
	json_pack_msgpack(&pr, b);
	msgpack_zone z;
	msgpack_zone_init(&z, 1024);
	msgpack_object o;
	size_t off = 0;
	assert_int_equal(msgpack_unpack(raw.data, raw.size, &off, &z, &o), MSGPACK_UNPACK_SUCCESS);
	assert_int_equal(model_validate_msgpack(m, &o, &pc, e, sizeof(e)), 0);
	assert_int_equal(canon.size, sa.size);
	assert_memory_equal(canon.data, sa.data, sa.size);
	/* round trip back to JSON: blob is base64 again, the default is there */
	msgpack_zone_clear(&z);
	off = 0;
	assert_int_equal(msgpack_unpack(canon.data, canon.size, &off, &z, &o), MSGPACK_UNPACK_SUCCESS);
	json_t *back = msgpack_to_json(&o);
	assert_string_equal(json_string_value(json_object_get(back, "bl")), "aGVsbG8=");
	assert_int_equal(json_integer_value(json_object_get(back, "def")), 7);
	assert_true(json_is_null(json_object_get(back, "opt")));
	json_decref(back);
	msgpack_zone_destroy(&z);
	msgpack_sbuffer_destroy(&sa);
	msgpack_sbuffer_destroy(&sbb);
	msgpack_sbuffer_destroy(&raw);
	msgpack_sbuffer_destroy(&canon);
	json_decref(a);
	json_decref(b);
	model_registry_free(r);
}

static void expect_schema_error(const char *content, const char *needle)
{
	char *err = NULL;
	struct model_registry *r = load(content, &err);
	assert_null(r);
	assert_non_null(err);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not contain '%s'", err, needle);
	free(err);
}

static void test_schema_errors(void **state)
{
	expect_schema_error("- model: A\n  fields:\n    x: strng\n", ":3: unknown type 'strng'");
	expect_schema_error("- model: A\n  fields:\n    x: Missing\n", "unknown model 'Missing'");
	expect_schema_error("- model: A\n  fields:\n    x: {type: list}\n", ":3: a list needs 'of'");
	expect_schema_error("- model: A\n  fields:\n    x: string\n  bogus: 1\n", ":4: unknown key 'bogus' in a model");
	expect_schema_error("- model: A\n  fields: [x\n", ":3:");
	expect_schema_error("- model: A\n- model: A\n", "model 'A' is already declared at");
	expect_schema_error("- model: A\n  fields:\n    x: {type: enum, values: []}\n", "non-empty 'values'");
	expect_schema_error("- model: A\n  fields:\n    x: {type: integer, default: abc}\n", "expected integer");
	expect_schema_error("- model: A\n  fields:\n    x: int\n    x: int\n", "duplicate key 'x'");
}

static void expect_manifest_error(const char *content, const char *needle)
{
	char *p = write_tmp(content);
	struct manifest *m = NULL;
	char *err = NULL;
	assert_true(manifest_load(p, &m, &err) < 0);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not contain '%s'", err, needle);
	unlink(p);
	free(p);
	free(err);
}

static void test_manifest(void **state)
{
	char *p = write_tmp("name: a\nphase: Checks\nexec: a\nconsumes: [X]\nproduces: [Y]\nstage: after\ntimeout: 5\n"
			    "sandbox: {network: true, writes: [/var/tmp/x]}\nlimits: {pids: 10}\n"
			    "config: {section: s, fields: {k: {type: integer, default: 3}}}\n");
	struct manifest *m = NULL;
	char *err = NULL;
	assert_int_equal(manifest_load(p, &m, &err), 0);
	assert_string_equal(m->name, "a");
	assert_int_equal(m->stage, STAGE_AFTER);
	assert_true(m->sandbox.network);
	assert_int_equal(m->limits.pids, 10);
	assert_true(manifest_consumes(m, "X"));
	assert_true(manifest_produces(m, "Y"));
	assert_string_equal(m->config_section, "s");
	assert_true(str_endswith(m->exec, "/a"));
	manifest_free(m);
	unlink(p);
	free(p);
	expect_manifest_error("name: a\nphase: Checks\n", "key 'exec' is required");
	expect_manifest_error("name: a\nphase: Checks\nexec: a\nfoo: 1\n", ":4: unknown key 'foo' in the manifest");
	expect_manifest_error("name: a\nphase: Checks\nexec: a\nstage: middle\n", ":4: key 'stage' must be before");
	expect_manifest_error("name: A B\nphase: Checks\nexec: a\n", "may only hold");
	expect_manifest_error("name: a\nphase: Checks\nexec: ../x\n", "must name a file in the actor's folder");
	expect_manifest_error("name: a\nphase: [Checks\n", "started at line 2");
}

static void test_datetime_and_base64(void **state)
{
	assert_true(datetime_valid("2021-01-13T13:04:06.895402Z", 27));
	assert_true(datetime_valid("2021-01-13T13:04:06+02:00", 25));
	assert_false(datetime_valid("2021-13-13T13:04:06Z", 20));
	assert_false(datetime_valid("2021-01-13", 10));
	unsigned char *out;
	size_t n;
	assert_int_equal(base64_decode("aGk=", 4, &out, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(out, "hi", 2);
	free(out);
	char *enc = base64_encode("hello!", 6);
	assert_string_equal(enc, "aGVsbG8h");
	free(enc);
	assert_true(base64_decode("a===", 4, &out, &n) < 0);
	assert_true(utf8_valid("h\xc3\xa9", 3));
	assert_false(utf8_valid("\xc3", 1));
	assert_false(utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_type),  cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_schema_errors), cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_datetime_and_base64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
