/* FactsCollection: release 9 drops the legacy network-scripts, so NetworkManager must take over
 * every ifcfg file; this reads what decides whether it can (upstream ifcfgscanner,
 * networkmanagerconnectionscanner, checkcustomnetworkscripts' file list). */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"
#include "fs.h"

#define IFCFG_DIR "/etc/sysconfig/network-scripts"
#define NM_CONN_DIR "/etc/NetworkManager/system-connections"

static bool is_false(const char *v)
{
	return v && (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "n") || !strcasecmp(v, "f") ||
		     !strcmp(v, "0"));
}

static bool regular_file(const char *abs_path)
{
	struct stat st;
	return fs_root_stat(abs_path, true, &st) == 0 && S_ISREG(st.st_mode);
}

/* el8's /sbin is a link to usr/sbin: look in both, report the name the admin knows */
static json_t *custom_scripts(void)
{
	static const char *const names[] = {"ifup-local", "ifup-pre-local", "ifdown-local", "ifdown-pre-local"};
	json_t *a = json_array();
	for (size_t i = 0; i < 4; i++) {
		_cleanup_free_ char *s = xasprintf("/sbin/%s", names[i]);
		_cleanup_free_ char *u = xasprintf("/usr/sbin/%s", names[i]);
		if (regular_file(s) || regular_file(u))
			json_array_append_new(a, json_string(s));
	}
	return a;
}

static bool file_exists(const char *abs_path)
{
	struct stat st;
	return fs_root_stat(abs_path, true, &st) == 0;
}

/* what NetworkManager's ifcfg-rh plugin takes a file without TYPE for */
static const char *infer_type(const char *data)
{
	static const struct {
		const char *key, *type;
	} hints[] = {{"BONDING_OPTS", "bond"}, {"TEAM_CONFIG", "team"}, {"ESSID", "wireless"},
		     {"BRIDGE_STP", "bridge"}, {"VLAN", "vlan"}, {"PHYSDEV", "vlan"}};
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		_cleanup_free_ char *v = sys_kv_get(data, hints[i].key, false);
		if (v && !is_false(v))
			return hints[i].type;
	}
	return "ethernet";
}

static json_t *ifcfg_fact(const char *name, const char *data)
{
	_cleanup_free_ char *file = xasprintf(IFCFG_DIR "/%s", name);
	_cleanup_free_ char *device = sys_kv_get(data, "DEVICE", false);
	_cleanup_free_ char *type = sys_kv_get(data, "TYPE", false);
	_cleanup_free_ char *devtype = sys_kv_get(data, "DEVICETYPE", false);
	_cleanup_free_ char *bmaster = sys_kv_get(data, "BONDING_MASTER", false);
	_cleanup_free_ char *nmc = sys_kv_get(data, "NM_CONTROLLED", false);
	char *t = type ? type : devtype;
	bool conflict = type && devtype && strcasecmp(type, devtype);
	if (bmaster && !is_false(bmaster)) {
		conflict |= t && strcasecmp(t, "bond");
		if (!t)
			t = "bond";
	}
	_cleanup_free_ char *lt = t ? xstrdup(t) : NULL;
	for (char *c = lt; c && *c; c++)
		*c = (char)tolower((unsigned char)*c);
	/* WEP: static keys here or in keys-NAME, or dynamic WEP */
	_cleanup_free_ char *keys_file = xasprintf(IFCFG_DIR "/keys-%s", name + strlen("ifcfg-"));
	_cleanup_free_ char *keys = NULL;
	(void)fs_root_read(keys_file, 1 << 20, &keys, NULL);
	bool wep = false;
	static const char *const wep_keys[] = {"KEY1", "KEY_PASSPHRASE1", "WEP_KEY_FLAGS"};
	for (size_t i = 0; i < 3; i++) {
		_cleanup_free_ char *a = sys_kv_get(data, wep_keys[i], false);
		_cleanup_free_ char *b = keys ? sys_kv_get(keys, wep_keys[i], false) : NULL;
		wep |= a || b;
	}
	_cleanup_free_ char *km = sys_kv_get(data, "KEY_MGMT", false);
	wep |= km && !strcasecmp(km, "IEEE8021X");
	_cleanup_free_ char *rule = xasprintf(IFCFG_DIR "/rule-%s", name + strlen("ifcfg-"));
	_cleanup_free_ char *rule6 = xasprintf(IFCFG_DIR "/rule6-%s", name + strlen("ifcfg-"));
	return json_pack("{s:s, s:s?, s:s?, s:s, s:b, s:b, s:b, s:b}", "file", file, "device", device, "type", lt,
			 "type_inferred", lt ? lt : infer_type(data), "conflicting_types", conflict, "nm_controlled",
			 !is_false(nmc), "wep", wep, "routing_rules", file_exists(rule) || file_exists(rule6));
}

static json_t *scan_ifcfg(void)
{
	json_t *a = json_array();
	char **names = NULL;
	int n = fs_root_dir_list(IFCFG_DIR, NULL, &names);
	if (n < 0 && n != -ENOENT)
		actor_warning("%s: cannot list it: %s", IFCFG_DIR, strerror(-n));
	for (int i = 0; i < n; i++) {
		const char *name = names[i];
		/* ifcfg-lo is the loopback; backups (ifcfg-eth0.bak, ~) are ignored by initscripts too */
		if (!str_startswith(name, "ifcfg-") || !strcmp(name, "ifcfg-lo") || strchr(name, '~') ||
		    str_endswith(name, ".bak") || str_endswith(name, ".orig") || str_endswith(name, ".rpmnew") ||
		    str_endswith(name, ".rpmsave"))
			continue;
		_cleanup_free_ char *f = xasprintf(IFCFG_DIR "/%s", name);
		_cleanup_free_ char *data = NULL;
		int r = fs_root_read(f, 1 << 20, &data, NULL);
		if (r < 0) {
			if (r != -EISDIR)
				actor_warning("%s: cannot read it: %s", f, strerror(-r));
			continue;
		}
		json_array_append_new(a, ifcfg_fact(name, data));
	}
	fs_strv_free(names);
	return a;
}

/* a keyfile's [wifi-security] key-mgmt: none and ieee8021x are static and dynamic WEP */
static bool keyfile_wep(const char *data)
{
	const char *sec = strstr(data, "[wifi-security]");
	if (!sec)
		return false;
	const char *next = strstr(sec + 1, "\n[");
	_cleanup_free_ char *body = next ? xstrndup(sec, (size_t)(next - sec)) : xstrdup(sec);
	_cleanup_free_ char *km = sys_kv_get(body, "key-mgmt", false);
	return km && (!strcmp(km, "none") || !strcmp(km, "ieee8021x"));
}

static json_t *scan_keyfiles(void)
{
	json_t *a = json_array();
	char **names = NULL;
	if (fs_root_dir_list(NM_CONN_DIR, NULL, &names) > 0)
		for (char **p = names; *p; p++) {
			_cleanup_free_ char *f = xasprintf(NM_CONN_DIR "/%s", *p);
			_cleanup_free_ char *data = NULL;
			if (fs_root_read(f, 1 << 20, &data, NULL) == 0 && keyfile_wep(data))
				json_array_append_new(a, json_string(f));
		}
	fs_strv_free(names);
	return a;
}

/* sys/class/net: the interfaces, and which are NICs (a device behind them) */
static json_t *scan_interfaces(bool *ret_known)
{
	json_t *a = json_array();
	char **names = NULL;
	int n = fs_root_dir_list("/sys/class/net", NULL, &names);
	*ret_known = n >= 0;
	if (n < 0)
		actor_warning("/sys/class/net: cannot list it (%s): the network interfaces are unknown", strerror(-n));
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *dev = xasprintf("/sys/class/net/%s/device", names[i]);
		_cleanup_free_ char *addr_file = xasprintf("/sys/class/net/%s/address", names[i]);
		_cleanup_free_ char *addr = NULL;
		if (fs_root_read(addr_file, 4096, &addr, NULL) == 0)
			str_strip(addr);
		json_array_append_new(a, json_pack("{s:s, s:b, s:s?}", "name", names[i], "physical", file_exists(dev),
						   "mac", addr && *addr ? str_strip(addr) : NULL));
	}
	fs_strv_free(names);
	return a;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	bool known = false;
	json_t *ifaces = scan_interfaces(&known);
	actor_produce("NetworkConfig", json_pack("{s:o, s:o, s:o, s:b, s:o}", "custom_scripts", custom_scripts(), "ifcfg",
						 scan_ifcfg(), "wep_keyfiles", scan_keyfiles(), "interfaces_known", known,
						 "interfaces", ifaces));
	return actor_finish();
}
