/* Frame codec: 4-byte big-endian length + one msgpack map with a "type" key. */
#include "leapp/proto.h"

#include "leapp/util.h"

static const char *const frame_names[] = {
	[FRAME_UNKNOWN] = "unknown",
	[FRAME_HELLO] = "hello",
	[FRAME_MESSAGE] = "message",
	[FRAME_END_OF_INPUT] = "end-of-input",
	[FRAME_PRODUCE] = "produce",
	[FRAME_REPORT] = "report",
	[FRAME_LOG] = "log",
	[FRAME_ERROR] = "error",
	[FRAME_DIALOG] = "dialog",
	[FRAME_COMMAND] = "command",
	[FRAME_DONE] = "done",
	[FRAME_PROGRESS] = "progress",
};

const char *frame_type_name(enum frame_type t)
{
	return (size_t)t < ELEMENTSOF(frame_names) ? frame_names[t] : "unknown";
}

enum frame_type frame_type_from_name(const char *s, size_t len)
{
	for (size_t i = 1; i < ELEMENTSOF(frame_names); i++)
		if (strlen(frame_names[i]) == len && mem_eq(frame_names[i], s, len))
			return (enum frame_type)i;
	return FRAME_UNKNOWN;
}

int frame_type_from_actor(enum frame_type t)
{
	return (t >= FRAME_PRODUCE && t <= FRAME_DONE) || t == FRAME_PROGRESS;
}

void frame_reader_init(struct frame_reader *r, uint32_t max)
{
	memset(r, 0, sizeof(*r));
	r->max = max ? max : FRAME_DEFAULT_MAX;
	r->zone = msgpack_zone_new(8192);
	if (!r->zone)
		util_oom(8192);
}

void frame_reader_clear(struct frame_reader *r)
{
	free(r->buf);
	if (r->zone)
		msgpack_zone_free(r->zone);
	memset(r, 0, sizeof(*r));
}

int frame_reader_feed(struct frame_reader *r, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	/* compact once the consumed prefix dominates, so the buffer does not creep */
	if (r->buf && r->off > 0 && (r->off == r->len || r->off > r->cap / 2)) {
		memmove(r->buf, r->buf + r->off, r->len - r->off);
		r->len -= r->off;
		r->off = 0;
	}
	if (r->len + len > r->cap) {
		size_t cap = r->cap ? r->cap : 65536;
		while (cap < r->len + len)
			cap *= 2;
		/* the peer decides how much is buffered (up to the frame limit): running out of
		 * memory here is its doing, and an error for the caller, never an abort */
		char *b = util_realloc_try(r->buf, cap);
		if (!b)
			return -ENOMEM;
		r->buf = b;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, len);
	r->len += len;
	return 0;
}

static uint32_t be16(const unsigned char *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

int mp_prescan(const void *data, size_t len)
{
	/* Walk the msgpack structure without allocating. Every element takes at least one
	 * byte, so the elements still owed can never exceed the bytes left: a container that
	 * declares more is a lie that would make msgpack-c allocate for it up front. */
	const unsigned char *p = data, *end = p + len;
	uint64_t owed = 1, objects = 0;
	while (owed > 0) {
		if (p >= end)
			return -EBADMSG;
		owed--;
		if (++objects > MP_MAX_OBJECTS)
			return -E2BIG;
		unsigned char c = *p++;
		uint64_t skip = 0, items = 0;
		if (c <= 0x7f || c >= 0xe0 || (c >= 0xc0 && c <= 0xc3))
			; /* fixint, nil, bool */
		else if (c >= 0x80 && c <= 0x8f)
			items = 2u * (c & 0x0f);
		else if (c >= 0x90 && c <= 0x9f)
			items = c & 0x0f;
		else if (c >= 0xa0 && c <= 0xbf)
			skip = c & 0x1f;
		else {
			size_t need;
			switch (c) {
			case 0xc4: case 0xd9: need = 1; break;
			case 0xc5: case 0xda: need = 2; break;
			case 0xc6: case 0xdb: need = 4; break;
			case 0xcc: case 0xd0: skip = 1; need = 0; break;
			case 0xcd: case 0xd1: skip = 2; need = 0; break;
			case 0xce: case 0xd2: case 0xca: skip = 4; need = 0; break;
			case 0xcf: case 0xd3: case 0xcb: skip = 8; need = 0; break;
			case 0xd4: skip = 2; need = 0; break;
			case 0xd5: skip = 3; need = 0; break;
			case 0xd6: skip = 5; need = 0; break;
			case 0xd7: skip = 9; need = 0; break;
			case 0xd8: skip = 17; need = 0; break;
			case 0xc7: need = 1; break;
			case 0xc8: need = 2; break;
			case 0xc9: need = 4; break;
			case 0xdc: case 0xde: need = 2; break;
			case 0xdd: case 0xdf: need = 4; break;
			default: return -EBADMSG; /* 0xc1: never used */
			}
			if (need) {
				if ((size_t)(end - p) < need)
					return -EBADMSG;
				uint64_t v = need == 1 ? p[0] : need == 2 ? be16(p) : be32(p);
				p += need;
				if (c == 0xdc || c == 0xdd)
					items = v;
				else if (c == 0xde || c == 0xdf)
					items = 2 * v;
				else if (c >= 0xc7 && c <= 0xc9)
					skip = v + 1; /* ext: type byte + data */
				else
					skip = v;
			}
		}
		if (skip > (uint64_t)(end - p))
			return -EBADMSG;
		p += skip;
		owed += items;
		if (owed > (uint64_t)(end - p))
			return -EBADMSG;
	}
	return p == end ? 0 : -EBADMSG;
}

int frame_reader_next(struct frame_reader *r, msgpack_object *ret_obj, enum frame_type *ret_type, const char **ret_body,
		      size_t *ret_len)
{
	size_t avail = r->len - r->off;
	if (avail < FRAME_HEADER_SIZE)
		return 0;
	const unsigned char *h = (const unsigned char *)r->buf + r->off;
	uint32_t n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
	if (n > r->max)
		return -EMSGSIZE;
	if (n == 0)
		return -EBADMSG;
	if (avail < FRAME_HEADER_SIZE + (size_t)n)
		return 0;
	const char *body = r->buf + r->off + FRAME_HEADER_SIZE;
	if (mp_prescan(body, n) < 0)
		return -EBADMSG;
	msgpack_zone_clear(r->zone);
	size_t used = 0;
	msgpack_object obj;
	msgpack_unpack_return ur = msgpack_unpack(body, n, &used, r->zone, &obj);
	if (ur != MSGPACK_UNPACK_SUCCESS || used != n || obj.type != MSGPACK_OBJECT_MAP)
		return -EBADMSG;
	const msgpack_object *t = mp_map_get(&obj, "type");
	if (!t || t->type != MSGPACK_OBJECT_STR)
		return -EBADMSG;
	r->off += FRAME_HEADER_SIZE + (size_t)n;
	*ret_obj = obj;
	*ret_type = frame_type_from_name(t->via.str.ptr, t->via.str.size);
	if (ret_body)
		*ret_body = body;
	if (ret_len)
		*ret_len = n;
	return 1;
}

const msgpack_object *mp_map_get(const msgpack_object *map, const char *key)
{
	if (!map || map->type != MSGPACK_OBJECT_MAP)
		return NULL;
	size_t kl = strlen(key);
	for (uint32_t i = 0; i < map->via.map.size; i++) {
		const msgpack_object *k = &map->via.map.ptr[i].key;
		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == kl && mem_eq(k->via.str.ptr, key, kl))
			return &map->via.map.ptr[i].val;
	}
	return NULL;
}

int mp_map_get_str(const msgpack_object *map, const char *key, const char **ret, size_t *ret_len)
{
	const msgpack_object *v = mp_map_get(map, key);
	if (!v || v->type != MSGPACK_OBJECT_STR)
		return -ENOENT;
	*ret = v->via.str.ptr;
	*ret_len = v->via.str.size;
	return 0;
}

char *mp_map_dup_str(const msgpack_object *map, const char *key)
{
	const char *s;
	size_t n;
	if (mp_map_get_str(map, key, &s, &n) < 0)
		return NULL;
	if (memchr(s, 0, n))
		return NULL;
	return xstrndup(s, n);
}

int mp_map_get_int(const msgpack_object *map, const char *key, int64_t *ret)
{
	const msgpack_object *v = mp_map_get(map, key);
	if (!v)
		return -ENOENT;
	if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 <= INT64_MAX)
		*ret = (int64_t)v->via.u64;
	else if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		*ret = v->via.i64;
	else
		return -EINVAL;
	return 0;
}

int mp_str_eq(const msgpack_object *o, const char *s)
{
	return o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(s) && mem_eq(o->via.str.ptr, s, o->via.str.size);
}

void mp_pack_str(msgpack_packer *pk, const char *s)
{
	msgpack_pack_str_with_body(pk, s, strlen(s));
}

void mp_pack_kv_str(msgpack_packer *pk, const char *k, const char *v)
{
	mp_pack_str(pk, k);
	if (v)
		mp_pack_str(pk, v);
	else
		msgpack_pack_nil(pk);
}

void frame_begin(msgpack_sbuffer *sb, msgpack_packer *pk, uint32_t n_keys, const char *type)
{
	static const char zero[FRAME_HEADER_SIZE];
	msgpack_sbuffer_write(sb, zero, FRAME_HEADER_SIZE);
	msgpack_packer_init(pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(pk, n_keys);
	mp_pack_kv_str(pk, "type", type);
}

void frame_end(msgpack_sbuffer *sb)
{
	/* the frame is the tail of sb starting where frame_begin wrote its header; callers use
	 * a fresh or cleared sbuffer per frame, so the header is at offset 0 */
	uint32_t n = (uint32_t)(sb->size - FRAME_HEADER_SIZE);
	unsigned char *h = (unsigned char *)sb->data;
	h[0] = (unsigned char)(n >> 24);
	h[1] = (unsigned char)(n >> 16);
	h[2] = (unsigned char)(n >> 8);
	h[3] = (unsigned char)n;
}

int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
