/* InterimPreparation: the network in the upgrade initramfs, only with the experimental switch
 * LEAPP_DEVEL_INITRAM_NETWORK, honoured with LEAPP_UNSUPPORTED=1 like the other devel switches
 * (upstream's: commonleappdracutmodules and addupgradebootentry).
 *   network-manager: dracut's network-manager module, NetworkManager in the target userspace,
 *     the system's keyfiles (/etc/NetworkManager/system-connections, NetworkManager.conf and
 *     conf.d), so that the interfaces come up as configured; ip=dhcp only when there are none.
 *   scripts: dracut's network module with ip=dhcp (its legacy scripts do not read ifcfg files).
 * Both: rd.neednet=1, and upgrade.service ordered after the network (a drop-in, in the dracut
 * module 99leapp-network this actor writes in its scratch directory). Without the switch,
 * nothing of the network goes in. */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "boot.h"
#include "sys.h"
#include "leapp/actor.h"
#include "fs.h"

static const char module_setup[] =
	"#!/bin/bash\n"
	"# dracut module leapp-network, written by leapp's initram_network: the system's network\n"
	"# configuration for the upgrade initramfs, and upgrade.service after the network.\n"
	"check() { return 255; }\n"
	"depends() { echo systemd; }\n"
	"install() {\n"
	"    local f\n"
	"    inst_simple \"$moddir/50-leapp-network.conf\" \"$systemdsystemunitdir/upgrade.service.d/50-leapp-network.conf\"\n"
	"    [ -d \"$moddir/files\" ] || return 0\n"
	"    (cd \"$moddir/files\" && find . -type f) | while read -r f; do\n"
	"        inst_simple \"$moddir/files/${f#./}\" \"/${f#./}\"\n"
	"        case \"$f\" in */system-connections/*) chmod 0600 \"$initdir/${f#./}\" ;; esac\n"
	"    done\n"
	"}\n";

static const char dropin[] =
	"# written by leapp's initram_network (LEAPP_DEVEL_INITRAM_NETWORK): the upgrade after the network\n"
	"[Unit]\n"
	"Wants=network-online.target nm-wait-online-initrd.service\n"
	"After=network-online.target nm-wait-online-initrd.service dracut-initqueue.service\n"
	"[Service]\n"
	"# the addresses the upgrade starts with, in the journal (kept in leapp-upgrade.log)\n"
	"ExecStartPre=-/bin/sh -c \"ip -4 -o address show scope global\"\n";

static void write_or_die(const char *path, const void *data, size_t len, mode_t mode)
{
	_cleanup_free_ char *dir = xstrdup(path);
	*strrchr(dir, '/') = 0;
	mkdir_p(dir, 0755);
	int r = write_file_atomic(path, data, len, mode);
	if (r < 0)
		actor_error("cannot write the upgrade initramfs's network module", "%s: %s", path, strerror(-r));
}

/* Copy the regular files of a directory of the system (matching suffix, "" for all) into the
 * module's files/ tree. Returns how many. */
static size_t copy_dir(const char *moddir, const char *abs_dir, const char *suffix, mode_t mode)
{
	_cleanup_free_ char *dir = actor_path(abs_dir);
	struct dirent **list = NULL;
	int n = scandir(dir, &list, NULL, alphasort);
	size_t copied = 0;
	for (int i = 0; i < n; i++) {
		const char *f = list[i]->d_name;
		size_t fl = strlen(f), sl = strlen(suffix);
		_cleanup_free_ char *abs = xasprintf("%s/%s", abs_dir, f);
		_cleanup_free_ char *data = NULL;
		size_t len;
		if (f[0] != '.' && fl >= sl && !strcmp(f + fl - sl, suffix) &&
		    fs_root_read(abs, 1 << 20, &data, &len) == 0) {
			_cleanup_free_ char *dst = xasprintf("%s/files%s", moddir, abs);
			write_or_die(dst, data, len, mode);
			copied++;
		}
		free(list[i]);
	}
	free(list);
	return copied;
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	const char *mode = getenv("LEAPP_DEVEL_INITRAM_NETWORK");
	if (mode && *mode && !sys_env_flag("LEAPP_UNSUPPORTED")) {
		/* a devel switch, as LEAPP_DEVEL_USE_HOST_DRACUT: only with LEAPP_UNSUPPORTED=1 */
		actor_warning("LEAPP_DEVEL_INITRAM_NETWORK is ignored without LEAPP_UNSUPPORTED=1");
		mode = NULL;
	}
	bool nm = mode && !strcmp(mode, "network-manager"), scripts = mode && !strcmp(mode, "scripts");
	const char *scratch = actor_scratch_dir();
	if (!nm && !scripts) {
		if (mode && *mode)
			actor_warning("LEAPP_DEVEL_INITRAM_NETWORK=%s: not network-manager or scripts, ignored", mode);
		return actor_finish();
	}
	if (!scratch)
		actor_error("no scratch directory", "the network module for the upgrade initramfs needs one");
	_cleanup_free_ char *moddir = path_join(scratch, "/99leapp-network");
	rm_rf(moddir);
	_cleanup_free_ char *setup = path_join(moddir, "/module-setup.sh");
	write_or_die(setup, module_setup, strlen(module_setup), 0755);
	_cleanup_free_ char *dp = path_join(moddir, "/50-leapp-network.conf");
	write_or_die(dp, dropin, strlen(dropin), 0644);
	size_t conns = 0;
	if (nm) {
		conns = copy_dir(moddir, "/etc/NetworkManager/system-connections", "", 0600);
		copy_dir(moddir, "/etc/NetworkManager/conf.d", ".conf", 0644);
		_cleanup_free_ char *data = NULL;
		size_t len;
		if (fs_root_read("/etc/NetworkManager/NetworkManager.conf", 1 << 20, &data, &len) == 0) {
			_cleanup_free_ char *dst = xasprintf("%s/files/etc/NetworkManager/NetworkManager.conf", moddir);
			write_or_die(dst, data, len, 0644);
		}
		actor_produce("TargetUserSpaceTasks",
			      json_pack("{s:[s], s:s, s:s}", "packages", "NetworkManager", "reason",
					"LEAPP_DEVEL_INITRAM_NETWORK=network-manager: the upgrade initramfs runs NetworkManager",
					"requester", "initram_network"));
	}
	actor_produce("UpgradeInitramfsTasks",
		      json_pack("{s:[{s:s, s:n}, {s:s, s:s}]}", "include_dracut_modules", "name", nm ? "network-manager" : "network",
				"module_path", "name", "leapp-network", "module_path", moddir));
	json_t *add = json_pack("[{s:s, s:s}]", "key", "rd.neednet", "value", "1");
	if (!conns)
		json_array_append_new(add, json_pack("{s:s, s:s}", "key", "ip", "value", "dhcp"));
	actor_produce("UpgradeKernelCmdlineArgTasks", json_pack("{s:o}", "to_add", add));
	actor_info("LEAPP_DEVEL_INITRAM_NETWORK=%s: network in the upgrade initramfs, %zu connection file(s)%s", mode, conns,
		   conns ? "" : ", ip=dhcp");
	return actor_finish();
}
