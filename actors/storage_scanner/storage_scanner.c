/* FactsCollection: fstab and mountinfo through libmount, UUIDs, and the free space of the
 * filesystems the upgrade writes to. */
#include "sys.h"
#include "leapp/actor.h"

static bool on_host(void)
{
	return !strcmp(actor_root(), "/");
}

/* A UUID for a /dev source: on the host libblkid asks the device; under --root the devices
 * named are not ours to probe, so the fstab entry for the same mount point is used. */
static void fill_uuid(struct mount_entry *e, const struct mount_list *fstab)
{
	if (e->uuid)
		return;
	if (on_host())
		e->uuid = mount_device_uuid_get(e->source);
	if (!e->uuid && fstab) {
		const struct mount_entry *f = mount_list_find_target(fstab, e->target);
		if (f && f->uuid)
			e->uuid = xstrdup(f->uuid);
	}
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *info = json_object();

	struct mount_list fstab = {0};
	_cleanup_free_ char *fpath = actor_path("/etc/fstab");
	int r = fstab_load(fpath, "/etc/fstab", &fstab);
	bool fstab_known = r == 0;
	if (r < 0)
		fact_report_unknown("/etc/fstab", "the configured filesystems", r);
	for (size_t i = 0; i < fstab.n_warnings; i++)
		actor_warning("%s", fstab.warnings[i]);

	struct mount_list mounts = {0};
	const char *host_mi = json_string_value(json_object_get(json_object_get(actor_hello(), "host"), "mountinfo"));
	if (on_host() && host_mi)
		r = mountinfo_parse(host_mi, strlen(host_mi), "/proc/self/mountinfo", &mounts);
	else {
		_cleanup_free_ char *mpath = actor_path("/proc/self/mountinfo");
		r = mountinfo_load(mpath, "/proc/self/mountinfo", &mounts);
	}
	bool mounts_known = r == 0;
	if (r < 0)
		fact_report_unknown("/proc/self/mountinfo", "what is mounted", r);

	json_t *fl = json_array();
	for (size_t i = 0; i < fstab.n; i++) {
		if (on_host())
			fill_uuid(&fstab.v[i], NULL);
		json_array_append_new(fl, fstab_entry_to_json(&fstab.v[i]));
	}
	json_t *ml = json_array();
	for (size_t i = 0; i < mounts.n; i++) {
		fill_uuid(&mounts.v[i], &fstab);
		json_array_append_new(ml, mount_entry_to_json(&mounts.v[i]));
	}

	static const char *const paths[] = {"/boot", "/var/lib/leapp", "/usr"};
	json_t *fs = json_array();
	size_t rl = on_host() ? 0 : strlen(actor_root());
	for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
		_cleanup_free_ char *full = actor_path(paths[i]);
		_cleanup_free_ char *checked = NULL;
		uint64_t total = 0, avail = 0;
		r = mount_free_space_get(full, &total, &avail, &checked);
		const char *shown = checked && strlen(checked) > rl ? checked + rl : "/";
		const struct mount_entry *m = mounts_known ? mount_list_find_for_path(&mounts, paths[i]) : NULL;
		json_t *o = json_pack("{s:s, s:s, s:s?}", "path", paths[i], "checked_path", r == 0 ? shown : paths[i],
				      "mountpoint", m ? m->target : NULL);
		if (r == 0) {
			json_object_set_new(o, "total_bytes", json_integer((json_int_t)total));
			json_object_set_new(o, "free_bytes", json_integer((json_int_t)avail));
		} else
			actor_warning("statvfs %s: %s", paths[i], strerror(-r));
		json_array_append_new(fs, o);
	}
	json_object_set_new(info, "fstab", fl);
	json_object_set_new(info, "fstab_known", json_boolean(fstab_known));
	json_object_set_new(info, "mounts", ml);
	json_object_set_new(info, "mounts_known", json_boolean(mounts_known));
	json_object_set_new(info, "free_space", fs);
	actor_info("%zu fstab entries, %zu mounts", fstab.n, mounts.n);
	actor_produce("StorageInfo", info);
	mount_list_clear(&fstab);
	mount_list_clear(&mounts);
	return actor_finish();
}
