/* Checks: the upgrade environment mounts the fstab filesystems without a network, so NFS,
 * CIFS and the other network filesystems must not be in fstab, nor mounted. */
#include "leapp/actor.h"

enum { FS_NFS, FS_CIFS, FS_OTHER, FS_N };

/* Upstream's titles (checknfs, checkcifs): infra.leapp maps them to remediations. */
static const char *const titles[FS_N] = {
	"Use of NFS detected. Upgrade can't proceed",
	"Use of CIFS detected. Upgrade can't proceed",
	"Use of a network filesystem detected. Upgrade can't proceed",
};

static int fs_kind(const char *fstype)
{
	if (!fstype)
		return FS_OTHER;
	if (str_startswith(fstype, "nfs"))
		return FS_NFS;
	if (!strcmp(fstype, "cifs") || !strcmp(fstype, "smb3") || !strcmp(fstype, "smbfs"))
		return FS_CIFS;
	return FS_OTHER;
}

static void report_kind(int kind, struct buf *lines)
{
	buf_append(lines, "", 0);
	_cleanup_free_ char *summary = xasprintf(
		"The upgrade runs in an initramfs without network access and mounts every filesystem of /etc/fstab; "
		"these network filesystems would make it fail, and files on them that packages own would be missed:%s",
		lines->data);
	json_t *r = report_new(titles[kind], summary, "high");
	report_add_group(r, "inhibitor");
	report_add_group(r, "filesystem");
	report_add_group(r, "network");
	report_add_hint(r, "Comment out the network filesystems in /etc/fstab and unmount them for the upgrade; "
			   "restore them afterwards.");
	static const char *const cmd[] = {"umount", "-a", "-t", "nfs,nfs4,cifs,smb3", NULL};
	report_add_command(r, cmd);
	report_add_resource(r, "file", "/etc/fstab");
	actor_report(r);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *st = actor_consume_last("StorageInfo");
	struct buf lines[FS_N] = {{0}};
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(st, "fstab"), i, e)
		if (json_is_true(json_object_get(e, "network"))) {
			const char *type = json_string_value(json_object_get(e, "fstype"));
			buf_printf(&lines[fs_kind(type)], "\n    - %s on %s (%s), /etc/fstab line %lld",
				   json_string_value(json_object_get(e, "source")),
				   json_string_value(json_object_get(e, "target")), type,
				   (long long)json_integer_value(json_object_get(e, "line")));
		}
	json_array_foreach(json_object_get(st, "mounts"), i, e)
		if (json_is_true(json_object_get(e, "network"))) {
			const char *type = json_string_value(json_object_get(e, "fstype"));
			buf_printf(&lines[fs_kind(type)], "\n    - %s on %s (%s), mounted",
				   json_string_value(json_object_get(e, "source")),
				   json_string_value(json_object_get(e, "target")), type);
		}
	for (int k = 0; k < FS_N; k++) {
		if (lines[k].len)
			report_kind(k, &lines[k]);
		buf_free(&lines[k]);
	}
	json_decref(st);
	return actor_finish();
}
