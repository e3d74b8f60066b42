/* The boot loader steps of the interim phases: BootNext on EFI, GRUB's core image on BIOS. */
#include "boot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"
#include "leapp/util.h"

/* Run a program of root's /usr/sbin with arguments; 0 with the status, or -errno. */
static int run_in_root(const char *root, const char *const *argv, const char *log_path, int *ret_status)
{
	struct sys_run_opts o = {.argv = argv, .chroot = strcmp(root, "/") ? root : NULL, .log_path = log_path};
	return sys_command_run(&o, ret_status);
}

/* The value of "KEY: VALUE" lines in efibootmgr's output (4 hex digits), or NULL. */
static char *efi_field(const char *out, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = out; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, kl) || p[kl] != ':')
			continue;
		const char *v = p + kl + 1;
		while (*v == ' ')
			v++;
		size_t n = strspn(v, "0123456789ABCDEFabcdef");
		return n ? strndup(v, n) : NULL;
	}
	return NULL;
}

int efi_bootnext_ensure(const char *root, const char *log_path, bool *ret_set, char **ret_entry)
{
	/* efibootmgr's listing goes to a file of its own, parsed, then appended to the log */
	_cleanup_free_ char *tmpl = xstrdup("/tmp/leapp-efibootmgr.XXXXXX");
	int fd = mkstemp(tmpl);
	if (fd < 0)
		return -errno;
	close(fd);
	int st = 0;
	const char *const list[] = {"/usr/sbin/efibootmgr", NULL};
	int r = run_in_root(root, list, tmpl, &st);
	_cleanup_free_ char *out = NULL;
	size_t len = 0;
	if (r == 0)
		r = read_file(tmpl, 1 << 20, &out, &len);
	unlink(tmpl);
	if (r < 0)
		return r;
	if (st != 0)
		return -EIO;
	_cleanup_free_ char *current = efi_field(out, "BootCurrent");
	_cleanup_free_ char *next = efi_field(out, "BootNext");
	*ret_set = false;
	if (!current || next) {
		*ret_entry = TAKE_PTR(next);
		return 0;
	}
	const char *const set[] = {"/usr/sbin/efibootmgr", "--bootnext", current, NULL};
	r = run_in_root(root, set, log_path, &st);
	if (r < 0)
		return r;
	if (st != 0)
		return -EIO;
	*ret_set = true;
	*ret_entry = TAKE_PTR(current);
	return 0;
}

int grub_core_install(const char *root, const char *device, const char *log_path, int *ret_status)
{
	const char *const argv[] = {"/usr/sbin/grub2-install", device, NULL};
	return run_in_root(root, argv, log_path, ret_status);
}

char *efi_bootnext_describe(int r, bool set, const char *entry)
{
	if (r < 0)
		return xasprintf("BootNext not set: %s", r == -ENOENT ? "no /usr/sbin/efibootmgr"
						: r == -EIO   ? "efibootmgr failed"
							      : strerror(-r));
	if (set)
		return xasprintf("BootNext set to Boot%s (BootCurrent); BootOrder unchanged", entry);
	if (entry)
		return xasprintf("BootNext already Boot%s: left as it is", entry);
	return xstrdup("no BootCurrent in efibootmgr's listing: BootNext not set");
}
