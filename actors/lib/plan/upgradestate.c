/* The RPM upgrade's started mark and the rpmdb-against-plan comparison (upgradestate.h). */
#include "plan.h"

#include <fcntl.h>

#include "leapp/rootfs.h"
#include "leapp/util.h"

bool upgradestate_rpm_started(const char *root, const char *execution)
{
	_cleanup_free_ char *data = NULL;
	if (!execution)
		return false;
	/* resolved inside the root (a symlink in /var/lib must not lead out of it) */
	_cleanup_close_ int fd = rootfs_open_path(root, RPM_UPGRADE_MARK, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd < 0 || read_fd(fd, 4096, &data, NULL) < 0)
		return false;
	return !strcmp(str_strip(data), execution);
}

int upgradestate_rpm_mark(const char *root, const char *execution)
{
	_cleanup_free_ char *p = NULL;
	int r = rootfs_host_path(root, RPM_UPGRADE_MARK, &p);
	if (r == -ENOENT) {
		/* no /var/lib/leapp yet (an actor run alone): made, then resolved again */
		_cleanup_free_ char *dir = path_join(root, "/var/lib/leapp");
		if ((r = mkdir_p(dir, 0700)) < 0)
			return r;
		r = rootfs_host_path(root, RPM_UPGRADE_MARK, &p);
	}
	if (r < 0)
		return r;
	_cleanup_free_ char *text = xasprintf("%s\n", execution);
	/* write_file_atomic fsyncs the file and its directory */
	return write_file_atomic(p, text, strlen(text), 0600);
}

static bool has(char **v, size_t n, const char *s)
{
	/* both lists are sorted: binary search */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v[mid], s);
		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

int upgradestate_rpmdb_compare(json_t *plan, const char *root, char **ret_fingerprint, char **ret_details, char **ret_err)
{
	const char *planned = json_string_value(json_object_get(plan, "rpmdb_fingerprint"));
	char *fp = NULL, **now = NULL;
	int r = solve_rpmdb_fingerprint(root, &fp, &now, ret_err);
	if (r < 0)
		return r;
	size_t n_now = 0;
	while (now[n_now])
		n_now++;
	if (planned && !strcmp(fp, planned)) {
		strv_free_n(now, n_now);
		*ret_fingerprint = fp;
		return 0;
	}
	size_t n_before = 0;
	char **before = plan_json_strv(json_object_get(plan, "installed"), &n_before);
	struct buf b = {0};
	size_t shown = 0, added = 0, removed = 0;
	for (size_t i = 0; i < n_now; i++)
		if (!has(before, n_before, now[i])) {
			added++;
			if (shown++ < 20)
				buf_printf(&b, "\n  now installed: %s", now[i]);
		}
	for (size_t i = 0; i < n_before; i++)
		if (!has(now, n_now, before[i])) {
			removed++;
			if (shown++ < 20)
				buf_printf(&b, "\n  no longer installed: %s", before[i]);
		}
	if (!added && !removed)
		buf_printf(&b, "\n  the same packages, but reinstalled or with changed headers");
	strv_free_n(before, n_before);
	strv_free_n(now, n_now);
	_cleanup_free_ char *list = buf_steal(&b);
	*ret_details = xasprintf("Planned against %s, the rpmdb is now %s (%zu added, %zu gone):%s",
				 planned ? planned : "(none)", fp, added, removed, list);
	*ret_fingerprint = fp;
	return 1;
}
