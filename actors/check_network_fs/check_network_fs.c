/* Checks: the upgrade environment mounts the fstab filesystems without a network, so NFS,
 * CIFS and the other network filesystems must not be in fstab, nor mounted. */
#include "leapp/actor.h"

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *st = actor_consume_last("StorageInfo");
	struct buf in_fstab = {0}, mounted = {0};
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(st, "fstab"), i, e)
		if (json_is_true(json_object_get(e, "network")))
			buf_printf(&in_fstab, "\n    - %s on %s (%s), /etc/fstab line %lld", json_string_value(json_object_get(e, "source")),
				   json_string_value(json_object_get(e, "target")), json_string_value(json_object_get(e, "fstype")),
				   (long long)json_integer_value(json_object_get(e, "line")));
	json_array_foreach(json_object_get(st, "mounts"), i, e)
		if (json_is_true(json_object_get(e, "network")))
			buf_printf(&mounted, "\n    - %s on %s (%s)", json_string_value(json_object_get(e, "source")),
				   json_string_value(json_object_get(e, "target")), json_string_value(json_object_get(e, "fstype")));
	if (in_fstab.len) {
		buf_append(&in_fstab, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"The upgrade runs in an initramfs without network access and mounts every filesystem of /etc/fstab; "
			"these network filesystems would make it fail:%s",
			in_fstab.data);
		json_t *r = report_new("Network filesystems in /etc/fstab", summary, "high");
		report_set_key(r, "nfs-in-fstab");
		report_add_group(r, "inhibitor");
		report_add_group(r, "filesystem");
		report_add_group(r, "network");
		report_add_hint(r, "Comment out the network filesystems in /etc/fstab and unmount them for the upgrade; "
				   "restore them afterwards.");
		report_add_resource(r, "file", "/etc/fstab");
		actor_report(r);
	}
	if (mounted.len) {
		buf_append(&mounted, "", 0);
		_cleanup_free_ char *summary = xasprintf(
			"Network filesystems are mounted; the upgrade cannot keep them mounted, and files on them that "
			"packages own would be missed:%s",
			mounted.data);
		json_t *r = report_new("Network filesystems are mounted", summary, "high");
		report_set_key(r, "network-fs-mounted");
		report_add_group(r, "inhibitor");
		report_add_group(r, "filesystem");
		report_add_group(r, "network");
		report_add_hint(r, "Unmount the network filesystems (umount -a -t nfs,nfs4,cifs,smb3) before the upgrade.");
		static const char *const cmd[] = {"umount", "-a", "-t", "nfs,nfs4,cifs,smb3", NULL};
		report_add_command(r, cmd);
		actor_report(r);
	}
	buf_free(&in_fstab);
	buf_free(&mounted);
	json_decref(st);
	return actor_finish();
}
