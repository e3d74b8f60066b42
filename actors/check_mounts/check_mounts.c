/* Checks: mounts and fstab entries the upgrade cannot work with (upstream's checkmountoptions,
 * checkpersistentmounts, checkfstabmountorder, checkfstabapifsoverride, checkvarrunsymlink). */
#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

/* A mount point without its trailing slashes ("/" stays "/"). */
static char *mp_clean(const char *s)
{
	char *m = xstrdup(s ?: "");
	for (size_t n = strlen(m); n > 1 && m[n - 1] == '/'; n--)
		m[n - 1] = 0;
	return m;
}

static bool has_option(const char *options, const char *opt)
{
	_cleanup_free_ char *copy = xstrdup(options ?: "");
	char *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcmp(t, opt))
			return true;
	return false;
}

/* The entry of a list (fstab or mounts) whose target is mp, or NULL. */
static json_t *entry_at(json_t *list, const char *mp)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		_cleanup_free_ char *t = mp_clean(json_string_value(json_object_get(e, "target")));
		if (!strcmp(t, mp))
			return e;
	}
	return NULL;
}

static json_t *fs_report(const char *title, const char *summary, const char *hint)
{
	json_t *e = report_new(title, summary, "high");
	report_add_group(e, "filesystem");
	report_add_group(e, "inhibitor");
	report_add_hint(e, hint);
	report_add_resource(e, "file", "/etc/fstab");
	return e;
}

/* /var/lib/leapp, /var/lib or /var noexec: fstab first (the mounts would follow it after the
 * reboot), then what is mounted now; the innermost one is named. */
static void check_noexec(json_t *si)
{
	static const char *const mps[] = {"/var/lib/leapp", "/var/lib", "/var"};
	const char *found = NULL;
	bool in_fstab = false;
	for (size_t i = 0; !found && i < ELEMENTSOF(mps); i++) {
		json_t *e = entry_at(json_object_get(si, "fstab"), mps[i]);
		if (e && has_option(json_string_value(json_object_get(e, "options")), "noexec"))
			found = mps[i], in_fstab = true;
	}
	for (size_t i = 0; !found && i < ELEMENTSOF(mps); i++) {
		json_t *e = entry_at(json_object_get(si, "mounts"), mps[i]);
		if (e && has_option(json_string_value(json_object_get(e, "options")), "noexec"))
			found = mps[i];
	}
	if (!found)
		return;
	_cleanup_free_ char *summary = xasprintf(
		"%s is %s with the \"noexec\" option. The upgrade runs programs from the target userspace under "
		"/var/lib/leapp, which noexec forbids, so the upgrade cannot go on.",
		found, in_fstab ? "listed in /etc/fstab" : "mounted");
	_cleanup_free_ char *hint =
		in_fstab ? xasprintf("Remove \"noexec\" from the %s entry in /etc/fstab until the upgrade is done, and "
				     "remount it: mount -o remount,exec %s",
				     found, found)
			 : xasprintf("Remount %s without noexec (mount -o remount,exec %s) and keep it so for the whole "
				     "upgrade.",
				     found, found);
	actor_report(fs_report("Detected partitions mounted with the \"noexec\" option, preventing a successful "
			       "in-place upgrade.",
			       summary, hint));
}

/* A filesystem the upgrade needs that is mounted now but has no fstab entry would be missing
 * after the reboot. Upstream checks /var/lib/leapp only. */
static void check_persistent(json_t *si)
{
	static const char *const mps[] = {"/", "/usr", "/var", "/var/lib/leapp", "/boot"};
	_cleanup_free_ char *list = xstrdup("");
	for (size_t i = 0; i < ELEMENTSOF(mps); i++) {
		if (!entry_at(json_object_get(si, "mounts"), mps[i]) || entry_at(json_object_get(si, "fstab"), mps[i]))
			continue;
		char *s = xasprintf("%s%s%s", list, *list ? ", " : "", mps[i]);
		free(list);
		list = s;
	}
	if (!*list)
		return;
	_cleanup_free_ char *summary = xasprintf(
		"Mounted, but without an entry in /etc/fstab: %s. The upgrade needs these filesystems after the "
		"reboot, where only what /etc/fstab lists is mounted.",
		list);
	_cleanup_free_ char *hint = xasprintf("Add /etc/fstab entries for %s.", list);
	actor_report(fs_report("Detected partitions mounted in a non-persistent fashion, preventing a successful "
			       "in-place upgrade.",
			       summary, hint));
}

/* Is b the same as a or a directory above it? */
static bool path_under(const char *a, const char *b)
{
	size_t n = strlen(b);
	return !strcmp(b, "/") || (!strncmp(a, b, n) && (a[n] == 0 || a[n] == '/'));
}

static void list_add(char **list, const char *sep, const char *s)
{
	char *n = xasprintf("%s%s%s", *list, **list ? sep : "", s);
	free(*list);
	*list = n;
}

static int by_length(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la < lb ? -1 : la > lb;
}

/* fstab entries are mounted in order: an entry for a directory above (or the same as) an
 * earlier one hides it (upstream's checkfstabmountorder). */
static void check_order(json_t *si)
{
	json_t *fstab = json_object_get(si, "fstab"), *e;
	size_t n = 0, i;
	_cleanup_free_ char **mp = xmalloc(sizeof(char *) * (json_array_size(fstab) + 1));
	json_array_foreach(fstab, i, e) {
		const char *t = json_string_value(json_object_get(e, "target"));
		if (t && t[0] == '/')
			mp[n++] = mp_clean(t);
	}
	_cleanup_free_ bool *shadow = calloc(n + 1, sizeof(bool));
	bool any = false;
	for (i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (path_under(mp[i], mp[j]))
				shadow[i] = shadow[j] = any = true;
	if (any) {
		_cleanup_free_ char *order = xstrdup(""), *dups = xstrdup(""), *fixed = xstrdup("");
		for (i = 0; i < n; i++) {
			if (shadow[i])
				list_add(&order, ", ", mp[i]);
			bool first = true, dup = false;
			for (size_t j = 0; j < n; j++) {
				if (j < i && !strcmp(mp[j], mp[i]))
					first = false;
				if (j != i && !strcmp(mp[j], mp[i]))
					dup = true;
			}
			if (dup && first)
				list_add(&dups, ", ", mp[i]);
		}
		_cleanup_free_ char **sorted = xmalloc(sizeof(char *) * (n + 1));
		size_t ns = 0;
		for (i = 0; i < n; i++) {
			bool seen = false;
			for (size_t j = 0; j < ns; j++)
				seen |= !strcmp(sorted[j], mp[i]);
			if (!seen)
				sorted[ns++] = mp[i];
		}
		qsort(sorted, ns, sizeof(char *), by_length);
		for (i = 0; i < ns; i++)
			list_add(&fixed, "\n    - ", sorted[i]);
		_cleanup_free_ char *summary = xasprintf(
			"/etc/fstab lists mount points in an order that mounts a directory over one mounted before it, so "
			"the upgrade would see the wrong filesystems.%s%s\nMount points that shadow each other, in fstab "
			"order: %s",
			*dups ? "\nMount points listed more than once: " : "", dups, order);
		_cleanup_free_ char *hint = xasprintf(
			"%sOrder the entries so that a directory comes before the mount points below it, for example:\n"
			"    - %s",
			*dups ? "Keep one entry per mount point. " : "", fixed);
		actor_report(fs_report("Detected incorrect order of entries or duplicate entries in /etc/fstab, "
				       "preventing a successful in-place upgrade.",
				       summary, hint));
	}
	for (i = 0; i < n; i++)
		free(mp[i]);
}

/* The API filesystems systemd and the kernel mount: an fstab entry for one of them must use
 * the virtual type and source (or "none") (upstream's checkfstabapifsoverride, plus /dev). */
static const struct {
	const char *mp;
	const char *types[4];
} api_fs[] = {
	{"/dev", {"devtmpfs"}},         {"/dev/shm", {"tmpfs"}},
	{"/dev/pts", {"devpts"}},       {"/dev/mqueue", {"mqueue"}},
	{"/dev/hugepages", {"hugetlbfs"}}, {"/proc", {"proc"}},
	{"/sys", {"sysfs"}},            {"/sys/fs/cgroup", {"cgroup", "cgroup2", "tmpfs"}},
	{"/sys/fs/selinux", {"selinuxfs"}}, {"/sys/kernel/debug", {"debugfs"}},
	{"/sys/kernel/security", {"securityfs"}}, {"/run", {"tmpfs"}},
	{"/run/lock", {"tmpfs"}},
};

static bool in_types(const char *const *types, const char *s)
{
	for (size_t i = 0; i < 4 && types[i]; i++)
		if (!strcmp(types[i], s ?: ""))
			return true;
	return false;
}

static void check_api_fs(json_t *si)
{
	json_t *e;
	size_t i;
	_cleanup_free_ char *bad = xstrdup("");
	json_array_foreach(json_object_get(si, "fstab"), i, e) {
		_cleanup_free_ char *t = mp_clean(json_string_value(json_object_get(e, "target")));
		const char *type = json_string_value(json_object_get(e, "fstype"));
		const char *src = json_string_value(json_object_get(e, "source"));
		for (size_t k = 0; k < ELEMENTSOF(api_fs); k++) {
			if (strcmp(api_fs[k].mp, t))
				continue;
			if (in_types(api_fs[k].types, type) && (in_types(api_fs[k].types, src) || !strcmp(src ?: "", "none")))
				continue;
			_cleanup_free_ char *line = xasprintf("%s (line %lld: %s %s)", t,
							      (long long)json_integer_value(json_object_get(e, "line")),
							      src ?: "?", type ?: "?");
			list_add(&bad, "\n    - ", line);
		}
	}
	if (!*bad)
		return;
	_cleanup_free_ char *summary = xasprintf(
		"/etc/fstab defines mount points of the kernel's API filesystems (/proc, /sys, /dev, /run and "
		"those below them) with a block device or a wrong filesystem type. A normal boot ignores such "
		"entries; the upgrade mounts them as written and fails.\nThe entries:\n    - %s",
		bad);
	actor_report(fs_report("Detected invalid entries in /etc/fstab for pseudo-filesystem mountpoints", summary,
			       "Remove these entries from /etc/fstab, or give them the virtual filesystem as both source "
			       "and type (e.g. \"tmpfs /dev/shm tmpfs defaults 0 0\"), then check with \"mount -a\"."));
}

/* /var/run must be a link to ../run (upstream's checkvarrunsymlink); an absent one is left to
 * the filesystem package. */
static void check_var_run(json_t *rd)
{
	const char *type = json_string_value(json_object_get(rd, "var_run_type"));
	const char *target = json_string_value(json_object_get(rd, "var_run_target"));
	if (!type || !strcmp(type, "missing")) {
		actor_warning("/var/run does not exist: not checked");
		return;
	}
	_cleanup_free_ char *abs = target ? fs_path_normalize("/var", target) : NULL;
	if (!strcmp(type, "symlink") && abs && !strcmp(abs, "/run"))
		return;
	_cleanup_free_ char *what = !strcmp(type, "symlink") ? xasprintf("a link to %s", target ?: "?")
				  : !strcmp(type, "directory") ? xstrdup("a directory")
							       : xstrdup("neither a link nor a directory");
	_cleanup_free_ char *summary = xasprintf(
		"/var/run is %s. With systemd, /run is a tmpfs and /var/run must be a symbolic link to ../run; "
		"otherwise services and logins fail, before and after the upgrade.",
		what);
	json_t *e = report_new("/var/run is not correctly configured", summary, "high");
	report_add_group(e, "filesystem");
	report_add_group(e, "inhibitor");
	report_add_hint(e, "Move /var/run away (keep a copy of what it holds if needed) and make it a symbolic link "
			   "to ../run: mv /var/run /var/run.old && ln -s ../run /var/run");
	report_add_resource(e, "directory", "/var/run");
	actor_report(e);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *si = actor_consume_last("StorageInfo");
	json_t *rd = actor_consume_last("RootDirectory");
	if (si) {
		check_noexec(si);
		if (json_is_true(json_object_get(si, "fstab_known"))) {
			if (json_is_true(json_object_get(si, "mounts_known")))
				check_persistent(si);
			check_order(si);
			check_api_fs(si);
		}
	} else
		actor_warning("no StorageInfo message: the mounts were not checked");
	if (rd)
		check_var_run(rd);
	json_decref(si);
	json_decref(rd);
	return actor_finish();
}
