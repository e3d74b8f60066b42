/* Checks: the target release's systemd-udev may name NICs differently; pinning the source
 * release's naming scheme (net.naming-scheme=rhel-8.0, with the package that carries the
 * scheme's attribute list) keeps them. Kernel names (ethX) are assigned in probe order and
 * can swap, so several NICs named that way inhibit. Upstream emit_net_naming_scheme and
 * persistentnetnamesdisable. */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

/* does the command line have KEY (any value when value is NULL)? */
static bool cmdline_has(const char *cmdline, const char *key, const char *value)
{
	if (!cmdline)
		return false;
	_cleanup_free_ char *copy = xstrdup(cmdline);
	char *save = NULL;
	size_t klen = strlen(key);
	for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
		if (strncmp(t, key, klen) || (t[klen] != '=' && t[klen]))
			continue;
		if (!value || (t[klen] == '=' && !strcmp(t + klen + 1, value)))
			return true;
	}
	return false;
}

static bool is_ethx(const char *name)
{
	if (strncmp(name, "eth", 3) || !name[3])
		return false;
	for (const char *c = name + 3; *c; c++)
		if (*c < '0' || *c > '9')
			return false;
	return true;
}

static void produce_arg(const char *key, const char *value)
{
	json_t *arg = json_pack("{s:s, s:s}", "key", key, "value", value);
	actor_produce("UpgradeKernelCmdlineArgTasks", json_pack("{s:[O]}", "to_add", arg));
	actor_produce("TargetKernelCmdlineArgTasks", json_pack("{s:[o]}", "to_add", arg));
}

static void report_ethx(json_t *ethx, bool has_scheme)
{
	json_t *e = report_new("Unsupported network configuration", NULL, "high");
	struct buf list = {0};
	size_t i;
	json_t *n;
	json_array_foreach(ethx, i, n) {
		buf_printf(&list, "%s%s", i ? ", " : "", json_string_value(n));
		report_add_resource(e, "network-interface", json_string_value(n));
	}
	buf_append(&list, "", 0);
	_cleanup_free_ char *summary = xasprintf(
		"The machine has several network interface cards, and some use kernel names (%s). The kernel gives "
		"these names in the order it finds the cards, which can change with the target release's kernel and "
		"drivers, so the names may swap and the configuration would apply to the wrong card.",
		list.data);
	json_object_set_new(e, "summary", json_string(summary));
	report_add_group(e, "network");
	report_add_group(e, "inhibitor");
	report_add_hint(e, has_scheme ? "Give these interfaces persistent names of your own (a .link file in "
					"/etc/systemd/network matching each MAC address), change their configuration to "
					"the new names, reboot, and run the upgrade again."
				      : "Give these interfaces persistent names of your own (a .link file in "
					"/etc/systemd/network matching each MAC address) and change their configuration to "
					"the new names. If nothing configured them as ethX, udev may have kept kernel names "
					"because of a naming conflict in the current scheme: a newer net.naming-scheme on "
					"the kernel command line can resolve it.");
	report_add_external(e, "https://access.redhat.com/solutions/4067471",
			    "How to Perform an In-Place Upgrade when Using Kernel-Assigned NIC Names");
	actor_report(e);
	buf_free(&list);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *net = actor_consume_last("NetworkConfig");
	json_t *kernel = actor_consume_last("KernelInfo");
	json_t *ipu = ipu_config_get();
	int src = ipu_source_major(ipu), tgt = ipu_target_major(ipu);
	const char *cmdline = json_string_value(json_object_get(kernel, "cmdline"));
	if (tgt == 9) {
		/* the scheme's attribute list: in the upgrade environment and on the target */
		static const char *const pkg = "rhel-net-naming-sysattrs";
		static const char *const reason = "net.naming-scheme keeps the network interface names";
		actor_produce("TargetUserSpaceTasks", json_pack("{s:[s], s:s, s:s}", "packages", pkg, "reason", reason,
								"requester", "net_naming_scheme"));
		actor_produce("RpmTransactionTasks", json_pack("{s:[s], s:s}", "to_install", pkg, "reason", reason));
		if (cmdline && !cmdline_has(cmdline, "net.ifnames", "0") && !cmdline_has(cmdline, "net.naming-scheme", NULL)) {
			_cleanup_free_ char *scheme = xasprintf("rhel-%d.0", src);
			produce_arg("net.naming-scheme", scheme);
		} else if (!cmdline)
			actor_warning("the kernel command line is unknown: net.naming-scheme is not set for the upgrade");
	}
	json_t *physical = json_array(), *ethx = json_array();
	size_t i;
	json_t *ifc;
	json_array_foreach(json_object_get(net, "interfaces"), i, ifc) {
		const char *name = json_string_value(json_object_get(ifc, "name"));
		if (!name || !json_is_true(json_object_get(ifc, "physical")))
			continue;
		json_array_append_new(physical, json_string(name));
		if (is_ethx(name))
			json_array_append_new(ethx, json_string(name));
	}
	if (tgt > src && json_array_size(physical) == 1 && json_array_size(ethx) == 1 &&
	    !strcmp(json_string_value(json_array_get(ethx, 0)), "eth0"))
		/* one NIC named eth0: nothing can swap; keep the kernel name on the target */
		produce_arg("net.ifnames", "0");
	else if (tgt > src && json_array_size(physical) > 1 && json_array_size(ethx))
		report_ethx(ethx, cmdline_has(cmdline, "net.naming-scheme", NULL) || cmdline_has(cmdline, "net.ifnames", "0"));
	json_decref(physical);
	json_decref(ethx);
	json_decref(net);
	json_decref(kernel);
	json_decref(ipu);
	return actor_finish();
}
