/* TargetTransactionCheck: can LVM snapshots protect the upgrade (DESIGN.md section 12, issue 23
 * item 1)? For each volume that holds a selected path (fstab under the root), whether it is an LVM
 * logical volume, its volume group's free extents (/etc/lvm/backup/<vg>) against the estimate of
 * what the upgrade changes there, and thin pools. Snapshots requested (snapshot.enabled, or
 * leapp upgrade --snapshot) and not possible inhibit, with the numbers. */
#include "leapp/actor.h"
#include "fs.h"
#include "sys.h"

#define MIB (1024LL * 1024)

static long long cfg_int(json_t *cfg, const char *k, long long dflt)
{
	json_t *v = json_object_get(cfg, k);
	return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) : dflt;
}

/* /dev/mapper/vg--a-lv or /dev/vg/lv: 0 with the names, -ENOENT when it names no LV. */
static int lv_of_device(const char *dev, char **ret_vg, char **ret_lv)
{
	if (str_startswith(dev, "/dev/mapper/")) {
		const char *n = dev + strlen("/dev/mapper/");
		struct buf vg = {0};
		for (const char *p = n; *p; p++) {
			if (p[0] == '-' && p[1] == '-') {
				buf_append(&vg, "-", 1);
				p++;
			} else if (p[0] == '-') {
				*ret_vg = buf_steal(&vg);
				struct buf lv = {0};
				for (p++; *p; p++) {
					buf_append(&lv, p, 1);
					if (p[0] == '-' && p[1] == '-')
						p++;
				}
				*ret_lv = buf_steal(&lv);
				return 0;
			} else
				buf_append(&vg, p, 1);
		}
		free(buf_steal(&vg));
		return -ENOENT;
	}
	const char *slash = str_startswith(dev, "/dev/") ? strchr(dev + 5, '/') : NULL;
	if (!slash || strchr(slash + 1, '/') || !slash[1])
		return -ENOENT;
	*ret_vg = xstrndup(dev + 5, (size_t)(slash - dev - 5));
	*ret_lv = xstrdup(slash + 1);
	return 0;
}

/* The VG summary from /etc/lvm/backup/<vg> under the root, or NULL with *ret_problem. */
static json_t *vg_load(const char *vg, char **ret_problem)
{
	_cleanup_free_ char *path = xasprintf("/etc/lvm/backup/%s", vg);
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = fs_root_read(path, 1 << 24, &data, &len);
	if (r < 0) {
		*ret_problem = xasprintf("%s: %s", path, r == -ENOENT ? "missing (no metadata backup of the volume group)"
								    : strerror(-r));
		return NULL;
	}
	json_t *md = NULL, *sum = NULL;
	char *err = NULL;
	if (lvm_metadata_parse(data, len, path, &md, &err) < 0 || lvm_vg_summary(md, path, &sum, &err) < 0) {
		*ret_problem = err;
		json_decref(md);
		return NULL;
	}
	json_decref(md);
	return sum;
}

static json_t *lv_find(json_t *sum, const char *lv)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(sum, "lvs"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "name")), lv))
			return x;
	return NULL;
}

/* The volumes that hold the selected paths, one entry per fstab source. */
static json_t *volumes_collect(json_t *paths, const struct mount_list *fstab)
{
	json_t *vols = json_object();
	size_t i;
	json_t *p;
	json_array_foreach(paths, i, p) {
		const char *path = json_string_value(p);
		if (!path || *path != '/')
			continue;
		const struct mount_entry *m = mount_list_find_for_path(fstab, path);
		const char *dev = m ? m->source : "(not in /etc/fstab)";
		json_t *v = json_object_get(vols, dev);
		if (!v) {
			v = json_pack("{s:[], s:s, s:n, s:n, s:n, s:n, s:n}", "paths", "device", dev, "vg", "lv", "lv_type", "thin_pool",
				      "problem");
			json_object_set_new(vols, dev, v);
		}
		json_array_append_new(json_object_get(v, "paths"), json_string(path));
	}
	return vols;
}

static bool holds(json_t *vol, const char *path)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(vol, "paths"), i, p)
		if (!strcmp(json_string_value(p), path))
			return true;
	return false;
}

/* Fill vol's LVM facts and estimate; adds its thick extents to its VG in vgs. */
static void volume_plan(json_t *vol, json_t *vgs, long long est, long long min_b, int margin)
{
	const char *dev = json_string_value(json_object_get(vol, "device"));
	long long e = holds(vol, "/usr") || (holds(vol, "/") && !json_object_get(vgs, "\x01usr-separate")) ? est : 0;
	long long need = e * (100 + margin) / 100;
	if (need < min_b)
		need = min_b;
	json_object_set_new(vol, "estimate_bytes", json_integer(need));
	_cleanup_free_ char *vg = NULL, *lv = NULL;
	if (lv_of_device(dev, &vg, &lv) < 0) {
		json_object_set_new(vol, "problem", json_sprintf("%s is not an LVM logical volume (as /etc/fstab names it)", dev));
		return;
	}
	json_t *g = json_object_get(vgs, vg);
	if (!g) {
		char *problem = NULL;
		json_t *sum = vg_load(vg, &problem);
		g = sum ? sum : json_pack("{s:s, s:s}", "name", vg, "problem", problem);
		free(problem);
		json_object_set_new(g, "needed_extents", json_integer(0));
		json_object_set_new(vgs, vg, g);
	}
	json_object_set_new(vol, "vg", json_string(vg));
	json_object_set_new(vol, "lv", json_string(lv));
	const char *gp = json_string_value(json_object_get(g, "problem"));
	if (gp) {
		json_object_set_new(vol, "problem", json_string(gp));
		return;
	}
	json_t *l = lv_find(g, lv);
	if (!l) {
		json_object_set_new(vol, "problem", json_sprintf("/etc/lvm/backup/%s has no logical volume %s", vg, lv));
		return;
	}
	const char *type = json_string_value(json_object_get(l, "type"));
	json_object_set_new(vol, "lv_type", json_string(type));
	if (!strcmp(type, "thin")) {
		json_object_set(vol, "thin_pool", json_object_get(l, "thin_pool"));
		return;
	}
	if (strcmp(type, "linear")) {
		json_object_set_new(vol, "problem", json_sprintf("%s/%s is a %s volume: only linear and thin volumes are snapshotted",
								 vg, lv, type));
		return;
	}
	long long esz = json_integer_value(json_object_get(g, "extent_size_bytes"));
	long long ext = (need + esz - 1) / esz;
	json_object_set_new(g, "needed_extents", json_integer(json_integer_value(json_object_get(g, "needed_extents")) + ext));
}

/* The planned transaction's estimate: what the installed and upgraded packages bring. */
static long long transaction_estimate(long long expansion)
{
	json_t *pt = actor_consume_last("PlannedTransaction");
	long long sum = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(pt, "items"), i, it) {
		const char *a = json_string_value(json_object_get(it, "action")) ?: "";
		if (!strcmp(a, "install") || !strcmp(a, "upgrade") || !strcmp(a, "downgrade"))
			sum += json_integer_value(json_object_get(it, "size"));
	}
	json_decref(pt);
	return sum * expansion;
}

static void plan_report(json_t *plan, bool requested, bool possible, const char *numbers)
{
	json_t *e;
	if (possible)
		e = report_new("Rollback is possible: LVM snapshots can protect the upgrade", numbers, "info");
	else if (requested)
		e = report_new("LVM snapshots were requested but cannot be taken", numbers, "high");
	else
		e = report_new("Rollback is not possible: the system volumes cannot be snapshotted", numbers, "info");
	report_add_group(e, "filesystem");
	if (!possible && requested) {
		report_add_group(e, "inhibitor");
		report_add_hint(e, "Free extents in the volume groups (vgextend, or shrink another volume), or turn snapshots off "
				   "(snapshot.enabled: false in /etc/leapp/actor_conf.d, no --snapshot).");
	} else if (possible && !requested)
		report_add_hint(e, "Set snapshot.enabled: true in /etc/leapp/actor_conf.d/snapshot.yaml, or run leapp upgrade "
				   "--snapshot, to take them before the reboot.");
	actor_report(e);
	(void)plan;
}

static bool plan_numbers(json_t *vols, json_t *vgs, struct buf *b)
{
	bool possible = true;
	const char *k;
	json_t *v;
	json_object_foreach(vols, k, v) {
		_cleanup_free_ char *ps = NULL;
		struct buf pb = {0};
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(v, "paths"), i, p)
			buf_printf(&pb, "%s%s", i ? ", " : "", json_string_value(p));
		ps = buf_steal(&pb);
		const char *problem = json_string_value(json_object_get(v, "problem"));
		const char *pool = json_string_value(json_object_get(v, "thin_pool"));
		buf_printf(b, "- %s (%s): ", k, ps);
		if (problem) {
			possible = false;
			buf_printf(b, "%s\n", problem);
		} else if (pool)
			buf_printf(b, "thin volume %s/%s: its snapshot takes space from thin pool %s as the upgrade writes (about %lld MiB)\n",
				   json_string_value(json_object_get(v, "vg")), json_string_value(json_object_get(v, "lv")), pool,
				   (long long)json_integer_value(json_object_get(v, "estimate_bytes")) / MIB);
		else
			buf_printf(b, "logical volume %s/%s: a snapshot of %lld MiB\n", json_string_value(json_object_get(v, "vg")),
				   json_string_value(json_object_get(v, "lv")),
				   (long long)json_integer_value(json_object_get(v, "estimate_bytes")) / MIB);
	}
	json_object_foreach(vgs, k, v) {
		if (json_object_get(v, "problem"))
			continue;
		long long esz = json_integer_value(json_object_get(v, "extent_size_bytes"));
		long long fr = json_integer_value(json_object_get(v, "free_extents"));
		long long need = json_integer_value(json_object_get(v, "needed_extents"));
		buf_printf(b, "- volume group %s: %lld free extents of %lld MiB (%lld MiB), the snapshots need %lld (%lld MiB)%s\n", k,
			   fr, esz / MIB, fr * esz / MIB, need, need * esz / MIB, need > fr ? ": NOT ENOUGH" : "");
		if (need > fr)
			possible = false;
	}
	return possible;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *cfg = actor_config();
	const char *env = getenv("LEAPP_SNAPSHOT");
	bool requested = json_is_true(json_object_get(cfg, "enabled")) || (env && !strcmp(env, "1"));
	int margin = (int)cfg_int(cfg, "margin_percent", 50);
	long long est = transaction_estimate(cfg_int(cfg, "expansion", 3));
	long long min_b = cfg_int(cfg, "min_size_mib", 256) * MIB;
	json_t *paths = json_object_get(cfg, "paths");
	json_t *dflt = json_pack("[s,s,s,s,s]", "/", "/usr", "/var", "/opt", "/home");
	if (!json_is_array(paths))
		paths = dflt;
	_cleanup_free_ char *fst = NULL;
	struct mount_list fstab = {0};
	if (fs_root_host_path("/etc/fstab", &fst) == 0)
		(void)fstab_load(fst, "/etc/fstab", &fstab);
	json_t *vols = volumes_collect(paths, &fstab);
	json_t *vgs = json_object();
	const struct mount_entry *usr = mount_list_find_target(&fstab, "/usr");
	if (usr)
		json_object_set_new(vgs, "\x01usr-separate", json_true());
	const char *k;
	json_t *v;
	json_object_foreach(vols, k, v)
		volume_plan(v, vgs, est, min_b, margin);
	json_object_del(vgs, "\x01usr-separate");
	struct buf b = {0};
	buf_printf(&b, "The planned transaction's packages come to about %lld MiB installed (their sizes times %lld), plus a "
		       "margin of %d%%; each snapshot holds at least %lld MiB.\n",
		   est / MIB, cfg_int(cfg, "expansion", 3), margin, min_b / MIB);
	bool possible = plan_numbers(vols, vgs, &b) && json_object_size(vols) > 0;
	_cleanup_free_ char *numbers = buf_steal(&b);
	actor_info("%s", numbers);
	plan_report(NULL, requested, possible, numbers);
	json_t *va = json_array(), *ga = json_array();
	json_object_foreach(vols, k, v)
		json_array_append(va, v);
	json_object_foreach(vgs, k, v)
		if (!json_object_get(v, "problem")) {
			json_t *tp = json_array();
			size_t i;
			json_t *l;
			json_array_foreach(json_object_get(v, "lvs"), i, l)
				if (!strcmp(json_string_value(json_object_get(l, "type")), "thin-pool"))
					json_array_append(tp, json_object_get(l, "name"));
			json_array_append_new(ga, json_pack("{s:s, s:O, s:O, s:O, s:o}", "name", k, "extent_size_bytes",
							    json_object_get(v, "extent_size_bytes"), "free_extents",
							    json_object_get(v, "free_extents"), "needed_extents",
							    json_object_get(v, "needed_extents"), "thin_pools", tp));
		}
	actor_produce("SnapshotPlan", json_pack("{s:b, s:b, s:o, s:o, s:i, s:I}", "requested", requested, "possible", possible,
						"volumes", va, "vgs", ga, "margin_percent", margin, "estimate_bytes",
						(json_int_t)est));
	json_decref(vols);
	json_decref(vgs);
	json_decref(dflt);
	mount_list_clear(&fstab);
	return actor_finish();
}
