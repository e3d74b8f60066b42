/* Checks: NVMe devices through the upgrade (upstream's checknvme, the same decisions).
 *  - A filesystem of fstab on an NVMe controller whose transport the upgrade initramfs cannot
 *    bring up (anything but pcie and fc: tcp, rdma, loop...) inhibits. Unlike upstream, which
 *    compares fstab's device with the controller's name, the source is followed to its block
 *    device under --root (UUID=/LABEL=/PARTUUID= links in dev/disk, /dev/mapper through
 *    sys/block/<dm>/slaves, partitions to their namespace) and matched with the namespaces
 *    nvme_scanner found.
 *  - NVMe over Fabrics (fc, tcp, rdma) without /etc/nvme/hostid or /etc/nvme/hostnqn inhibits.
 *  - Otherwise, with any NVMe controller: the nvmf dracut module and nvme-cli (with the tools
 *    its module calls) in the upgrade initramfs and the target userspace (storage_initramfs_setup
 *    copies /etc/nvme's identity files into it), rd.nvmf.discover=fc,auto on the upgrade entry (not for the live image), and from
 *    release 8, where native NVMe multipath was not supported, nvme_core.multipath=N on the
 *    upgrade and target entries unless the system already sets it; two info entries say so.
 *    From release 9, nvme_core.multipath=N inhibits: release 10 needs native multipath. */
#include <libgen.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

static const char *const SAFE[] = {"pcie", "fc"};
static const char *const FABRICS[] = {"fc", "tcp", "rdma"};
static const char *const LINK = "https://red.ht/rhel-9-enabling-multipathing-on-nvme-devices";

static bool in(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, v[i]))
			return true;
	return false;
}

/* nvme0n1p2 -> nvme0n1; other names unchanged */
static char *strip_partition(const char *dev)
{
	char *d = xstrdup(dev);
	char *p = strrchr(d, 'p');
	if (str_startswith(d, "nvme") && p && p > d + 4 && p[1] && strspn(p + 1, "0123456789") == strlen(p + 1) &&
	    strchr(d + 4, 'n') && strchr(d + 4, 'n') < p)
		*p = '\0';
	return d;
}

/* the kernel block device names behind an fstab source, appended to out (dm devices followed
 * through sys/block/<dm>/slaves, a few levels) */
static void block_devices(const char *path, json_t *out, int depth)
{
	_cleanup_free_ char *target = NULL;
	_cleanup_free_ char *name = NULL;
	if (fs_root_readlink(path, &target) == 0) {
		_cleanup_free_ char *copy = xstrdup(target);
		name = xstrdup(basename(copy));
	} else {
		_cleanup_free_ char *copy = xstrdup(path);
		name = xstrdup(basename(copy));
	}
	_cleanup_free_ char *slaves = xasprintf("/sys/block/%s/slaves", name);
	char **v = NULL;
	if (depth < 4 && str_startswith(name, "dm-") && fs_root_dir_list(slaves, NULL, &v) > 0) {
		for (char **s = v; *s; s++) {
			_cleanup_free_ char *sp = xasprintf("/dev/%s", *s);
			block_devices(sp, out, depth + 1);
		}
		fs_strv_free(v);
		return;
	}
	fs_strv_free(v);
	json_array_append_new(out, json_string_nocheck(name));
}

static char *source_path(const char *src)
{
	static const char *const tags[][2] = {{"UUID=", "by-uuid"}, {"PARTUUID=", "by-partuuid"}, {"LABEL=", "by-label"},
					      {"PARTLABEL=", "by-partlabel"}};
	for (size_t i = 0; i < ELEMENTSOF(tags); i++)
		if (str_startswith(src, tags[i][0]))
			return xasprintf("/dev/disk/%s/%s", tags[i][1], src + strlen(tags[i][0]));
	return str_startswith(src, "/dev/") ? xstrdup(src) : NULL;
}

/* the controller (NVMEDevice) serving block device dev, or NULL */
static json_t *controller_of(json_t *devices, const char *dev)
{
	_cleanup_free_ char *ns = strip_partition(dev);
	size_t i, k;
	json_t *d, *v;
	json_array_foreach(devices, i, d)
		json_array_foreach(json_object_get(d, "namespaces"), k, v)
			if (!strcmp(json_string_value(v), ns))
				return d;
	return NULL;
}

static void check_fstab(json_t *devices, json_t *storage)
{
	_cleanup_free_ char *list = xstrdup("");
	size_t i, k;
	json_t *e, *b;
	json_array_foreach(json_object_get(storage, "fstab"), i, e) {
		_cleanup_free_ char *path = source_path(json_string_value(json_object_get(e, "source")) ?: "");
		if (!path)
			continue;
		json_t *blocks = json_array();
		block_devices(path, blocks, 0);
		json_array_foreach(blocks, k, b) {
			json_t *c = controller_of(devices, json_string_value(b));
			const char *tr = json_string_value(json_object_get(c, "transport"));
			if (c && !in(tr, SAFE, ELEMENTSOF(SAFE))) {
				char *n = xasprintf("%s\n    - /dev/%s (%s on %s, controller %s over %s)", list, json_string_value(b),
						    json_string_value(json_object_get(e, "target")),
						    json_string_value(json_object_get(e, "source")),
						    json_string_value(json_object_get(c, "name")), tr);
				free(list);
				list = n;
			}
		}
		json_decref(blocks);
	}
	if (!*list)
		return;
	_cleanup_free_ char *summary = xasprintf(
		"The system has NVMe devices with a transport type that is currently not handled during the upgrade process "
		"present in fstab: the upgrade environment could not reach them. Problematic devices:%s",
		list);
	json_t *r = report_new("NVMe devices with unhandled transport type present in fstab", summary, "high");
	report_add_group(r, "inhibitor");
	report_add_group(r, "filesystem");
	report_add_hint(r, "Only NVMe devices attached over PCIe or Fibre Channel can hold filesystems the upgrade "
			   "mounts. Move these filesystems, or comment their fstab lines out for the upgrade if the "
			   "system can boot and upgrade without them.");
	report_add_resource(r, "file", "/etc/fstab");
	actor_report(r);
}

/* NVMe-oF needs the host identity on both sides of the upgrade */
static bool check_fabrics_config(json_t *info, json_t *fabrics)
{
	bool nqn = json_is_string(json_object_get(info, "hostnqn")), id = json_is_string(json_object_get(info, "hostid"));
	if (json_array_size(fabrics) == 0 || (nqn && id))
		return false;
	_cleanup_free_ char *names = xstrdup("");
	size_t i;
	json_t *v;
	json_array_foreach(fabrics, i, v) {
		char *n = xasprintf("%s%s%s", names, i ? ", " : "", json_string_value(v));
		free(names);
		names = n;
	}
	const char *missing = !id && !nqn ? "/etc/nvme/hostid and /etc/nvme/hostnqn are"
				: !id	  ? "/etc/nvme/hostid is"
					  : "/etc/nvme/hostnqn is";
	_cleanup_free_ char *summary = xasprintf(
		"The system has NVMe-oF devices (%s), but %s missing. Both /etc/nvme/hostid and /etc/nvme/hostnqn must be "
		"present and configured for NVMe-oF: the upgrade environment connects to the devices with them.",
		names, missing);
	json_t *r = report_new("Missing NVMe configuration files required for the upgrade", summary, "high");
	report_add_group(r, "inhibitor");
	report_add_group(r, "filesystem");
	report_add_hint(r, "Create the missing files (nvme gen-hostnqn > /etc/nvme/hostnqn; the host id is a UUID, "
			   "e.g. uuidgen > /etc/nvme/hostid), matching what the storage targets allow.");
	actor_report(r);
	return true;
}

/* the value of key on the kernel command line: NULL absent, "" without a value */
static char *cmdline_value(const char *cmdline, const char *key)
{
	_cleanup_free_ char *c = xstrdup(cmdline ?: "");
	char *save = NULL;
	size_t kl = strlen(key);
	for (char *t = strtok_r(c, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
		if (!strncmp(t, key, kl) && (t[kl] == '=' || !t[kl]))
			return xstrdup(t[kl] ? t + kl + 1 : "");
	return NULL;
}

static void info_report(const char *title, const char *summary)
{
	json_t *r = report_new(title, summary, "info");
	report_add_group(r, "filesystem");
	report_add_group(r, "post");
	report_add_external(r, LINK, "Enabling native multipathing on NVMe devices.");
	actor_report(r);
}

static void multipath_tasks(json_t *ipu, const char *mpath, json_t *upgrade_args, json_t *target_args)
{
	int src = ipu_source_major(ipu);
	if (src == 8) {
		if (!mpath) {
			json_array_append_new(upgrade_args, json_pack("{s:s, s:s}", "key", "nvme_core.multipath", "value", "N"));
			json_array_append_new(target_args, json_pack("{s:s, s:s}", "key", "nvme_core.multipath", "value", "N"));
		}
		if (!mpath || strcmp(mpath, "Y")) {
			info_report("Native NVMe multipath is recommended on the target system.",
				    "Where the system uses dm-multipath on NVMe devices, the native NVMe multipath is "
				    "recommended on the target release instead. Change the configuration after the upgrade, "
				    "following the documentation linked.");
			info_report("Native NVMe multipath will be disabled on the target system.",
				    "So that the storage layout stays as it is through the upgrade, native NVMe multipath is "
				    "disabled: nvme_core.multipath=N is added to the upgrade and the target boot entries. "
				    "Where the system does not use multipath, remove nvme_core.multipath=N from the target "
				    "boot entry after the upgrade.");
		}
	}
}

static void upgrade_tasks(json_t *ipu, json_t *kinfo, json_t *live)
{
	json_t *upgrade_args = json_array(), *target_args = json_array();
	if (!json_is_true(json_object_get(live, "is_enabled")))
		json_array_append_new(upgrade_args, json_pack("{s:s, s:s}", "key", "rd.nvmf.discover", "value", "fc,auto"));
	_cleanup_free_ char *mpath = cmdline_value(json_string_value(json_object_get(kinfo, "cmdline")), "nvme_core.multipath");
	if (ipu_source_major(ipu) == 9 && mpath && !strcmp(mpath, "N")) {
		json_t *r = report_new(
			"NVMe native multipath must be enabled on the target system",
			"The system is booted with nvme_core.multipath=N, which disables native multipath for NVMe devices; "
			"the target release requires native multipath for NVMe over Fabrics. Change the system to native "
			"multipath before the upgrade.",
			"high");
		report_add_group(r, "inhibitor");
		report_add_group(r, "filesystem");
		report_add_hint(r, "Enable native multipath for NVMe devices as the documentation linked describes, and reboot.");
		report_add_external(r, LINK, "Enabling native multipathing on NVMe devices.");
		actor_report(r);
		json_decref(upgrade_args);
		json_decref(target_args);
		return;
	}
	multipath_tasks(ipu, mpath, upgrade_args, target_args);
	actor_produce("UpgradeKernelCmdlineArgTasks", json_pack("{s:o}", "to_add", upgrade_args));
	if (json_array_size(target_args))
		actor_produce("TargetKernelCmdlineArgTasks", json_pack("{s:o}", "to_add", target_args));
	else
		json_decref(target_args);
	actor_produce("UpgradeInitramfsTasks", json_pack("{s:[{s:s, s:n}], s:[]}", "include_dracut_modules", "name", "nvmf",
							 "module_path", "include_files"));
	json_t *tu = json_pack("{s:[s,s,s,s,s,s], s:s, s:s}", "packages", "nvme-cli", "iproute", "jq", "sed", "dracut",
			       "dracut-network", "reason", "the upgrade initramfs brings up the NVMe devices (dracut's nvmf module)",
			       "requester", "check_nvme");
	actor_produce("TargetUserSpaceTasks", tu);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *info = actor_consume_last("NVMEInfo");
	json_t *devices = json_object_get(info, "devices");
	if (json_array_size(devices) == 0) {
		actor_debug("no NVMe controller: nothing to check");
		json_decref(info);
		return actor_finish();
	}
	json_t *storage = actor_consume_last("StorageInfo"), *kinfo = actor_consume_last("KernelInfo");
	json_t *live = actor_consume_last("LiveModeConfig"), *ipu = ipu_config_get();
	if (!storage)
		actor_warning("no StorageInfo: which filesystems live on NVMe devices is not checked");
	json_t *fabrics = json_array();
	size_t i;
	json_t *d;
	json_array_foreach(devices, i, d)
		if (in(json_string_value(json_object_get(d, "transport")), FABRICS, ELEMENTSOF(FABRICS)))
			json_array_append(fabrics, json_object_get(d, "name"));
	check_fstab(devices, storage);
	check_fabrics_config(info, fabrics);
	upgrade_tasks(ipu, kinfo, live);
	actor_info("%zu NVMe controller(s), %zu over fabrics", json_array_size(devices), json_array_size(fabrics));
	json_decref(fabrics);
	json_decref(info);
	json_decref(storage);
	json_decref(kinfo);
	json_decref(live);
	json_decref(ipu);
	return actor_finish();
}
