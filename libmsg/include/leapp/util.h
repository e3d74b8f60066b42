/* Small shared helpers: cleanup attributes, fd and string utilities used by every part. */
#ifndef LEAPP_UTIL_H
#define LEAPP_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _noreturn_ __attribute__((noreturn))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd) {
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
#define _cleanup_close_ _cleanup_(closep)

static inline void fclosep(FILE **f) { if (*f) fclose(*f); }
#define _cleanup_fclose_ _cleanup_(fclosep)

/* Take ownership out of a cleanup variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define TAKE_FD(fd) ({ int _t = (fd); (fd) = -1; _t; })

/* Allocation that never returns NULL: on OOM the handler set with util_oom_handler_set() runs
 * (the broker's stops the run cleanly and exits 1), else it aborts. An actor keeps the abort:
 * there is no meaningful recovery from OOM in it, a half-built structure is worse than a
 * clean crash, and the broker records the crash. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) _printf_(1, 2);
char *xvasprintf(const char *fmt, va_list ap) _printf_(1, 0);
/* Like realloc(), counted by the fault hook below: for buffers input grows, where running out
 * of memory is an error for the caller, never an abort. */
void *util_realloc_try(void *p, size_t n);

/* The allocation hook (STYLE.md: one hook, so tests can fail allocation N for every N).
 * util_oom_handler_set: fn(bytes) runs once when an x*() allocation fails, instead of an
 * abort; it does not return (it exits). util_alloc_fault_set(nth): the nth x*() or
 * util_realloc_try() allocation from now on fails as if memory ran out (0: none); only the
 * broker's test hook (LEAPP_FAULT_ALLOC) calls it. util_alloc_count: allocations so far. */
void util_oom_handler_set(void (*fn)(size_t n));
/* What x*() do when an allocation fails (bytes: what was asked, 0 when unknown): the handler,
 * else a message and abort(). For a library's allocation that failed (e.g. msgpack's). */
_noreturn_ void util_oom(size_t bytes);
void util_alloc_fault_set(unsigned long nth);
unsigned long util_alloc_count(void);

/* A growable byte buffer. */
struct buf {
	char *data;
	size_t len, cap;
};
void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...) _printf_(2, 3);
void buf_free(struct buf *b);
/* Returns the NUL-terminated contents and resets b. */
char *buf_steal(struct buf *b);

/* Read what is left of fd (limit bytes at most; returns -EFBIG beyond). */
int read_fd(int fd, size_t limit, char **ret_data, size_t *ret_len);
/* Read a whole file (limit bytes at most; returns -EFBIG beyond). */
int read_file(const char *path, size_t limit, char **ret_data, size_t *ret_len);
/* Write a file atomically: a temporary file with an unguessable name, created with O_EXCL and
 * O_NOFOLLOW in the same directory, fsync, rename over name (which replaces a symlink there
 * rather than following it), fsync the directory. */
int write_file_atomic(const char *path, const void *data, size_t len, mode_t mode);
int write_file_atomic_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode);
/* Read name in dirfd without following a symlink; -EMLINK when it is not a regular file (a
 * symlink, a FIFO, a device, a directory). */
int read_file_at(int dirfd, const char *name, size_t limit, char **ret_data, size_t *ret_len);
/* mkdir -p with the given mode for created components. */
int mkdir_p(const char *path, mode_t mode);
/* rm -rf that stays on one filesystem and never follows symlinks. */
int rm_rf(const char *path);

/* Join root and an absolute path: root_path("/x", "/etc/os-release") = "/x/etc/os-release". */
char *path_join(const char *a, const char *b);
/* Is path a directory (symlinks followed)? False when it cannot be stat'ed. */
bool path_is_dir(const char *path);

/* memcmp()==0 that is defined for n == 0 with NULL pointers (empty msgpack strings). */
static inline bool mem_eq(const void *a, const void *b, size_t n) { return n == 0 || memcmp(a, b, n) == 0; }

bool str_startswith(const char *s, const char *prefix);
bool str_endswith(const char *s, const char *suffix);
char *str_strip(char *s);

/* qsort/bsearch comparator over an array of char * (strcmp order). */
int str_cmp_qsort(const void *a, const void *b);

/* Lists of strings: strv_free frees a NULL-terminated list and its strings (NULL is fine);
 * strv_free_n frees a counted one; strv_contains: is s one of v[0..n)? */
void strv_free(char **v);
void strv_free_n(char **v, size_t n);
bool strv_contains(char *const *v, size_t n, const char *s);

/* Monotonic and wall clocks in seconds. */
double now_monotonic(void);
double now_realtime(void);
/* ISO 8601 UTC with microseconds: 2021-01-13T13:04:06.895402Z */
void format_timestamp(double t, char out[32]);

/* SHA-1 of data as 40 lowercase hex chars + NUL (leapp's report keys are SHA-1). */
void sha1_hex(const void *data, size_t len, char out[41]);
/*
 * The key leapp's reporting library gives an entry that sets none:
 * sha1("<severity>:<audience>:<title>"), severity defaulting to info, audience to sysadmin.
 */
void report_key_default(const char *severity, const char *audience, const char *title, char out[41]);

/* SHA-256 of data as 64 lowercase hex chars + NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);
struct sha256_ctx {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t fill;
};
void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[32]);

/* Parse a non-negative decimal integer; -EINVAL on junk, -ERANGE on overflow. */
int parse_uint64(const char *s, uint64_t *ret);

/* Random UUID v4 string (37 bytes incl. NUL). */
void uuid_generate_str(char out[37]);

#endif
