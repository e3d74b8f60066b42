/* Checks: release 9 has no network-scripts; NetworkManager must bring up every interface the
 * ifcfg files configure. Upstream checkcustomnetworkscripts, checkifcfg and
 * networkdeprecations (their titles; all high inhibitors). */
#include <string.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

/* the ifcfg types NetworkManager handles, and the package that does it */
static const char *type_package(const char *type)
{
	static const char *const nm[] = {"ethernet", "ctc", "infiniband", "bond", "vlan", "bridge"};
	for (size_t i = 0; i < sizeof(nm) / sizeof(nm[0]); i++)
		if (!strcmp(type, nm[i]))
			return "NetworkManager";
	if (!strcmp(type, "wireless"))
		return "NetworkManager-wifi";
	if (!strcmp(type, "team"))
		return "NetworkManager-team";
	return NULL;
}

static void strv_add_unique(json_t *a, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (!strcmp(json_string_value(v), s))
			return;
	json_array_append_new(a, json_string(s));
}

/* a high network inhibitor naming files; summary gets the list appended */
static void inhibit(const char *title, const char *summary, const char *hint, const char *package, json_t *files)
{
	struct buf list = {0};
	json_t *e = report_new(title, NULL, "high");
	size_t i;
	json_t *f;
	json_array_foreach(files, i, f) {
		buf_printf(&list, "\n    - %s", json_string_value(f));
		report_add_resource(e, "file", json_string_value(f));
	}
	buf_append(&list, "", 0);
	_cleanup_free_ char *s = xasprintf("%s%s", summary, list.data);
	json_object_set_new(e, "summary", json_string(s));
	report_add_group(e, "network");
	report_add_group(e, "services");
	report_add_group(e, "inhibitor");
	report_add_hint(e, hint);
	if (package)
		report_add_resource(e, "package", package);
	actor_report(e);
	buf_free(&list);
}

static bool unit_enabled(json_t *units, const char *unit)
{
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(units, "enabled"), i, u)
		if (!strcmp(json_string_value(u) ?: "", unit))
			return true;
	return false;
}

/* the ifcfg files: types NetworkManager lacks, NM_CONTROLLED=no, and the packages they need */
static void check_ifcfg(json_t *ifcfg, json_t *installed, json_t *pkgs)
{
	json_t *bad = json_array(), *unmanaged = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(ifcfg, i, c) {
		const char *file = json_string_value(json_object_get(c, "file"));
		if (json_is_true(json_object_get(c, "routing_rules")))
			strv_add_unique(pkgs, "NetworkManager-dispatcher-routing-rules");
		const char *type = json_string_value(json_object_get(c, "type"))
					   ?: json_string_value(json_object_get(c, "type_inferred")) ?: "ethernet";
		const char *pkg = type_package(type);
		if (!pkg || json_is_true(json_object_get(c, "conflicting_types")))
			json_array_append_new(bad, json_string(file));
		else if (!json_is_true(json_object_get(c, "nm_controlled")))
			json_array_append_new(unmanaged, json_string(file));
		if (pkg)
			strv_add_unique(pkgs, pkg);
	}
	if (json_array_size(bad))
		inhibit("Network configuration for unsupported device types detected",
			"Release 9 has no legacy network-scripts: NetworkManager must bring up every interface, and it "
			"does not handle the device type (TYPE, DEVICETYPE) these ifcfg files set:",
			"Change these files to a type nm-settings-ifcfg-rh(5) lists (Ethernet, Bond, Bridge, Vlan, "
			"InfiniBand, Wireless, Team), or remove the configurations NetworkManager cannot handle.",
			"NetworkManager", bad);
	if (json_array_size(unmanaged))
		inhibit("Network configuration with disabled NetworkManager support detected",
			"Release 9 has no legacy network-scripts, so interfaces that NetworkManager is told to leave "
			"alone (NM_CONTROLLED=no) would not come up at all after the upgrade. These ifcfg files set it:",
			"Remove the NM_CONTROLLED line from these files (check that they follow nm-settings-ifcfg-rh(5)) "
			"and let NetworkManager manage the interfaces before the upgrade.",
			"NetworkManager", unmanaged);
	if (json_array_size(pkgs) && !fact_installed_rpm_has(installed, "NetworkManager"))
		/* behave as network-scripts did: no automatic DHCP on unconfigured interfaces */
		strv_add_unique(pkgs, "NetworkManager-config-server");
	json_decref(bad);
	json_decref(unmanaged);
}

static void check_wep_and_service(json_t *net, json_t *units, json_t *installed)
{
	json_t *wep = json_array(), *managed = json_array();
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(net, "ifcfg"), i, c) {
		if (json_is_true(json_object_get(c, "wep")))
			json_array_append(wep, json_object_get(c, "file"));
		if (json_is_true(json_object_get(c, "nm_controlled")))
			json_array_append(managed, json_object_get(c, "file"));
	}
	json_array_extend(wep, json_object_get(net, "wep_keyfiles"));
	if (json_array_size(wep))
		inhibit("Wireless networks using unsupported WEP encryption detected",
			"Release 9 no longer supports WEP, whose security is broken: the wireless networks these files "
			"configure with it would not connect after the upgrade:",
			"Move these networks to WPA2 or WPA3 (and change the files to match), or remove their "
			"configuration before the upgrade.",
			"NetworkManager-wifi", wep);
	/* NetworkManager not installed at all: the transaction installs it, and its preset enables it */
	if (json_array_size(managed) && fact_installed_rpm_has(installed, "NetworkManager") &&
	    !unit_enabled(units, "NetworkManager.service"))
		inhibit("ifcfg files expect NetworkManager but the service is disabled",
			"NetworkManager.service is not enabled, but ifcfg files configure interfaces without "
			"NM_CONTROLLED=no. Today network-scripts bring them up; release 9 has only NetworkManager, so the "
			"machine would come up without these interfaces (possibly without any network):",
			"Enable NetworkManager before the upgrade (systemctl enable NetworkManager), or set "
			"NM_CONTROLLED=no in the files of interfaces nothing should bring up.",
			"NetworkManager", managed);
	json_decref(wep);
	json_decref(managed);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *net = actor_consume_last("NetworkConfig");
	json_t *units = actor_consume_last("SystemdUnits");
	json_t *installed = actor_consume_last("InstalledRPM");
	json_t *ipu = ipu_config_get();
	if (net && ipu_target_major(ipu) >= 9) {
		json_t *scripts = json_object_get(net, "custom_scripts");
		if (json_array_size(scripts))
			inhibit("custom network-scripts detected",
				"Release 9 has no legacy network-scripts (deprecated in release 8), so these hooks "
				"they run when interfaces go up or down would never run again:",
				"Rewrite what these scripts do as NetworkManager dispatcher scripts (in "
				"/etc/NetworkManager/dispatcher.d, see NetworkManager-dispatcher(8)) and remove them "
				"before the upgrade.",
				NULL, scripts);
		json_t *pkgs = json_array();
		/* as upstream: without network-scripts, NetworkManager already runs these files today */
		if (fact_installed_rpm_has(installed, "network-scripts"))
			check_ifcfg(json_object_get(net, "ifcfg"), installed, pkgs);
		check_wep_and_service(net, units, installed);
		if (json_array_size(pkgs))
			actor_produce("RpmTransactionTasks",
				      json_pack("{s:o, s:s}", "to_install", pkgs, "reason",
						"NetworkManager takes over the ifcfg network configuration"));
		else
			json_decref(pkgs);
	}
	json_decref(net);
	json_decref(units);
	json_decref(installed);
	json_decref(ipu);
	return actor_finish();
}
