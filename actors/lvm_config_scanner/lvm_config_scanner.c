/* FactsCollection: how LVM selects its devices (upstream's scanlvmconfig): the devices section
 * of /etc/lvm/lvm.conf under --root, read with the LVM text-format reader of the sys domain
 * (the format of lvm.conf and of the metadata backups). Only when the distribution's lvm2 is
 * installed. use_devicesfile defaults to what the source release's lvm2 does: 0 on 8, 1 later. */
#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

static const char LVM_CONF[] = "/etc/lvm/lvm.conf";

/* a list of strings (or one string) as a JSON array of strings */
static json_t *strings(json_t *v)
{
	json_t *out = json_array();
	if (json_is_string(v))
		json_array_append(out, v);
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
		if (json_is_string(e))
			json_array_append(out, e);
	return out;
}

static json_t *devices_section(json_t *conf, int src_major)
{
	json_t *dev = json_object_get(conf, "devices");
	json_t *use = json_object_get(dev, "use_devicesfile");
	bool use_df = json_is_integer(use) ? json_integer_value(use) == 1 : src_major > 8;
	const char *df = json_string_value(json_object_get(dev, "devicesfile")) ?: "system.devices";
	_cleanup_free_ char *dfpath = xasprintf("/etc/lvm/devices/%s", df);
	struct stat st;
	bool exists = !strchr(df, '/') && fs_root_stat(dfpath, true, &st) == 0 && S_ISREG(st.st_mode);
	return json_pack("{s:b, s:s, s:b, s:o, s:o}", "use_devicesfile", use_df, "devicesfile", df, "devicesfile_exists", exists,
			 "filter", strings(json_object_get(dev, "filter")), "global_filter",
			 strings(json_object_get(dev, "global_filter")));
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *signed_rpms = actor_consume_last("DistributionSignedRPM");
	bool lvm2 = fact_installed_rpm_has(signed_rpms, "lvm2");
	json_decref(signed_rpms);
	if (!lvm2) {
		actor_debug("the distribution's lvm2 is not installed: nothing to scan");
		return actor_finish();
	}
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = fs_root_read(LVM_CONF, 4 << 20, &data, &len);
	if (r < 0) {
		if (r != -ENOENT)
			actor_warning("%s: %s", LVM_CONF, strerror(-r));
		else
			actor_debug("%s is not present", LVM_CONF);
		return actor_finish();
	}
	json_t *ipu = ipu_config_get();
	int src = ipu_source_major(ipu) > 0 ? ipu_source_major(ipu) : 8;
	json_decref(ipu);
	json_t *conf = NULL;
	_cleanup_free_ char *err = NULL;
	json_t *msg;
	if (lvm_metadata_parse(data, len, LVM_CONF, &conf, &err) < 0) {
		actor_warning("%s", err);
		msg = json_pack("{s:b, s:s}", "use_devicesfile", src > 8, "error", err);
	} else {
		msg = devices_section(conf, src);
		actor_info("%s: use_devicesfile=%d, devices file %s%s, %zu filter and %zu global_filter entries", LVM_CONF,
			   json_is_true(json_object_get(msg, "use_devicesfile")),
			   json_string_value(json_object_get(msg, "devicesfile")),
			   json_is_true(json_object_get(msg, "devicesfile_exists")) ? "" : " (missing)",
			   json_array_size(json_object_get(msg, "filter")), json_array_size(json_object_get(msg, "global_filter")));
	}
	json_decref(conf);
	actor_produce("LVMConfig", msg);
	return actor_finish();
}
