/* FactsCollection: the PCI devices present, so a driver the target removed inhibits even when
 * it is not loaded (only in the initramfs, or blacklisted) and a device that lost its support
 * is found (upstream pcidevicesscanner, which runs lspci; this reads sysfs under --root). */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"
#include "fs.h"

#define PCI_DIR "/sys/bus/pci/devices"

/* a sysfs id file ("0x8086\n") as "8086"; NULL when unreadable or not 0x-hex */
static char *read_id(const char *slot, const char *attr)
{
	_cleanup_free_ char *f = xasprintf(PCI_DIR "/%s/%s", slot, attr);
	_cleanup_free_ char *data = NULL;
	if (fs_root_read(f, 64, &data, NULL) < 0)
		return NULL;
	char *s = str_strip(data);
	if (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2))
		s += 2;
	if (!*s || strspn(s, "0123456789abcdefABCDEF") != strlen(s))
		return NULL;
	for (char *c = s; *c; c++)
		if (*c >= 'A' && *c <= 'F')
			*c = (char)(*c - 'A' + 'a');
	return xstrdup(s);
}

/* the driver link's last component (.../drivers/ahci) */
static char *bound_driver(const char *slot)
{
	_cleanup_free_ char *rel = xasprintf(PCI_DIR "/%s/driver", slot);
	_cleanup_free_ char *target = NULL;
	if (fs_root_readlink(rel, &target) < 0 || !*target)
		return NULL;
	const char *base = strrchr(target, '/');
	return xstrdup(base ? base + 1 : target);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	char **slots = NULL;
	int n = fs_root_dir_list(PCI_DIR, NULL, &slots);
	if (n < 0)
		actor_warning(PCI_DIR ": cannot list it (%s): the PCI devices are unknown", strerror(-n));
	json_t *devs = json_array();
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *v = read_id(slots[i], "vendor"), *d = read_id(slots[i], "device");
		_cleanup_free_ char *sv = read_id(slots[i], "subsystem_vendor"), *sd = read_id(slots[i], "subsystem_device");
		_cleanup_free_ char *cls = read_id(slots[i], "class");
		_cleanup_free_ char *drv = bound_driver(slots[i]);
		if (!v || !d) {
			actor_warning(PCI_DIR "/%s: no readable vendor and device ids; skipped", slots[i]);
			continue;
		}
		_cleanup_free_ char *id = xasprintf("%s:%s:%s:%s", v, d, sv ? sv : "0000", sd ? sd : "0000");
		json_array_append_new(devs, json_pack("{s:s, s:s, s:s?, s:s?}", "slot", slots[i], "pci_id", id, "class_id",
						      cls, "driver", drv));
	}
	fs_strv_free(slots);
	actor_produce("PCIDevices", json_pack("{s:b, s:o}", "known", n >= 0, "devices", devs));
	return actor_finish();
}
