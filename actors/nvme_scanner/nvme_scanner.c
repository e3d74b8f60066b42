/* FactsCollection: the NVMe controllers the kernel knows (<root>/sys/class/nvme/<ctrl>), each
 * with its transport (pcie, fc, tcp, rdma, loop) and the namespaces (block devices) it serves,
 * and the host identity NVMe over Fabrics needs (/etc/nvme/hostid, /etc/nvme/hostnqn); the
 * facts upstream's scannvme collects, plus the namespaces, which check_nvme needs to tell
 * which controller holds a filesystem of fstab. Files only: no nvme-cli. */
#include <ctype.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"

/* nvme<A>n<B> or nvme<A>c<C>n<B> (a path of a multipath namespace): the block device name as
 * /dev shows it (nvme<A>n<B>; for the path form the subsystem's head device), or NULL. */
static char *namespace_name(const char *e)
{
	if (strncmp(e, "nvme", 4) || !isdigit((unsigned char)e[4]))
		return NULL;
	const char *p = e + 4;
	while (isdigit((unsigned char)*p))
		p++;
	size_t ctl_len = (size_t)(p - e);
	if (*p == 'c') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p != 'n' || !isdigit((unsigned char)p[1]))
		return NULL;
	for (const char *q = p + 1; *q; q++)
		if (!isdigit((unsigned char)*q))
			return NULL;
	return xasprintf("%.*s%s", (int)ctl_len, e, p);
}

/* one line of a small file, trimmed; NULL when missing or empty */
static char *read_trimmed(const char *path)
{
	_cleanup_free_ char *data = NULL;
	int r = fs_root_read(path, 4096, &data, NULL);
	if (r < 0) {
		if (r != -ENOENT)
			actor_warning("%s: %s", path, strerror(-r));
		else
			actor_debug("%s is missing", path);
		return NULL;
	}
	const char *s = str_strip(data);
	return *s ? xstrdup(s) : NULL;
}

static json_t *scan_controller(const char *name)
{
	_cleanup_free_ char *dir = xasprintf("/sys/class/nvme/%s", name);
	_cleanup_free_ char *tpath = xasprintf("%s/transport", dir);
	_cleanup_free_ char *transport = read_trimmed(tpath);
	if (!transport) {
		actor_warning("%s: no transport (%s missing or empty): the controller is not counted", name, tpath);
		return NULL;
	}
	json_t *ns = json_array();
	char **entries = NULL;
	if (fs_root_dir_list(dir, NULL, &entries) >= 0) {
		for (char **e = entries; *e; e++) {
			char *n = namespace_name(*e);
			bool seen = false;
			size_t i;
			json_t *v;
			json_array_foreach(ns, i, v)
				seen |= n && !strcmp(json_string_value(v), n);
			if (n && !seen)
				json_array_append_new(ns, json_string(n));
			free(n);
		}
		fs_strv_free(entries);
	}
	return json_pack("{s:s, s:s, s:s, s:o}", "name", name, "sys_class_path", dir, "transport", transport, "namespaces",
			 ns);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	char **ctrls = NULL;
	int n = fs_root_dir_list("/sys/class/nvme", NULL, &ctrls);
	if (n < 0) {
		if (n != -ENOENT)
			actor_warning("/sys/class/nvme: %s: NVMe devices not scanned", strerror(-n));
		else
			actor_debug("no /sys/class/nvme: NVMe is not in use");
		return actor_finish();
	}
	json_t *devices = json_array();
	for (char **c = ctrls; *c; c++) {
		json_t *d = scan_controller(*c);
		if (d)
			json_array_append_new(devices, d);
	}
	fs_strv_free(ctrls);
	if (json_array_size(devices) == 0) {
		actor_warning("/sys/class/nvme exists but lists no NVMe controller with a transport");
		json_decref(devices);
		return actor_finish();
	}
	_cleanup_free_ char *hostnqn = read_trimmed("/etc/nvme/hostnqn"), *hostid = read_trimmed("/etc/nvme/hostid");
	actor_info("%zu NVMe controller(s); hostnqn %s, hostid %s", json_array_size(devices), hostnqn ? "set" : "missing",
		   hostid ? "set" : "missing");
	actor_produce("NVMEInfo", json_pack("{s:o, s:s?, s:s?}", "devices", devices, "hostnqn", hostnqn, "hostid", hostid));
	return actor_finish();
}
