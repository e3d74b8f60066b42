/* The package cache's fetcher: libcurl multi for http(s), local copies for file://, checksums
 * with librpm's digests, resume, retries with backoff, clean failure (see download.h). */
#include "fetch.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <curl/curl.h>
#include <rpm/rpmcrypto.h>
#include <rpm/rpmpgp.h>

#include "leapp/util.h"

/* ---- checksums ---- */

int dl_hash_algo(const char *t)
{
	static const struct {
		const char *name;
		int algo;
	} map[] = {
		{"sha256", PGPHASHALGO_SHA256}, {"sha512", PGPHASHALGO_SHA512}, {"sha384", PGPHASHALGO_SHA384},
		{"sha224", PGPHASHALGO_SHA224}, {"sha1", PGPHASHALGO_SHA1},	{"sha", PGPHASHALGO_SHA1},
		{"md5", PGPHASHALGO_MD5},
	};
	for (size_t i = 0; t && i < ELEMENTSOF(map); i++)
		if (!strcasecmp(t, map[i].name))
			return map[i].algo;
	return -EINVAL;
}

static char *digest_hex(DIGEST_CTX ctx)
{
	char *hex = NULL;
	rpmDigestFinal(ctx, (void **)&hex, NULL, 1);
	return hex ? hex : xstrdup("");
}

/* Hash fd's first `len` bytes (all of it when len is UINT64_MAX) into ctx. */
static int hash_fd(int fd, DIGEST_CTX ctx, uint64_t len)
{
	static char buf[1 << 20];
	uint64_t off = 0;
	while (off < len) {
		size_t want = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);
		ssize_t n = pread(fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		rpmDigestUpdate(ctx, buf, (size_t)n);
		off += (uint64_t)n;
	}
	return len == UINT64_MAX || off == len ? 0 : -EIO;
}

int dl_file_digest(const char *path, int algo, char **ret_hex)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	DIGEST_CTX ctx = rpmDigestInit(algo, RPMDIGEST_NONE);
	if (!ctx)
		return -EINVAL;
	int r = hash_fd(fd, ctx, UINT64_MAX);
	char *hex = digest_hex(ctx);
	if (r < 0) {
		free(hex);
		return r;
	}
	*ret_hex = hex;
	return 0;
}

/* ---- URLs ---- */

char *dl_expand_vars(const char *url, const char *basearch, const char *releasever)
{
	struct buf b = {0};
	for (const char *p = url; *p;) {
		const char *v = NULL;
		size_t skip = 0;
		if (!strncmp(p, "$basearch", 9) || !strncmp(p, "${basearch}", 11)) {
			v = basearch;
			skip = p[1] == '{' ? 11 : 9;
		} else if (!strncmp(p, "$arch", 5) || !strncmp(p, "${arch}", 7)) {
			v = basearch;
			skip = p[1] == '{' ? 7 : 5;
		} else if (!strncmp(p, "$releasever", 11) || !strncmp(p, "${releasever}", 13)) {
			v = releasever;
			skip = p[1] == '{' ? 13 : 11;
		}
		if (skip && v) {
			buf_printf(&b, "%s", v);
			p += skip;
		} else
			buf_append(&b, p++, 1);
	}
	buf_append(&b, "", 1);
	return buf_steal(&b);
}

static bool is_file_url(const char *u)
{
	return str_startswith(u, "file:") || u[0] == '/';
}

static const char *file_url_path(const char *u)
{
	if (str_startswith(u, "file://"))
		return u + 7;
	if (str_startswith(u, "file:"))
		return u + 5;
	return u;
}

static char *url_join(const char *base, const char *loc)
{
	size_t l = strlen(base);
	while (l && base[l - 1] == '/')
		l--;
	return xasprintf("%.*s/%s", (int)l, base, loc);
}

/* A location must stay below the repository (and below the cache directory). */
static bool location_ok(const char *loc)
{
	if (!loc || !*loc || loc[0] == '/' || strstr(loc, "://"))
		return false;
	for (const char *p = loc; *p;) {
		size_t n = strcspn(p, "/");
		if ((n == 2 && !strncmp(p, "..", 2)) || (n == 1 && *p == '.') || n == 0)
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

int dl_parse_mirrorlist(const char *text, char ***ret_urls, size_t *ret_n)
{
	if (strstr(text, "<metalink"))
		return -EPROTONOSUPPORT;
	char **v = NULL;
	size_t n = 0;
	_cleanup_free_ char *copy = xstrdup(text);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		str_strip(line);
		if (!*line || *line == '#')
			continue;
		if (!strstr(line, "://") && line[0] != '/')
			continue;
		v = xrealloc(v, (n + 2) * sizeof(char *));
		v[n++] = xstrdup(line);
		v[n] = NULL;
	}
	*ret_urls = v;
	*ret_n = n;
	return 0;
}

/* ---- the transfer engine ---- */

enum xstate { X_QUEUED, X_ACTIVE, X_DONE, X_FAILED };

struct xfer {
	struct dl_item *item;
	const struct dl_repo *repo;
	enum xstate state;
	size_t url_idx;
	int attempt;            /* failures on the current URL */
	double next_at;         /* not before (monotonic seconds) */
	bool restarted;         /* a resumed transfer that failed its checksum was fetched whole again */
	char *part;             /* <final>.part */
	char *url;
	int fd;
	int algo;
	DIGEST_CTX ctx;
	uint64_t off;           /* bytes in the .part */
	uint64_t start_off;     /* where this transfer resumed */
	int werr;               /* errno of a failed write */
	bool overflow;          /* more bytes than the metadata says */
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	struct buf errors;      /* per URL: what went wrong */
};

struct dl {
	const struct dl_opts *o;
	CURLM *multi;
	struct xfer *x;
	size_t n;
	size_t active;
	uint64_t done, total;
	double last_progress;
	struct dl_stats stats;
	int fatal;              /* -ENOSPC, or the first item failure */
	char *fatal_msg;
};

/* base * 2^n without libm */
static double doubled(double base, int n)
{
	while (n-- > 0)
		base *= 2;
	return base;
}

static void dlog(struct dl *d, const char *fmt, ...) _printf_(2, 3);
static void dlog(struct dl *d, const char *fmt, ...)
{
	if (!d->o->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	_cleanup_free_ char *s = xvasprintf(fmt, ap);
	va_end(ap);
	d->o->log(s, d->o->userdata);
}

/* Bytes of the fetched files so far: finished ones, and what the running ones have. */
static void progress(struct dl *d)
{
	if (!d->o->progress || !d->total)
		return;
	/* the sum walks every item: not more often than the broker shows it (10 a second) */
	double now = now_monotonic();
	if (now - d->last_progress < 0.1)
		return;
	d->last_progress = now;
	uint64_t cur = 0;
	for (size_t i = 0; i < d->n; i++) {
		const struct xfer *x = &d->x[i];
		if (x->state == X_ACTIVE)
			cur += x->off;
		else if (x->state == X_DONE && !x->item->cached)
			cur += x->off;
	}
	d->done = cur < d->total ? cur : d->total;
	d->o->progress(d->done, d->total, d->o->userdata);
}

static void xfer_close(struct xfer *x)
{
	if (x->fd >= 0) {
		close(x->fd);
		x->fd = -1;
	}
	if (x->ctx) {
		rpmDigestFinal(x->ctx, NULL, NULL, 0);
		x->ctx = NULL;
	}
}

static size_t write_cb(char *p, size_t sz, size_t nm, void *ud)
{
	struct xfer *x = ud;
	size_t n = sz * nm;
	if (x->item->size && x->off + n > x->item->size) {
		x->overflow = true;
		return 0;
	}
	for (size_t w = 0; w < n;) {
		ssize_t k = write(x->fd, p + w, n - w);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			x->werr = errno;
			return 0;
		}
		w += (size_t)k;
	}
	rpmDigestUpdate(x->ctx, p, n);
	x->off += n;
	return n;
}

/* Start the .part: open it, hash what a previous run left (to resume), position at its end. */
static int part_open(struct xfer *x, bool from_zero)
{
	x->fd = open(x->part, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (x->fd < 0)
		return -errno;
	struct stat st;
	if (fstat(x->fd, &st) < 0)
		return -errno;
	uint64_t have = (uint64_t)st.st_size;
	if (from_zero || (x->item->size && have > x->item->size)) {
		if (ftruncate(x->fd, 0) < 0)
			return -errno;
		have = 0;
	}
	x->ctx = rpmDigestInit(x->algo, RPMDIGEST_NONE);
	if (have) {
		int r = hash_fd(x->fd, x->ctx, have);
		if (r < 0)
			return r;
	}
	if (lseek(x->fd, (off_t)have, SEEK_SET) < 0)
		return -errno;
	x->off = x->start_off = have;
	x->werr = 0;
	x->overflow = false;
	return 0;
}

static void fail_fatal(struct dl *d, int r, char *msg)
{
	if (!d->fatal) {
		d->fatal = r;
		d->fatal_msg = msg;
	} else
		free(msg);
}

static void schedule_next_url(struct dl *d, struct xfer *x);
static void retry_or_next(struct dl *d, struct xfer *x, const char *why, bool retryable);

/* The transfer's data is complete: check it, and rename it into place. */
static void finish(struct dl *d, struct xfer *x)
{
	char *hex = digest_hex(x->ctx);
	x->ctx = NULL;
	uint64_t size = x->off;
	bool size_ok = !x->item->size || size == x->item->size;
	bool sum_ok = size_ok && !strcasecmp(hex, x->item->checksum);
	if (sum_ok) {
		if (rename(x->part, x->item->path) < 0) {
			int r = -errno;
			unlink(x->part);
			fail_fatal(d, r, xasprintf("cannot rename %s to %s: %s", x->part, x->item->path, strerror(-r)));
			x->state = X_FAILED;
			free(hex);
			xfer_close(x);
			return;
		}
		x->item->url = xstrdup(x->url);
		x->item->done = true;
		x->state = X_DONE;
		d->stats.fetched++;
		free(hex);
		xfer_close(x);
		return;
	}
	unlink(x->part);
	xfer_close(x);
	_cleanup_free_ char *why = size_ok ? xasprintf("checksum mismatch: the file has %s:%s, the repository metadata "
						       "says %s:%s",
						       x->item->checksum_type, hex, x->item->checksum_type,
						       x->item->checksum)
					   : xasprintf("size mismatch: %" PRIu64 " bytes, the repository metadata says %" PRIu64,
						       size, x->item->size);
	free(hex);
	if (x->start_off > 0 && !x->restarted) {
		/* the resumed part may be what was wrong: once more, whole */
		dlog(d, "%s: %s after resuming at byte %" PRIu64 "; fetching it whole again", x->url, why, x->start_off);
		x->restarted = true;
		x->state = X_QUEUED;
		x->next_at = 0;
		return;
	}
	buf_printf(&x->errors, "%s%s: %s", x->errors.len ? "; " : "", x->url, why);
	schedule_next_url(d, x);
}

/* Copy a file:// source into the .part while hashing it. */
static void local_copy(struct dl *d, struct xfer *x, const char *src)
{
	_cleanup_close_ int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		int e = errno;
		_cleanup_free_ char *why = xasprintf("%s", strerror(e));
		buf_printf(&x->errors, "%s%s: %s", x->errors.len ? "; " : "", x->url, why);
		schedule_next_url(d, x);
		return;
	}
	int r = part_open(x, true);
	if (r < 0)
		goto werr;
	x->state = X_ACTIVE; /* for progress(); it is not a curl transfer */
	posix_fadvise(in, 0, 0, POSIX_FADV_SEQUENTIAL);
	static char buf[1 << 20];
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			xfer_close(x);
			unlink(x->part);
			_cleanup_free_ char *why = xasprintf("read error: %s", strerror(e));
			buf_printf(&x->errors, "%s%s: %s", x->errors.len ? "; " : "", x->url, why);
			schedule_next_url(d, x);
			return;
		}
		if (n == 0)
			break;
		if (write_cb(buf, 1, (size_t)n, x) != (size_t)n) {
			if (x->overflow)
				break;
			r = -x->werr;
			goto werr;
		}
		d->stats.bytes += (uint64_t)n;
		progress(d);
	}
	finish(d, x);
	return;
werr:
	xfer_close(x);
	unlink(x->part);
	if (r == -ENOSPC || r == -EDQUOT)
		fail_fatal(d, -ENOSPC,
			   xasprintf("no space left on the filesystem of %s while copying %s", d->o->cache_dir, x->url));
	else
		fail_fatal(d, r, xasprintf("cannot write %s: %s", x->part, strerror(-r)));
	x->state = X_FAILED;
}

static int xfer_start(struct dl *d, struct xfer *x)
{
	const char *base = x->repo->urls[x->url_idx];
	free(x->url);
	x->url = url_join(base, x->item->location);
	if (x->ctx)
		xfer_close(x);
	if (is_file_url(base)) {
		_cleanup_free_ char *src = url_join(file_url_path(base), x->item->location);
		local_copy(d, x, src);
		return 0;
	}
	int r = part_open(x, false);
	if (r < 0) {
		xfer_close(x);
		if (r == -ENOSPC || r == -EDQUOT)
			fail_fatal(d, -ENOSPC, xasprintf("no space left on the filesystem of %s", d->o->cache_dir));
		else
			fail_fatal(d, r, xasprintf("cannot open %s: %s", x->part, strerror(-r)));
		x->state = X_FAILED;
		return r;
	}
	if (x->item->size && x->off == x->item->size) {
		/* a previous run got it all, and stopped before the rename */
		finish(d, x);
		return 0;
	}
	if (x->start_off)
		dlog(d, "%s: resuming at byte %" PRIu64, x->url, x->start_off);
	if (!x->easy)
		x->easy = curl_easy_init();
	else
		curl_easy_reset(x->easy);
	CURL *e = x->easy;
	x->errbuf[0] = 0;
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "leapp (in-place upgrade)");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, d->o->timeout);
	/* a stall as long as the timeout ends the transfer */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, d->o->timeout);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,ftp,ftps");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https,ftp,ftps");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FTP | CURLPROTO_FTPS));
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS | CURLPROTO_FTP | CURLPROTO_FTPS));
#endif
	curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)x->off);
	curl_multi_add_handle(d->multi, e);
	x->state = X_ACTIVE;
	d->active++;
	return 0;
}

static void schedule_next_url(struct dl *d, struct xfer *x)
{
	x->url_idx++;
	x->attempt = 0;
	x->restarted = false;
	if (x->url_idx < x->repo->n_urls) {
		dlog(d, "%s: trying the next URL of repository %s", x->item->label, x->repo->id);
		x->state = X_QUEUED;
		x->next_at = 0;
		return;
	}
	x->state = X_FAILED;
	buf_append(&x->errors, "", 1);
	x->item->error = xasprintf("%s: %s", x->item->label, x->errors.data);
	bool mismatch = strstr(x->errors.data, "mismatch") != NULL;
	fail_fatal(d, mismatch ? -EBADMSG : -EIO, xstrdup(x->item->error));
}

static void retry_or_next(struct dl *d, struct xfer *x, const char *why, bool retryable)
{
	if (retryable && x->attempt < d->o->retries) {
		double delay = doubled(d->o->backoff, x->attempt);
		x->attempt++;
		dlog(d, "%s: %s; retry %d of %d in %.1f s", x->url, why, x->attempt, d->o->retries, delay);
		x->state = X_QUEUED;
		x->next_at = now_monotonic() + delay;
		return;
	}
	if (retryable)
		buf_printf(&x->errors, "%s%s: %s (after %d attempts)", x->errors.len ? "; " : "", x->url, why,
			   x->attempt + 1);
	else
		buf_printf(&x->errors, "%s%s: %s", x->errors.len ? "; " : "", x->url, why);
	schedule_next_url(d, x);
}

static void on_done(struct dl *d, struct xfer *x, CURLcode res)
{
	curl_multi_remove_handle(d->multi, x->easy);
	d->active--;
	long code = 0;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	d->stats.bytes += x->off - x->start_off;
	if (res == CURLE_OK) {
		finish(d, x);
		return;
	}
	if (res == CURLE_WRITE_ERROR && x->werr) {
		int e = x->werr;
		xfer_close(x);
		unlink(x->part);
		x->state = X_FAILED;
		if (e == ENOSPC || e == EDQUOT)
			fail_fatal(d, -ENOSPC,
				   xasprintf("no space left on the filesystem of %s while downloading %s", d->o->cache_dir,
					     x->url));
		else
			fail_fatal(d, -e, xasprintf("cannot write %s: %s", x->part, strerror(e)));
		return;
	}
	if (res == CURLE_WRITE_ERROR && x->overflow) {
		xfer_close(x);
		unlink(x->part);
		_cleanup_free_ char *why = xasprintf("size mismatch: the server sends more than the %" PRIu64
						     " bytes the repository metadata says",
						     x->item->size);
		buf_printf(&x->errors, "%s%s: %s", x->errors.len ? "; " : "", x->url, why);
		schedule_next_url(d, x);
		return;
	}
	xfer_close(x);
	if (res == CURLE_RANGE_ERROR || code == 416) {
		/* the server cannot resume: start over, not counted as a failure */
		dlog(d, "%s: the server cannot resume; fetching it whole", x->url);
		unlink(x->part);
		x->state = X_QUEUED;
		x->next_at = 0;
		return;
	}
	const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(res);
	_cleanup_free_ char *why = code >= 400			      ? xasprintf("HTTP error %ld", code)
				   : res == CURLE_OPERATION_TIMEDOUT ? xasprintf("timed out: no answer for %ld s (%s)",
										 d->o->timeout, detail)
								     : xasprintf("%s", detail);
	bool missing = code == 404 || code == 403 || code == 410 || res == CURLE_REMOTE_FILE_NOT_FOUND;
	retry_or_next(d, x, why, !missing && !(code >= 400 && code < 500 && code != 408 && code != 429));
}

/* Abort: stop every active transfer; keep their .part for a resume unless no space is left. */
static void abort_active(struct dl *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct xfer *x = &d->x[i];
		if (x->state != X_ACTIVE)
			continue;
		curl_multi_remove_handle(d->multi, x->easy);
		d->active--;
		xfer_close(x);
		if (d->fatal == -ENOSPC)
			unlink(x->part);
		x->state = X_QUEUED;
	}
}

static void item_paths(const struct dl_opts *o, struct dl_item *it)
{
	free(it->path);
	it->path = xasprintf("%s/%s/%s", o->cache_dir, it->repoid, it->location);
}

static int mkparent(const char *path)
{
	_cleanup_free_ char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	return mkdir_p(dir, 0755);
}

/* Is the final file in the cache, and good? A damaged one is removed. */
static bool cached_ok(const struct dl_opts *o, struct dl_item *it, int algo, struct dl *d)
{
	struct stat st;
	if (stat(it->path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	if (it->size && (uint64_t)st.st_size != it->size) {
		dlog(d, "%s: the cached %s has the wrong size; fetching it again", it->label, it->path);
		unlink(it->path);
		return false;
	}
	_cleanup_free_ char *hex = NULL;
	if (dl_file_digest(it->path, algo, &hex) < 0 || strcasecmp(hex, it->checksum)) {
		dlog(d, "%s: the cached %s does not match its checksum; fetching it again", it->label, it->path);
		unlink(it->path);
		return false;
	}
	return true;
}

static char *human(uint64_t b)
{
	if (b >= 10ull << 30)
		return xasprintf("%.1f GiB", (double)b / (1 << 30));
	if (b >= 10ull << 20)
		return xasprintf("%.1f MiB", (double)b / (1 << 20));
	return xasprintf("%.1f KiB", (double)b / 1024);
}

/* One item checked (its repository, location, checksum) and looked up in the cache; what is left
 * to fetch of it added to *need. */
static int xfer_prepare(struct dl *d, struct xfer *x, struct dl_item *it, const struct dl_repo *repos, size_t n_repos,
			uint64_t *need, char **ret_err)
{
	x->fd = -1;
	x->item = it;
	for (size_t k = 0; k < n_repos && !x->repo; k++)
		if (!strcmp(repos[k].id, it->repoid))
			x->repo = &repos[k];
	x->algo = dl_hash_algo(it->checksum_type);
	if (!x->repo || !x->repo->n_urls) {
		*ret_err = xasprintf("%s: repository %s has no baseurl or mirror to download from", it->label, it->repoid);
		return -EINVAL;
	}
	if (!location_ok(it->location)) {
		*ret_err = xasprintf("%s: refusing the location \"%s\" of repository %s (not a relative path below "
				     "the repository)",
				     it->label, it->location ? it->location : "", it->repoid);
		return -EINVAL;
	}
	if (x->algo < 0 || !it->checksum || !*it->checksum) {
		*ret_err = xasprintf("%s: repository %s gives no usable checksum (%s)", it->label, it->repoid,
				     it->checksum_type ? it->checksum_type : "none");
		return -EINVAL;
	}
	item_paths(d->o, it);
	x->part = xasprintf("%s.part", it->path);
	if (cached_ok(d->o, it, x->algo, d)) {
		it->cached = it->done = true;
		x->state = X_DONE;
		d->stats.cached++;
		return 0;
	}
	struct stat st;
	uint64_t have = stat(x->part, &st) == 0 ? (uint64_t)st.st_size : 0;
	if (it->size > have)
		*need += it->size - have;
	int r = 0, m = mkparent(it->path);
	if (m < 0) {
		*ret_err = xasprintf("cannot create the directory of %s: %s", it->path, strerror(-m));
		r = m;
	}
	x->state = X_QUEUED;
	return r;
}

/* -ENOSPC when the cache's filesystem cannot hold what is left to fetch */
static int space_check(const struct dl_opts *o, uint64_t need, char **ret_err)
{
	struct statvfs sv;
	if (!need || statvfs(o->cache_dir, &sv) < 0)
		return 0;
	uint64_t avail = (uint64_t)sv.f_bavail * sv.f_frsize;
	/* a little slack for directories and the filesystem's own blocks */
	uint64_t want = need + need / 100 + (1 << 20);
	if (avail >= want)
		return 0;
	_cleanup_free_ char *hn = human(want), *ha = human(avail);
	*ret_err = xasprintf("not enough space to download the packages: %s needed in %s, %s free", hn, o->cache_dir, ha);
	return -ENOSPC;
}

/* start what may start; *ret_wake: when the next retry is due (0: none); whether any waits */
static bool start_queued(struct dl *d, double *ret_wake)
{
	double now = now_monotonic(), wake = 0;
	bool pending = false;
	for (size_t i = 0; i < d->n && d->active < (size_t)d->o->parallel && !d->fatal; i++) {
		struct xfer *x = &d->x[i];
		if (x->state != X_QUEUED)
			continue;
		if (x->next_at > now) {
			pending = true;
			if (!wake || x->next_at < wake)
				wake = x->next_at;
			continue;
		}
		xfer_start(d, x);
		now = now_monotonic();
	}
	for (size_t i = 0; i < d->n && !pending; i++)
		pending = d->x[i].state == X_QUEUED;
	*ret_wake = wake;
	return pending;
}

/* The transfers, a few at a time, until every item is done or failed (or one failure is fatal). */
static void transfer_all(struct dl *d)
{
	d->multi = curl_multi_init();
	curl_multi_setopt(d->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)d->o->parallel);
	for (;;) {
		if (d->fatal) {
			abort_active(d);
			break;
		}
		double wake;
		bool pending = start_queued(d, &wake);
		if (d->fatal)
			continue;
		if (!d->active && !pending)
			break;
		int running = 0;
		curl_multi_perform(d->multi, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(d->multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct xfer *x = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			on_done(d, x, msg->data.result);
		}
		progress(d);
		int timeout_ms = 200;
		if (!d->active && wake) {
			double w = wake - now_monotonic();
			timeout_ms = w <= 0 ? 0 : (int)(w * 1000) + 1;
		}
		if (d->active || wake)
			curl_multi_poll(d->multi, NULL, 0, timeout_ms, NULL);
	}
}

/* After the transfers: the fatal error (and no .part left after -ENOSPC), or the renames made durable. */
static int transfer_finish(struct dl *d, char **ret_err)
{
	int r = 0;
	if (d->fatal) {
		r = d->fatal;
		*ret_err = TAKE_PTR(d->fatal_msg);
		if (r == -ENOSPC) {
			/* nothing half-written stays: every .part of the run goes */
			for (size_t i = 0; i < d->n; i++)
				if (d->x[i].part)
					unlink(d->x[i].part);
		}
	} else {
		/* the renames are durable before anyone is told the packages are here */
		_cleanup_close_ int cfd = open(d->o->cache_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cfd >= 0 && d->stats.fetched)
			syncfs(cfd);
	}
	if (d->total && !d->fatal && d->o->progress)
		d->o->progress(d->total, d->total, d->o->userdata);
	return r;
}

int dl_run(const struct dl_opts *oin, const struct dl_repo *repos, size_t n_repos, struct dl_item *items, size_t n_items,
	   struct dl_stats *ret_stats, char **ret_err)
{
	struct dl_opts o = *oin;
	if (o.parallel <= 0)
		o.parallel = 4;
	if (o.retries < 0)
		o.retries = 3;
	if (o.backoff <= 0)
		o.backoff = 1;
	if (o.timeout <= 0)
		o.timeout = 30;
	struct dl d = {.o = &o};
	/* check the input and the cache first */
	struct xfer *xs = xcalloc(n_items + 1, sizeof(*xs));
	uint64_t need = 0;
	int r = 0;
	for (size_t i = 0; i < n_items && r == 0; i++)
		r = xfer_prepare(&d, &xs[i], &items[i], repos, n_repos, &need, ret_err);
	d.x = xs;
	d.n = n_items;
	if (r == 0)
		r = space_check(&o, need, ret_err);
	if (r == 0) {
		for (size_t i = 0; i < n_items; i++)
			if (xs[i].state == X_QUEUED)
				d.total += xs[i].item->size;
		transfer_all(&d);
		r = transfer_finish(&d, ret_err);
	}
	for (size_t i = 0; i < n_items; i++) {
		struct xfer *x = &xs[i];
		xfer_close(x);
		if (x->easy)
			curl_easy_cleanup(x->easy);
		free(x->url);
		free(x->part);
		buf_free(&x->errors);
	}
	if (d.multi)
		curl_multi_cleanup(d.multi);
	free(d.fatal_msg);
	free(xs);
	if (ret_stats)
		*ret_stats = d.stats;
	return r;
}

void dl_item_clear(struct dl_item *it)
{
	if (!it)
		return;
	free(it->path);
	free(it->url);
	free(it->error);
	it->path = it->url = it->error = NULL;
	it->cached = it->done = false;
}

/* ---- small resources ---- */

struct membuf {
	struct buf b;
	size_t limit;
};

static size_t mem_cb(char *p, size_t sz, size_t nm, void *ud)
{
	struct membuf *m = ud;
	size_t n = sz * nm;
	if (m->b.len + n > m->limit)
		return 0;
	buf_append(&m->b, p, n);
	return n;
}

int dl_fetch_small(const struct dl_opts *o, const char *url, size_t limit, char **ret_data, size_t *ret_len,
		   char **ret_err)
{
	if (is_file_url(url)) {
		char *data = NULL;
		size_t len = 0;
		int r = read_file(file_url_path(url), limit, &data, &len);
		if (r < 0) {
			*ret_err = xasprintf("%s: %s", url, strerror(-r));
			return r;
		}
		*ret_data = data;
		if (ret_len)
			*ret_len = len;
		return 0;
	}
	int retries = o && o->retries >= 0 ? o->retries : 3;
	double backoff = o && o->backoff > 0 ? o->backoff : 1;
	long timeout = o && o->timeout > 0 ? o->timeout : 30;
	CURL *e = curl_easy_init();
	char errbuf[CURL_ERROR_SIZE];
	char *err = NULL;
	int r = -EIO;
	for (int attempt = 0; attempt <= retries; attempt++) {
		struct membuf m = {.limit = limit};
		curl_easy_reset(e);
		errbuf[0] = 0;
		curl_easy_setopt(e, CURLOPT_URL, url);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, mem_cb);
		curl_easy_setopt(e, CURLOPT_WRITEDATA, &m);
		curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, timeout);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, timeout);
		CURLcode res = curl_easy_perform(e);
		long code = 0;
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
		if (res == CURLE_OK) {
			buf_append(&m.b, "", 1);
			if (ret_len)
				*ret_len = m.b.len - 1;
			*ret_data = buf_steal(&m.b);
			r = 0;
			break;
		}
		buf_free(&m.b);
		free(err);
		err = res == CURLE_WRITE_ERROR		? xasprintf("%s: larger than %zu bytes", url, limit)
		      : res == CURLE_OPERATION_TIMEDOUT ? xasprintf("%s: timed out: no answer for %ld s", url, timeout)
		      : code >= 400			? xasprintf("%s: HTTP error %ld", url, code)
							: xasprintf("%s: %s", url, errbuf[0] ? errbuf : curl_easy_strerror(res));
		if (res == CURLE_WRITE_ERROR || (code >= 400 && code < 500))
			break;
		if (attempt < retries)
			usleep((useconds_t)(doubled(backoff, attempt) * 1e6));
	}
	curl_easy_cleanup(e);
	if (r < 0)
		*ret_err = err;
	else
		free(err);
	return r;
}
