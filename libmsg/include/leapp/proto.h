/* The broker <-> actor protocol: frame codec and every frame type with its direction. */
#ifndef LEAPP_PROTO_H
#define LEAPP_PROTO_H

#include <msgpack.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A frame is a 4-byte big-endian length followed by one msgpack map with a "type" key.
 * The actor's end of the socketpair is fd 3.
 *
 * broker -> actor
 *   hello         {type, actor, phase, execution, root, config, answers, workflow, env, host}
 *                 config: the actor's configuration (map, may be empty); answers: map scope ->
 *                 map key -> value (the answerfile); workflow: the workflow configuration
 *                 (e.g. source/target versions) once known; host: {mountinfo} when captured
 *   message       {type, model, topic, producer, data}   (data: the stored msgpack map)
 *   end-of-input  {type}
 *
 * actor -> broker
 *   produce       {type, model, data}
 *   report        {type, entry}      entry: title, summary, severity, groups, key?,
 *                                    remediations?, external?, related_resources?, audience?
 *   log           {type, level, message}          level: debug|info|warning|error
 *   error         {type, severity, message, details}   stops the actor
 *   dialog        {type, dialog}     dialog: scope, reason, title, components[]
 *   command       {type, command, args?}   command: "stop-after-phase"
 *   progress      {type, what, done, total}   e.g. bytes downloaded; shown, not stored
 *   done          {type}             the actor finished; it then exits 0
 *
 * Any other type, a frame over the size limit, or bytes that are not msgpack is a protocol
 * violation: the broker kills the actor and records why.
 */

#define LEAPP_ACTOR_FD 3
#define FRAME_HEADER_SIZE 4
#define FRAME_DEFAULT_MAX (16u * 1024u * 1024u)

enum frame_type {
	FRAME_UNKNOWN = 0,
	/* broker -> actor */
	FRAME_HELLO,
	FRAME_MESSAGE,
	FRAME_END_OF_INPUT,
	/* actor -> broker */
	FRAME_PRODUCE,
	FRAME_REPORT,
	FRAME_LOG,
	FRAME_ERROR,
	FRAME_DIALOG,
	FRAME_COMMAND,
	FRAME_DONE,
	FRAME_PROGRESS,
};

const char *frame_type_name(enum frame_type t);
enum frame_type frame_type_from_name(const char *s, size_t len);
/* True when a frame of this type may travel from the actor to the broker. */
int frame_type_from_actor(enum frame_type t);

/*
 * Incremental frame decoder: feed bytes as they arrive, take complete frames out.
 * Frames are returned as an unpacked msgpack map that lives until the next call.
 */
struct frame_reader {
	uint32_t max;         /* size limit of one frame body */
	char *buf;
	size_t len, cap, off; /* bytes buffered, capacity, consumed */
	msgpack_zone *zone;
};

void frame_reader_init(struct frame_reader *r, uint32_t max);
void frame_reader_clear(struct frame_reader *r);
/* Append received bytes: 0, or -ENOMEM (nothing appended) when the buffer cannot grow. */
int frame_reader_feed(struct frame_reader *r, const void *data, size_t len);
/* Take the next complete frame. Returns 1 and sets *ret_obj (a map) and *ret_type, 0 when
 * more bytes are needed, -EMSGSIZE for a frame over the limit, -EBADMSG for a frame that is
 * not one msgpack map with a string "type". ret_body/ret_len give the raw body. */
int frame_reader_next(struct frame_reader *r, msgpack_object *ret_obj, enum frame_type *ret_type,
		      const char **ret_body, size_t *ret_len);

/* At most this many msgpack objects in one frame: each costs ~24 bytes once unpacked. */
#define MP_MAX_OBJECTS (4u * 1024u * 1024u)
/* Check that data is exactly one well-formed msgpack object whose containers do not declare
 * more elements than the bytes could hold, without allocating. 0, -EBADMSG or -E2BIG. */
int mp_prescan(const void *data, size_t len);

/* Helpers to read fields of a frame map. NULL / -ENOENT when absent or of another type. */
const msgpack_object *mp_map_get(const msgpack_object *map, const char *key);
int mp_map_get_str(const msgpack_object *map, const char *key, const char **ret, size_t *ret_len);
char *mp_map_dup_str(const msgpack_object *map, const char *key); /* malloc'd or NULL */
int mp_map_get_int(const msgpack_object *map, const char *key, int64_t *ret);
int mp_str_eq(const msgpack_object *o, const char *s);

/*
 * Frame writer: pack a map into an sbuffer with room reserved for the length prefix, then
 * finish it. Usage:
 *   frame_begin(&sb, &pk, n_keys, "produce"); ...pack n_keys-1 more pairs...; frame_end(&sb);
 */
void frame_begin(msgpack_sbuffer *sb, msgpack_packer *pk, uint32_t n_keys, const char *type);
void frame_end(msgpack_sbuffer *sb);
void mp_pack_str(msgpack_packer *pk, const char *s);
void mp_pack_kv_str(msgpack_packer *pk, const char *k, const char *v); /* v NULL packs nil */

/* Blocking write of a whole buffer, retrying on EINTR and short writes. */
int write_all(int fd, const void *data, size_t len);

#endif
