/* Applications: release 9 reads distrusted CA certificates from .../blocklist, not
 * .../blacklist; move them, keep links working (a link into a blacklist directory now points
 * into the blocklist one) and remove the emptied blacklist directories (upstream
 * migrateblacklistca). A certificate that cannot be moved is reported by name; one whose
 * target already exists is left where it is. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"
#include "fs.h"

static const char *const dirs[][2] = {
	{"/etc/pki/ca-trust/source/blacklist", "/etc/pki/ca-trust/source/blocklist"},
	{"/usr/share/pki/ca-trust-source/blacklist", "/usr/share/pki/ca-trust-source/blocklist"},
};

/* a link's target with a blacklist directory prefix replaced by its blocklist one */
static char *retarget(const char *target)
{
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(dirs[i][0]);
		if (!strncmp(target, dirs[i][0], n) && (target[n] == '/' || !target[n]))
			return xasprintf("%s%s", dirs[i][1], target + n);
	}
	return xstrdup(target);
}

static int move_one(const char *src_abs, const char *dst_abs, const struct stat *st)
{
	_cleanup_free_ char *dir = xstrdup(dst_abs);
	*strrchr(dir, '/') = 0;
	if (mkdir_p(dir, 0755) < 0)
		return -errno;
	if (S_ISLNK(st->st_mode)) {
		char buf[PATH_MAX];
		ssize_t n = readlink(src_abs, buf, sizeof(buf) - 1);
		if (n < 0)
			return -errno;
		buf[n] = 0;
		_cleanup_free_ char *t = retarget(buf);
		if (symlink(t, dst_abs) < 0)
			return -errno;
		return unlink(src_abs) < 0 ? -errno : 0;
	}
	return rename(src_abs, dst_abs) < 0 ? -errno : 0;
}

/* move everything under REL (a path in the root below a blacklist dir) to DST_REL */
static void migrate_tree(const char *rel, const char *dst_rel, struct buf *failed, int *moved, int depth)
{
	char **names = NULL;
	if (depth > 8 || fs_root_dir_list(rel, NULL, &names) < 0) {
		fs_strv_free(names);
		return;
	}
	for (char **p = names; *p; p++) {
		_cleanup_free_ char *src = xasprintf("%s/%s", rel, *p), *dst = xasprintf("%s/%s", dst_rel, *p);
		/* the source's directory resolved inside the root (the entry itself is not followed: a
		 * link is moved as a link); the target directories are leapp's to create */
		_cleanup_free_ char *src_dir = NULL, *dst_abs = actor_path(dst);
		if (fs_root_host_path(rel, &src_dir) < 0)
			continue;
		_cleanup_free_ char *src_abs = xasprintf("%s/%s", src_dir, *p);
		struct stat st, dst_st;
		if (lstat(src_abs, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			migrate_tree(src, dst, failed, moved, depth + 1);
			continue;
		}
		if (lstat(dst_abs, &dst_st) == 0) {
			actor_info("%s: %s exists already; left in place", src, dst);
			continue;
		}
		int r = move_one(src_abs, dst_abs, &st);
		if (r < 0) {
			buf_printf(failed, "\n    - %s: %s", src, strerror(-r));
			actor_warning("%s: cannot move it to %s: %s", src, dst, strerror(-r));
		} else
			(*moved)++;
	}
	fs_strv_free(names);
	/* emptied: remove it (rmdir fails, harmlessly, on what was left in place) */
	_cleanup_free_ char *abs = actor_path(rel);
	(void)rmdir(abs);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	struct buf failed = {0};
	int moved = 0;
	for (size_t i = 0; i < 2; i++)
		migrate_tree(dirs[i][0], dirs[i][1], &failed, &moved, 0);
	if (moved)
		actor_info("moved %d distrusted CA certificates to the blocklist directories", moved);
	if (failed.len) {
		buf_append(&failed, "", 1);
		_cleanup_free_ char *summary = xasprintf(
			"These distrusted CA certificates could not be moved from the blacklist to the blocklist "
			"directories, so release 9 does not distrust them:%s",
			failed.data);
		json_t *e = report_new("Distrusted CA certificates could not be moved to blocklist", summary, "high");
		report_add_group(e, "security");
		report_add_group(e, "authentication");
		report_add_hint(e, "Move them by hand into /etc/pki/ca-trust/source/blocklist (or "
				   "/usr/share/pki/ca-trust-source/blocklist) and run 'update-ca-trust'.");
		actor_report(e);
	}
	buf_free(&failed);
	return actor_finish();
}
