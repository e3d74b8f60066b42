/*
 * The boot domain (actors/lib/boot/): BLS entries and grubenv, kernel command lines, grubby, dracut runs, kernel versions,
 * and the upgrade images (userspace, kernel, payload, /boot files) both boot paths stage.
 *
 * The one header of the domain: every actor using it includes "boot.h".
 */
#ifndef LEAPP_DOMAIN_BOOT_H
#define LEAPP_DOMAIN_BOOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>


/* ======== bls ======== */

/* Boot Loader Specification entries (/boot/loader/entries) and GRUB's grubenv block. */

/*
 * grubenv: "# GRUB Environment Block\n", then name=value lines, padded with '#' to exactly
 * 1024 bytes. grub-editenv escapes '\' and newline in values with a backslash.
 */
struct grubenv {
	char **names, **values;
	size_t n;
};

/* Load a grubenv file. -ENOENT when absent; -EINVAL when it is not a grubenv block. */
int grubenv_load(const char *path, struct grubenv *ret);
int grubenv_parse(const char *data, size_t len, struct grubenv *ret);
/* Borrowed value, or NULL when unset. */
const char *grubenv_get(const struct grubenv *env, const char *name);
/* Set (value != NULL) or unset (value == NULL) a variable. */
void grubenv_set(struct grubenv *env, const char *name, const char *value);
/* The 1024-byte block; -E2BIG when the variables do not fit (as grub-editenv refuses). */
int grubenv_format(const struct grubenv *env, char **ret, size_t *ret_len);
/* Write the block atomically (temp file + rename), mode 0644. */
int grubenv_save(const char *path, const struct grubenv *env);
void grubenv_clear(struct grubenv *env);
json_t *grubenv_to_json(const struct grubenv *env);

/*
 * A BLS entry: "key value" lines. The common keys have fields; every line is kept, in
 * order, in keys/values so that an entry can be rewritten without losing anything.
 */
struct bls_entry {
	char *id;       /* file name without ".conf" */
	char *file;     /* file name as shown: /boot/loader/entries/ID.conf */
	char *title, *version, *linux, *options, *machine_id, *grub_class, *grub_users, *grub_arg;
	char **initrd;  /* every initrd value (a line may list several) */
	size_t n_initrd;
	char **keys, **values;
	size_t n;
};

int bls_entry_parse(const char *id, const char *file, const char *data, size_t len, struct bls_entry *ret);
void bls_entry_clear(struct bls_entry *e);
/* "key value\n" lines, in the original order. */
char *bls_entry_format(const struct bls_entry *e);
/* Replace (or add, at the end) a key's first value; value NULL removes every line of key. */
void bls_entry_set(struct bls_entry *e, const char *key, const char *value);

/*
 * Load every *.conf in root + /boot/loader/entries, sorted the way grub2's blscfg shows
 * them: newest version first (rpm version order of the id), so entries[0] is what grub
 * boots when saved_entry is unset. Returns 0 (an absent directory gives no entries) or -errno.
 */
int bls_entries_load(const char *root, struct bls_entry **ret, size_t *ret_n);
void bls_entries_free(struct bls_entry *v, size_t n);

/* Expand $name and ${name} from env as grub does; unset variables expand to nothing.
 * Runs of whitespace are collapsed and the result trimmed. */
char *bls_expand(const char *s, const struct grubenv *env);

/* The index of the default entry: saved_entry names an id, a title or an index; unset or
 * not found means the first entry. -1 when there are no entries. */
int bls_default_index(const struct bls_entry *v, size_t n, const struct grubenv *env);

/* ======== boot files, grubby, dracut, the upgrade images ======== */

/* Host tools mode (DESIGN.md section 4): LEAPP_UNSUPPORTED=1 and LEAPP_DEVEL_USE_HOST_DRACUT=1.
 * When only the second is set, *ret_ignored (if given) is set: the caller says it is ignored. */
bool dracut_host_mode(bool *ret_ignored);

/* ---- system facts under the root ---- */

/* grubenv as a host path: root/boot/grub2/grubenv with symlinks followed under the root (it
 * often points into the ESP). *ret_shown gets the path as the system sees it. */
char *grubenv_locate(const char *root, char **ret_shown);
/* The kernel versions under DIR/lib/modules that have a vmlinuz, newest first (rpm version
 * order). Returns the count; *ret is NULL-terminated. */
size_t boot_kvers_list(const char *dir, char ***ret);
/* free the list with strv_free (leapp/util.h) */

/* ---- kernel command lines ---- */

/* Arguments, in order; a double-quoted value may hold spaces (key="a b"). */
struct cmdline {
	char **v;
	size_t n;
};
void cmdline_parse(struct cmdline *c, const char *s);
/* Remove every argument with this key (value NULL) or exactly key=value. */
void cmdline_remove(struct cmdline *c, const char *key, const char *value);
/* Append key[=value] unless that exact argument is there. */
void cmdline_add(struct cmdline *c, const char *key, const char *value);
char *cmdline_format(const struct cmdline *c);
void cmdline_clear(struct cmdline *c);

/* ---- BLS entries and grubby ---- */

/* The system's grubby ("/usr/sbin/grubby" when root has it executable), or NULL. */
const char *grubby_find(const char *root);
/* Run the system's grubby (chrooted unless root is "/"), output into log. Returns 0 or -errno;
 * a non-zero exit is -EIO. */
int grubby_run(const char *root, const char *const *args, const char *log_path);

/* The folder boot files are named relative to, as the default entry names its kernel:
 * "/" when /boot is its own filesystem (linux /vmlinuz-...), "/boot/" when not. */
char *bls_boot_prefix(const struct bls_entry *def);

/* Write an entry file (key value lines) atomically, mode 0644. */
int bls_entry_write(const char *path, const struct bls_entry *e);

/* Load grubenv (host path); an absent file gives an empty environment. -EINVAL: not a block. */
int grubenv_load_or_empty(const char *path, struct grubenv *ret);

/* ---- dracut ---- */

struct dracut_build {
	/* in */
	const char *sysroot;         /* NULL: the host's dracut; else chroot into this tree and run its dracut */
	const char *area;            /* host path of the build area (its dracut/, tmp/, conf.d/ are recreated); inside sysroot when that is set */
	const char *kver;
	const char *kmoddir;         /* host path of lib/modules/<kver> */
	const char *output;          /* host path of the image to write; inside sysroot when that is set */
	json_t *dracut_modules;      /* [{name, module_path}]: --add, the module_path ones copied in */
	json_t *drivers;             /* [names]: --add-drivers */
	json_t *files;               /* [paths as dracut sees them]: --install */
	const char *payload;         /* host path exported as LEAPP_INITRAMFS_PAYLOAD (inside sysroot when set) */
	int hostonly;                /* 1: --hostonly, 0: --no-hostonly, -1: as dracut's configuration says */
	bool own_config;             /* true: --conf /dev/null, an empty --confdir, no mdadm/lvm configs */
	json_t *extra_args;          /* [strings] appended before the output */
	/* out */
	char *log_path;              /* host path of dracut's output */
	char *command;               /* the command line, as run */
	double seconds;
};

/* Where dracut lives in a tree ("/usr/bin/dracut" or "/usr/sbin/dracut"), or NULL. */
const char *dracut_find(const char *tree);
/* Copy a kernel module file into kmoddir/extra/leapp/ (for depmod). The file name is returned. */
int dracut_add_kmod_file(const char *kmoddir, const char *src, char **ret_name);
/* Run depmod for kver: chrooted into sysroot (its depmod) or the host's with -b. */
int dracut_depmod(const char *sysroot, const char *tree, const char *kver, const char *log_path, char **ret_err);
/* Build the image. 0, or -errno with the reason (and dracut's last lines) in *ret_err. */
int dracut_build_run(struct dracut_build *b, char **ret_err);
void dracut_build_clear(struct dracut_build *b);

/* ---- initramfs tasks ---- */

/* Append s to a JSON list of strings unless it is there. */
void boot_list_add_unique(json_t *list, const char *s);
/*
 * The union of every consumed message of model (UpgradeInitramfsTasks, TargetInitramfsTasks):
 * dracut modules by name (a module_path wins over none; two different paths for one name stop
 * the actor with an error), kernel modules by name, absolute file paths. New references.
 */
void boot_initramfs_tasks_collect(const char *model, json_t **ret_mods, json_t **ret_kmods, json_t **ret_files);

/* ---- the leapp payload (payload.c) ---- */

/*
 * Stage the leapp payload of an upgrade image in the directory payload (emptied first), laid
 * out as the image gets it: usr/bin/leapp and leapp-msg, usr/share/leapp/{models,phases,files}
 * and every actor of an interim phase (InitRamStart up to the phase flagged restart-after, as
 * datadir's workflow lists them) found in the ':'-separated actor_dirs. Taken from the build that
 * runs leapp in the host-tools mode, from the target build in the userspace otherwise (DESIGN.md
 * section 10). Returns the names of the staged actors (new reference); stops the actor on error.
 */
json_t *image_payload_stage(const char *payload, const char *bindir, const char *datadir, const char *actor_dirs);

/* ---- the upgrade images (upgradeimage.c): the upgrade initramfs and the live image ---- */

/* The target userspace: TargetUserSpaceInfo's path (info), else /var/lib/leapp/el<N>userspace
 * under the root, with a warning. Stops the actor when it is not a directory, saying what it is
 * needed for (use). malloc'd. */
char *image_userspace_locate(json_t *info, const char *use);
/* The kernel version to build for: info's kernel_version when the userspace has its vmlinuz,
 * else the userspace's newest kernel; NULL when it has none. malloc'd. */
char *image_kver_pick(const char *userspace, json_t *info);
/* The kernel modules the tasks ask for (kmods: {name, module_path}) into the target kernel's tree
 * at kmoddir (extra/leapp), then depmod (chrooted into sysroot; NULL: the host's) of tree when any
 * came from a file, its log in area. Returns the driver names for dracut (new reference). */
json_t *image_kmods_install(json_t *kmods, const char *kmoddir, const char *sysroot, const char *tree, const char *kver,
		      const char *area);
/* leapp and its interim actors staged into payload (image_payload_stage): the build that runs here in
 * the host-tools mode (host; LEAPP_ACTORS_DIR when set), else the target userspace's. image names
 * the image in errors. Returns the staged actors' names; *ret_bindir is where leapp came from. */
json_t *image_payload_stage_leapp(const char *payload, const char *userspace, bool host, const char *image,
			    char **ret_bindir);

/* The upgrade boot files, as the system sees them (hmac NULL when the kernel has none). */
struct image_boot_files {
	char *kernel, *initramfs, *hmac;
	uint64_t kernel_bytes, initramfs_bytes;
};
/*
 * Install the target kernel (kmoddir/vmlinuz, and its .hmac naming the new file) and initramfs
 * as /boot/vmlinuz-upgrade.<arch> and /boot/initramfs-upgrade.<arch>.img, when they fit in /boot
 * with the space of the earlier upgrade files they replace. When they do not: the inhibitor
 * "Not enough space in /boot for the <what>", the run stops after the phase, and false.
 */
bool image_boot_files_install(const char *kmoddir, const char *initramfs, const char *arch, const char *what,
			      struct image_boot_files *ret);
/* Free what image_boot_files_install() put in *f (not f itself). */
void image_boot_files_clear(struct image_boot_files *f);

/* ---- the upgrade boot entry ---- */

#define UPGRADE_ENTRY_TITLE "RHEL-Upgrade-Initramfs"

/* <machine-id>-upgrade.<arch>, the id of the upgrade entry (malloc'd), or NULL without a
 * machine id (from /etc/machine-id, else from the default entry's machine-id key). */
char *boot_upgrade_entry_id(const char *root, const char *arch);
/*
 * Remove the upgrade entry: with the system's grubby when it has one (--remove-kernel), the
 * file itself otherwise (and when grubby left it); then grubenv's next_entry and saved_entry
 * when they name it. Safe to repeat. *ret_changed tells whether anything was removed. 0, or
 * -errno with what failed in *ret_err.
 */
int boot_upgrade_entry_remove(const char *root, const char *id, const char *kernel, bool *ret_changed, char **ret_err);

/* ======== the boot loader steps of the interim phases (bootfix.c) ======== */

/*
 * EFI: make the firmware boot the entry it booted this time (BootCurrent) once more, whatever
 * BootOrder says, by setting BootNext, unless BootNext is set already (upstream's
 * efi_reboot_fix). BootOrder is not touched. efibootmgr runs in root (chrooted when root is
 * not "/"); log_path gets its output. Returns 0 (ret_set: BootNext was set, ret_entry: the
 * entry, malloc'd) or -errno; -ENOENT: no efibootmgr in root.
 */
int efi_bootnext_ensure(const char *root, const char *log_path, bool *ret_set, char **ret_entry);

/* What efi_bootnext_ensure() did, in words for the log (r: its return value). malloc'd. */
char *efi_bootnext_describe(int r, bool set, const char *entry);

/* Run grub2-install DEVICE in root (chrooted when root is not "/"). Returns 0 with the exit
 * status in *ret_status, or -errno (-ENOENT: no grub2-install in root). */
int grub_core_install(const char *root, const char *device, const char *log_path, int *ret_status);

#endif
