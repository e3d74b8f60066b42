/* Code the live-mode actors share: configuration, the image's filesystem, the live boot's arguments. */
#include "livelib.h"

#include <ctype.h>

#include "leapp/actor.h"
#include "leapp/util.h"
#include "sys.h"
#include "boot.h"

json_t *live_config_get(void)
{
	json_t *cfg = actor_consume_last("LiveModeConfig");
	if (!cfg)
		return NULL;
	/* the model's defaults, for input that did not come through the broker (an actor run alone) */
	static const char *const on[] = {"is_enabled", "autostart_upgrade_after_reboot"};
	for (size_t i = 0; i < ELEMENTSOF(on); i++)
		if (!json_object_get(cfg, on[i]))
			json_object_set_new(cfg, on[i], json_true());
	if (!json_object_get(cfg, "squashfs_image_path"))
		json_object_set_new(cfg, "squashfs_image_path", json_string("/var/lib/leapp/live-upgrade.img"));
	if (!json_is_true(json_object_get(cfg, "is_enabled"))) {
		json_decref(cfg);
		return NULL;
	}
	return cfg;
}

json_t *live_config_or_finish(void)
{
	json_t *cfg = live_config_get();
	if (!cfg) {
		actor_info("live mode is not enabled");
		exit(actor_finish());
	}
	return cfg;
}

const char *live_str(json_t *cfg, const char *key)
{
	const char *s = json_string_value(json_object_get(cfg, key));
	return s ? s : "";
}

bool live_bool(json_t *cfg, const char *key)
{
	return json_is_true(json_object_get(cfg, key));
}

/* A package name or provide as rpm knows them: no spaces, commas or quotes. */
static bool package_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (isspace((unsigned char)*p) || strchr(",;'\"`$\\", *p) || (unsigned char)*p < 0x20)
			return false;
	return true;
}

json_t *live_packages_parse(json_t *v, char **ret_err)
{
	json_t *out = json_array();
	if (!v || json_is_null(v))
		return out;
	if (json_is_string(v)) {
		/* the seed's form: "pkg1,pkg2,pkg3" */
		_cleanup_free_ char *copy = xstrdup(json_string_value(v));
		char *save = NULL;
		for (char *t = strtok_r(copy, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
			if (!package_name_ok(t)) {
				*ret_err = xasprintf("'%s' is not a package name", t);
				json_decref(out);
				return NULL;
			}
			boot_list_add_unique(out, t);
		}
		return out;
	}
	if (!json_is_array(v)) {
		*ret_err = xstrdup("expected a list of package names (or a string \"pkg1,pkg2\")");
		json_decref(out);
		return NULL;
	}
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x) {
		if (!json_is_string(x) || !package_name_ok(json_string_value(x))) {
			_cleanup_free_ char *shown = json_dumps(x, JSON_ENCODE_ANY);
			*ret_err = xasprintf("item %zu (%s) is not a package name", i, shown ? shown : "?");
			json_decref(out);
			return NULL;
		}
		boot_list_add_unique(out, json_string_value(x));
	}
	return out;
}

bool live_path_clean(const char *p)
{
	if (!p || p[0] != '/' || strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../") || str_endswith(p, "/.") ||
	    str_endswith(p, "/.."))
		return false;
	return strlen(p) == 1 || p[strlen(p) - 1] != '/';
}

static bool under(const char *path, const char *mp)
{
	if (!strcmp(mp, "/"))
		return path[0] == '/';
	size_t n = strlen(mp);
	return !strncmp(path, mp, n) && (path[n] == 0 || path[n] == '/');
}

bool live_fstype(const char *t)
{
	static const char *const ok[] = {"xfs", "ext4", "ext3", "vfat"};
	for (size_t i = 0; t && i < ELEMENTSOF(ok); i++)
		if (!strcmp(t, ok[i]))
			return true;
	return false;
}

/* The entry of list whose target is the longest prefix of path; swap and the like have none. */
static json_t *longest_prefix(json_t *list, const char *path)
{
	json_t *best = NULL, *x;
	size_t best_len = 0, i;
	json_array_foreach(list, i, x) {
		const char *t = json_string_value(json_object_get(x, "target"));
		if (!t || t[0] != '/' || !under(path, t))
			continue;
		/* >=: a later entry on the same point hides the earlier one */
		if (!best || strlen(t) >= best_len) {
			best = x;
			best_len = strlen(t);
		}
	}
	return best;
}

json_t *live_image_filesystem(json_t *storage, const char *path, bool on_host, char **ret_err)
{
	bool fstab_known = !json_is_false(json_object_get(storage, "fstab_known"));
	json_t *e = fstab_known ? longest_prefix(json_object_get(storage, "fstab"), path) : NULL;
	const char *from = "/etc/fstab";
	if (!e) {
		e = longest_prefix(json_object_get(storage, "mounts"), path);
		from = "/proc/self/mountinfo";
	}
	if (!e) {
		*ret_err = xasprintf("neither /etc/fstab nor the mounts name the filesystem that holds %s", path);
		return NULL;
	}
	const char *mp = json_string_value(json_object_get(e, "target"));
	const char *src = json_string_value(json_object_get(e, "source"));
	const char *type = json_string_value(json_object_get(e, "fstype"));
	if (json_is_true(json_object_get(e, "network")) || mount_fstype_is_network(type)) {
		*ret_err = xasprintf("%s is on %s (%s, %s in %s), a network filesystem: dmsquash-live boots the image from a "
				     "local one (or set url_to_load_squashfs_image_from)",
				     path, mp, type, src, from);
		return NULL;
	}
	if (!live_fstype(type)) {
		*ret_err = xasprintf("%s is on %s (%s in %s), a %s filesystem: the live system mounts only xfs, ext4, ext3 and "
				     "vfat filesystems",
				     path, mp, src, from, type ? type : "?");
		return NULL;
	}
	_cleanup_free_ char *uuid = NULL;
	if (json_is_string(json_object_get(e, "uuid")))
		uuid = xstrdup(json_string_value(json_object_get(e, "uuid")));
	else if (src && str_startswith(src, "UUID="))
		uuid = xstrdup(src + 5);
	else if (on_host)
		uuid = mount_device_uuid_get(src);
	/* the image's directory, relative to the filesystem's root */
	const char *slash = strrchr(path, '/');
	_cleanup_free_ char *dir_abs = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
	const char *rel = dir_abs + (strcmp(mp, "/") ? strlen(mp) : 0);
	return json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s}", "mountpoint", mp, "source", src ? src : "", "fstype", type, "uuid",
			 uuid, "dir", *rel ? rel : "/", "file", slash + 1);
}

static void arg_append(json_t *list, const char *key, const char *value)
{
	json_array_append_new(list, json_pack("{s:s, s:s?}", "key", key, "value", value));
}

/* "key=value" or "key" as a KernelCmdlineArg */
static void arg_append_raw(json_t *list, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		arg_append(list, arg, NULL);
		return;
	}
	_cleanup_free_ char *key = xstrndup(arg, (size_t)(eq - arg));
	arg_append(list, key, eq + 1);
}

json_t *live_cmdline_tasks(json_t *cfg)
{
	json_t *add = json_array(), *rm = json_array();
	/* dmsquash-live mounts the image's filesystem read-only unless rw is given, and an LVM
	 * volume list of the old root would keep the rest of the volumes down; root= is replaced */
	static const char *const removed[] = {"ro", "rhgb", "quiet", "rd.lvm.lv", "root"};
	for (size_t i = 0; i < ELEMENTSOF(removed); i++)
		arg_append(rm, removed[i], NULL);
	arg_append(add, "rw", NULL);
	const char *url = live_str(cfg, "url_to_load_squashfs_image_from");
	if (*url) {
		_cleanup_free_ char *root = xasprintf("live:%s", url);
		arg_append(add, "root", root);
		/* the network arguments as written ("ip=dhcp", "ip=... nameserver=...") */
		struct cmdline net;
		cmdline_parse(&net, live_str(cfg, "dracut_network"));
		for (size_t i = 0; i < net.n; i++)
			arg_append_raw(add, net.v[i]);
		cmdline_clear(&net);
		arg_append(add, "rd.neednet", "1");
	} else {
		json_t *fs = json_object_get(cfg, "image_filesystem");
		_cleanup_free_ char *root = xasprintf("live:UUID=%s", live_str(fs, "uuid"));
		arg_append(add, "root", root);
		arg_append(add, "rd.live.dir", live_str(fs, "dir"));
		arg_append(add, "rd.live.squashimg", live_str(fs, "file"));
	}
	if (!live_bool(cfg, "autostart_upgrade_after_reboot"))
		arg_append(add, "upgrade.autostart", "0");
	const char *strace = live_str(cfg, "capture_strace_info_into");
	if (*strace)
		arg_append(add, "upgrade.strace", strace);
	return json_pack("{s:o, s:o}", "to_add", add, "to_remove", rm);
}
