/* Shared code of the upgrade-initramfs and boot actors: commands (optionally chrooted), file
 * copies, grubenv and BLS entry helpers, kernel command lines and dracut runs. */
#ifndef INITRAMFS_BOOTLIB_H
#define INITRAMFS_BOOTLIB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bls.h"

/* ---- environment ---- */

/* A LEAPP_* switch: set, and neither "" nor "0". */
bool env_flag(const char *name);
/* Host tools mode (DESIGN.md section 4): LEAPP_UNSUPPORTED=1 and LEAPP_DEVEL_USE_HOST_DRACUT=1.
 * When only the second is set, *ret_ignored (if given) is set: the caller says it is ignored. */
bool host_dracut_mode(bool *ret_ignored);
/* The data directory (LEAPP_DATADIR, else two folders above the actor's executable) and the
 * directory of the leapp command (LEAPP_BINDIR, else two above the data directory). malloc'd. */
char *leapp_datadir(void);
char *leapp_bindir(void);

/* ---- commands ---- */

struct run_opts {
	const char *const *argv;   /* argv[0]: a path, or a name looked up in PATH */
	const char *chroot;        /* NULL: the actor's root; else chroot here first (argv[0] then in it) */
	char *const *envp;         /* NULL: the actor's environment */
	const char *log_path;      /* stdout and stderr appended here; NULL: /dev/null */
};

/*
 * Run a command to completion, with nothing but fds 0-2 open (stdin /dev/null). Returns 0 with
 * the exit status in *ret_status (128 + N for a signal), or -errno when it could not start
 * (-ENOENT: no such command; a failed chroot or exec comes back as status 127).
 */
int run_command(const struct run_opts *o, int *ret_status);
/* The last lines of a log file, for error details ("" when none). malloc'd. */
char *log_tail(const char *path, int lines);
/* argv as one shell-quoted line, for logs. malloc'd. */
char *argv_to_string(const char *const *argv);

/* ---- files ---- */

/* Copy a regular file (following symlinks) to dst via dst.tmp, fsync, rename. The size goes
 * to *ret_size when given. Returns 0 or -errno. */
int copy_file(const char *src, const char *dst, mode_t mode, uint64_t *ret_size);
/* cp -a SRC DST (a tree, with links and modes). Returns 0 or -errno (-EIO: cp failed). */
int copy_tree(const char *src, const char *dst);
/* st_size of a file, 0 when absent. */
uint64_t file_size(const char *path);
bool is_dir(const char *path);
bool is_exec(const char *path);

/* ---- system facts under the root ---- */

/* grubenv as a host path: root/boot/grub2/grubenv with symlinks followed under the root (it
 * often points into the ESP). *ret_shown gets the path as the system sees it. */
char *grubenv_locate(const char *root, char **ret_shown);
/* /etc/machine-id under root, or NULL. */
char *machine_id_read(const char *root);
/* The architecture: IPUConfig's, else uname's. */
char *arch_get(void);
/* The kernel versions under DIR/lib/modules that have a vmlinuz, newest first (rpm version
 * order). Returns the count; *ret is NULL-terminated. */
size_t kvers_list(const char *dir, char ***ret);
void kvers_free(char **v);   /* a NULL-terminated list (kvers_list) */

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
void json_append_unique_str(json_t *list, const char *s);
/*
 * The union of every consumed message of model (UpgradeInitramfsTasks, TargetInitramfsTasks):
 * dracut modules by name (a module_path wins over none; two different paths for one name stop
 * the actor with an error), kernel modules by name, absolute file paths. New references.
 */
void initramfs_tasks_collect(const char *model, json_t **ret_mods, json_t **ret_kmods, json_t **ret_files);


/* ---- the leapp payload (payload.c) ---- */

/*
 * Stage the leapp payload of an upgrade image in the directory payload (emptied first), laid
 * out as the image gets it: usr/bin/leapp and leapp-msg, usr/share/leapp/{models,phases,files}
 * and every actor of an interim phase (InitRamStart up to the phase flagged restart-after, as
 * datadir's workflow lists them) found in the ':'-separated actor_dirs. Taken from the build that
 * runs leapp in the host-tools mode, from the target build in the userspace otherwise (DESIGN.md
 * section 10). Returns the names of the staged actors (new reference); stops the actor on error.
 */
json_t *payload_stage(const char *payload, const char *bindir, const char *datadir, const char *actor_dirs);

/* ---- the upgrade images (upgradeimage.c): the upgrade initramfs and the live image ---- */

/* The target userspace: TargetUserSpaceInfo's path (info), else /var/lib/leapp/el<N>userspace
 * under the root, with a warning. Stops the actor when it is not a directory, saying what it is
 * needed for (use). malloc'd. */
char *target_userspace_locate(json_t *info, const char *use);
/* The kernel version to build for: info's kernel_version when the userspace has its vmlinuz,
 * else the userspace's newest kernel; NULL when it has none. malloc'd. */
char *target_kver_pick(const char *userspace, json_t *info);
/* The kernel modules the tasks ask for (kmods: {name, module_path}) into the target kernel's tree
 * at kmoddir (extra/leapp), then depmod (chrooted into sysroot; NULL: the host's) of tree when any
 * came from a file, its log in area. Returns the driver names for dracut (new reference). */
json_t *kmods_install(json_t *kmods, const char *kmoddir, const char *sysroot, const char *tree, const char *kver,
		      const char *area);
/* leapp and its interim actors staged into payload (payload_stage): the build that runs here in
 * the host-tools mode (host; LEAPP_ACTORS_DIR when set), else the target userspace's. image names
 * the image in errors. Returns the staged actors' names; *ret_bindir is where leapp came from. */
json_t *payload_stage_leapp(const char *payload, const char *userspace, bool host, const char *image,
			    char **ret_bindir);

/* The upgrade boot files, as the system sees them (hmac NULL when the kernel has none). */
struct upgrade_boot_files {
	char *kernel, *initramfs, *hmac;
	uint64_t kernel_bytes, initramfs_bytes;
};
/*
 * Install the target kernel (kmoddir/vmlinuz, and its .hmac naming the new file) and initramfs
 * as /boot/vmlinuz-upgrade.<arch> and /boot/initramfs-upgrade.<arch>.img, when they fit in /boot
 * with the space of the earlier upgrade files they replace. When they do not: the inhibitor
 * "Not enough space in /boot for the <what>", the run stops after the phase, and false.
 */
bool upgrade_boot_install(const char *kmoddir, const char *initramfs, const char *arch, const char *what,
			  struct upgrade_boot_files *ret);
void upgrade_boot_files_clear(struct upgrade_boot_files *f);

/* ---- the upgrade boot entry ---- */

#define UPGRADE_ENTRY_TITLE "RHEL-Upgrade-Initramfs"

/* <machine-id>-upgrade.<arch>, the id of the upgrade entry (malloc'd), or NULL without a
 * machine id (from /etc/machine-id, else from the default entry's machine-id key). */
char *upgrade_entry_id(const char *root, const char *arch);
/* A log file for a command's output: in the actor's scratch directory (or /tmp). malloc'd. */
char *scratch_log(const char *name);
/*
 * Remove the upgrade entry: with the system's grubby when it has one (--remove-kernel), the
 * file itself otherwise (and when grubby left it); then grubenv's next_entry and saved_entry
 * when they name it. Safe to repeat. *ret_changed tells whether anything was removed.
 */
int upgrade_entry_remove(const char *root, const char *id, const char *kernel, bool *ret_changed, char **ret_err);

#endif
