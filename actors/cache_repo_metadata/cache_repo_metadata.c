/* Download: copy every planned repository's repodata/ into the package cache
 * (/var/lib/leapp/packages/<repoid>/repodata, beside the downloaded Packages), so that the RPM
 * upgrade after the reboot solves again from the cache alone. A file:// baseurl names a path of
 * the system as it runs now (DESIGN.md section 4: never re-rooted), which the upgrade initramfs
 * sees under /sysroot if at all, and it has no network. Safe to run twice: each copy is made
 * beside the old one and renamed into place. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "leapp/actor.h"
#include "plan.h"

/* Copy one regular file (content and mode), fsync'd. 0 or -errno. */
static int copy_one(const char *src, const char *dst)
{
	_cleanup_close_ int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	struct stat st;
	if (fstat(in, &st) < 0)
		return -errno;
	_cleanup_close_ int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, st.st_mode & 0777);
	if (out < 0)
		return -errno;
	char buf[1 << 16];
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			off += w;
		}
	}
	return fsync(out) < 0 ? -errno : 0;
}

static int sync_dir(const char *dir)
{
	_cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 || fsync(fd) < 0 ? -errno : 0;
}

/* The local directory of a baseurl (file:///x or /x), or NULL. */
static const char *local_dir(const char *url)
{
	if (!url)
		return NULL;
	if (str_startswith(url, "file://"))
		url += strlen("file://");
	return url[0] == '/' ? url : NULL;
}

/* Copy src/repodata to dst/repodata through dst/repodata.new; the names copied go to files. */
static int copy_repodata(const char *src, const char *dst, json_t *files, char **ret_err)
{
	_cleanup_free_ char *from = path_join(src, "/repodata"), *to = path_join(dst, "/repodata"),
			    *tmp = path_join(dst, "/repodata.new");
	int r = mkdir_p(dst, 0755);
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", dst, strerror(-r));
		return r;
	}
	rm_rf(tmp);
	if (mkdir(tmp, 0755) < 0) {
		*ret_err = xasprintf("%s: %s", tmp, strerror(errno));
		return -errno;
	}
	DIR *d = opendir(from);
	if (!d) {
		r = -errno;
		*ret_err = xasprintf("%s: %s", from, strerror(errno));
		return r;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *s = path_join(from, de->d_name), *t = path_join(tmp, de->d_name);
		struct stat st;
		if (stat(s, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if ((r = copy_one(s, t)) < 0) {
			*ret_err = xasprintf("copying %s to %s: %s", s, t, strerror(-r));
			closedir(d);
			return r;
		}
		json_array_append_new(files, json_string(de->d_name));
	}
	closedir(d);
	_cleanup_free_ char *repomd = path_join(tmp, "/repomd.xml");
	if (access(repomd, F_OK) < 0) {
		*ret_err = xasprintf("%s has no repomd.xml", from);
		return -ENOENT;
	}
	if ((r = sync_dir(tmp)) < 0 || (r = rm_rf(to)) < 0 || (rename(tmp, to) < 0 && (r = -errno)) ||
	    (r = sync_dir(dst)) < 0) {
		*ret_err = xasprintf("cannot put %s in place: %s", to, strerror(-r));
		return r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *plan = plan_consume_planned();
	json_t *dp = actor_consume_last("DownloadedPackages");
	if (!plan || !dp) {
		actor_warning("nothing to cache: %s", !dp ? "the packages were not downloaded" : "no planned transaction");
		json_decref(plan);
		json_decref(dp);
		return actor_finish();
	}
	const char *cache_in_root = json_string_value(json_object_get(dp, "cache_dir_in_root")) ?: "/var/lib/leapp/packages";
	_cleanup_free_ char *cache = actor_path(cache_in_root);
	json_t *out = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(plan, "repos"), i, r) {
		const char *id = json_string_value(json_object_get(r, "repoid"));
		const char *url = json_string_value(json_array_get(json_object_get(r, "baseurl"), 0));
		/* metadata_path: the local copy target_repositories fetched for a remote repository */
		const char *md = json_string_value(json_object_get(r, "metadata_path"));
		const char *src = md && *md ? md : local_dir(url);
		if (!id || !src || strchr(id, '/') || id[0] == '.') {
			/* the planner reads local metadata only, so this is a plan made elsewhere */
			actor_warning("repository %s: no local baseurl (%s); its metadata is not cached", id ? id : "?",
				      url ? url : "none");
			continue;
		}
		_cleanup_free_ char *dst = path_join(cache, id), *err = NULL;
		json_t *files = json_array();
		if (copy_repodata(src, dst, files, &err) < 0) {
			json_decref(files);
			json_decref(out);
			actor_error("cannot copy a target repository's metadata into the package cache", "repository %s: %s",
				    id, err);
		}
		_cleanup_free_ char *in_root = xasprintf("%s/%s", cache_in_root, id);
		actor_info("repository %s: %zu metadata file(s) copied from %s", id, json_array_size(files), src);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:o}", "repoid", id, "path", dst, "path_in_root",
						     in_root, "source", url, "files", files));
	}
	actor_produce("RepoMetadataCache", json_pack("{s:o}", "repos", out));
	json_decref(plan);
	json_decref(dp);
	return actor_finish();
}
