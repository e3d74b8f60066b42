/* Unit tests of the frame codec: whole, split, truncated, oversized and wrong-typed frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "leapp/proto.h"
#include "leapp/util.h"

static void build(msgpack_sbuffer *sb, const char *type, int extra)
{
	msgpack_packer pk;
	msgpack_sbuffer_init(sb);
	frame_begin(sb, &pk, extra ? 2 : 1, type);
	if (extra) {
		mp_pack_str(&pk, "n");
		msgpack_pack_int(&pk, extra);
	}
	frame_end(sb);
}

static void test_roundtrip(void **state)
{
	msgpack_sbuffer sb;
	build(&sb, "produce", 42);
	struct frame_reader r;
	frame_reader_init(&r, 0);
	frame_reader_feed(&r, sb.data, sb.size);
	msgpack_object o;
	enum frame_type t;
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), 1);
	assert_int_equal(t, FRAME_PRODUCE);
	int64_t n;
	assert_int_equal(mp_map_get_int(&o, "n", &n), 0);
	assert_int_equal(n, 42);
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), 0);
	frame_reader_clear(&r);
	msgpack_sbuffer_destroy(&sb);
}

static void test_byte_by_byte(void **state)
{
	/* three frames fed one byte at a time come out whole and in order */
	msgpack_sbuffer a, b, c;
	build(&a, "log", 1);
	build(&b, "report", 2);
	build(&c, "done", 0);
	struct buf all = {0};
	buf_append(&all, a.data, a.size);
	buf_append(&all, b.data, b.size);
	buf_append(&all, c.data, c.size);
	struct frame_reader r;
	frame_reader_init(&r, 0);
	enum frame_type seen[3];
	int k = 0;
	for (size_t i = 0; i < all.len; i++) {
		frame_reader_feed(&r, all.data + i, 1);
		msgpack_object o;
		enum frame_type t;
		int x;
		while ((x = frame_reader_next(&r, &o, &t, NULL, NULL)) == 1)
			seen[k++] = t;
		assert_true(x == 0);
	}
	assert_int_equal(k, 3);
	assert_int_equal(seen[0], FRAME_LOG);
	assert_int_equal(seen[1], FRAME_REPORT);
	assert_int_equal(seen[2], FRAME_DONE);
	frame_reader_clear(&r);
	buf_free(&all);
	msgpack_sbuffer_destroy(&a);
	msgpack_sbuffer_destroy(&b);
	msgpack_sbuffer_destroy(&c);
}

static void test_truncated(void **state)
{
	msgpack_sbuffer sb;
	build(&sb, "produce", 7);
	struct frame_reader r;
	frame_reader_init(&r, 0);
	/* every strict prefix needs more bytes, never yields a frame or an error */
	for (size_t cut = 0; cut < sb.size; cut++) {
		frame_reader_clear(&r);
		frame_reader_init(&r, 0);
		frame_reader_feed(&r, sb.data, cut);
		msgpack_object o;
		enum frame_type t;
		assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), 0);
	}
	frame_reader_clear(&r);
	msgpack_sbuffer_destroy(&sb);
}

static void test_truncated_body(void **state)
{
	/* a header that promises more than the body holds, then a complete body of garbage */
	unsigned char f[] = {0, 0, 0, 3, 0x81, 0xa4, 't'};
	struct frame_reader r;
	frame_reader_init(&r, 0);
	frame_reader_feed(&r, f, sizeof(f));
	msgpack_object o;
	enum frame_type t;
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EBADMSG);
	frame_reader_clear(&r);
}

static void test_oversized(void **state)
{
	struct frame_reader r;
	frame_reader_init(&r, 1024);
	unsigned char h[4] = {0, 0, 4, 1}; /* 1025 bytes */
	frame_reader_feed(&r, h, 4);
	msgpack_object o;
	enum frame_type t;
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EMSGSIZE);
	frame_reader_clear(&r);
	/* default limit: 16 MiB */
	frame_reader_init(&r, 0);
	unsigned char big[4] = {0x01, 0x00, 0x00, 0x01};
	frame_reader_feed(&r, big, 4);
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EMSGSIZE);
	frame_reader_clear(&r);
}

static void feed_body(struct frame_reader *r, const void *body, size_t n)
{
	unsigned char h[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16), (unsigned char)(n >> 8), (unsigned char)n};
	frame_reader_feed(r, h, 4);
	frame_reader_feed(r, body, n);
}

static void test_wrong_types(void **state)
{
	msgpack_object o;
	enum frame_type t;
	struct frame_reader r;
	/* an array instead of a map */
	frame_reader_init(&r, 0);
	unsigned char arr[] = {0x91, 0x01};
	feed_body(&r, arr, sizeof(arr));
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EBADMSG);
	frame_reader_clear(&r);
	/* a map without "type" */
	frame_reader_init(&r, 0);
	unsigned char notype[] = {0x81, 0xa1, 'x', 0x01};
	feed_body(&r, notype, sizeof(notype));
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EBADMSG);
	frame_reader_clear(&r);
	/* "type" that is an integer */
	frame_reader_init(&r, 0);
	unsigned char inttype[] = {0x81, 0xa4, 't', 'y', 'p', 'e', 0x05};
	feed_body(&r, inttype, sizeof(inttype));
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EBADMSG);
	frame_reader_clear(&r);
	/* two objects in one frame */
	frame_reader_init(&r, 0);
	unsigned char two[] = {0x81, 0xa4, 't', 'y', 'p', 'e', 0xa4, 'd', 'o', 'n', 'e', 0x01};
	feed_body(&r, two, sizeof(two));
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EBADMSG);
	frame_reader_clear(&r);
	/* an unknown type name decodes, as FRAME_UNKNOWN: the broker decides it is a violation */
	frame_reader_init(&r, 0);
	unsigned char unk[] = {0x81, 0xa4, 't', 'y', 'p', 'e', 0xa3, 'z', 'z', 'z'};
	feed_body(&r, unk, sizeof(unk));
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), 1);
	assert_int_equal(t, FRAME_UNKNOWN);
	frame_reader_clear(&r);
	/* zero length */
	frame_reader_init(&r, 0);
	unsigned char z[4] = {0};
	frame_reader_feed(&r, z, 4);
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EBADMSG);
	frame_reader_clear(&r);
	/* not msgpack at all */
	frame_reader_init(&r, 0);
	unsigned char junk[] = {0xc1, 0xc1, 0xc1};
	feed_body(&r, junk, sizeof(junk));
	assert_int_equal(frame_reader_next(&r, &o, &t, NULL, NULL), -EBADMSG);
	frame_reader_clear(&r);
}

static void test_directions(void **state)
{
	assert_true(frame_type_from_actor(FRAME_PRODUCE));
	assert_true(frame_type_from_actor(FRAME_DONE));
	assert_false(frame_type_from_actor(FRAME_HELLO));
	assert_false(frame_type_from_actor(FRAME_MESSAGE));
	assert_false(frame_type_from_actor(FRAME_UNKNOWN));
	assert_int_equal(frame_type_from_name("end-of-input", 12), FRAME_END_OF_INPUT);
	assert_string_equal(frame_type_name(FRAME_DIALOG), "dialog");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),     cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_truncated),     cmocka_unit_test(test_truncated_body),
		cmocka_unit_test(test_oversized),     cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_directions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
