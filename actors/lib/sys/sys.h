/*
 * The sys domain (actors/lib/sys/): readers of system facts and the system's commands: fact files and unknown-fact reports, the
 * workflow configuration (IPUConfig), data files, mounts and fstab, os-release, sshd_config,
 * running commands, the LEAPP_* switches, the architecture and machine id.
 *
 * The one header of the domain: every actor using it includes "sys.h".
 */
#ifndef LEAPP_DOMAIN_SYS_H
#define LEAPP_DOMAIN_SYS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ======== facts ======== */

/* Fact files under --root (DESIGN.md section 4) and the reports about facts that are unknown. */

/*
 * Report that a fact file could not be read, so the fact is unknown: a low-severity
 * warning, never an error (DESIGN.md section 4). The key is "unknown-fact:ABS_PATH", stable
 * for each file. what: the fact in words ("the memory size"); err: -errno.
 */
void fact_report_unknown(const char *abs_path, const char *what, int err);

/* The workflow configuration (IPUConfig): the consumed message when the actor consumes it,
 * else the one the broker passes in hello.workflow. New reference, or NULL when unknown. */
json_t *ipu_config_get(void);
/* Convenience accessors on an IPUConfig object; -1 / NULL when absent. */
int ipu_source_major(json_t *ipu);
int ipu_target_major(json_t *ipu);
const char *ipu_str(json_t *ipu, const char *field);

/* Is a package of this name installed? (InstalledRPM items) */
bool fact_installed_rpm_has(json_t *installed_rpm, const char *name);

/* ======== datafile ======== */

/* leapp's data files: /etc/leapp/files under --root, else the built-in default. */

/*
 * datafile_path("upgrade_paths.json") is <root>/etc/leapp/files/upgrade_paths.json when that
 * exists, else $LEAPP_DATADIR/files/upgrade_paths.json when that exists, else NULL. The name
 * may hold subdirectories ("distro/almalinux/gpg-signatures.json"). ret_shown, if given, gets
 * the name to show in messages (/etc/leapp/files/... or the built-in path).
 */
char *datafile_path(const char *name, char **ret_shown);

/* Load a data file as JSON. -ENOENT when neither copy exists; -EINVAL with
 * "/etc/leapp/files/NAME:LINE:COLUMN: problem" in *ret_err when it does not parse. */
int datafile_load_json(const char *name, json_t **ret, char **ret_err);

/*
 * Inhibit the upgrade because a data file is missing (no /etc/leapp/files copy and no
 * built-in default) or unreadable (it does not parse). r and err are what
 * datafile_load_json() returned. The key is "data-file:NAME", stable per file.
 */
void datafile_report_problem(const char *name, int r, const char *err);

/* ======== mounts ======== */

/* fstab and mountinfo through libmount, UUIDs through libblkid, and "which mount holds this path". */

struct mount_entry {
	char *source;      /* as written: UUID=..., /dev/vda1, host:/export */
	char *target;      /* mount point */
	char *fstype;
	char *options;     /* fstab: the options field; mountinfo: the VFS (per-mount) options */
	char *fs_options;  /* mountinfo: the super block options; fstab: NULL */
	char *uuid;        /* UUID= tag, or libblkid's answer for a device; NULL: unknown */
	bool network;      /* a network filesystem (libmount's netfs list: nfs, nfs4, cifs, smb3, ...) */
	int freq, passno;  /* fstab */
	int line;          /* fstab: the line number; mountinfo: 0 */
};

struct mount_list {
	struct mount_entry *v;
	size_t n;
	char **warnings;   /* parse problems ("/etc/fstab:12: ..."), the rest of the file is used */
	size_t n_warnings;
};

/* Parse an fstab file. shown: the name in warnings ("/etc/fstab"). Returns 0 or -errno
 * (-ENOENT: absent). */
int fstab_load(const char *path, const char *shown, struct mount_list *ret);
/* Parse a mountinfo file (proc/self/mountinfo format), or the same text from memory. */
int mountinfo_load(const char *path, const char *shown, struct mount_list *ret);
int mountinfo_parse(const char *data, size_t len, const char *shown, struct mount_list *ret);
void mount_list_clear(struct mount_list *l);

/* The entry whose target is the longest prefix of path (the mount that holds it), or NULL. */
const struct mount_entry *mount_list_find_for_path(const struct mount_list *l, const char *path);
/* The entry with exactly this target (the last one, as the kernel stacks mounts), or NULL. */
const struct mount_entry *mount_list_find_target(const struct mount_list *l, const char *target);

/* A network filesystem type? (nfs, nfs4, cifs, smb3, ... as libmount knows them) */
bool mount_fstype_is_network(const char *fstype);

/* libblkid: the filesystem UUID of a block device (the caller's to free), or NULL. Only
 * meaningful on the host. */
char *mount_device_uuid_get(const char *device);

/* JSON in the shapes of the FstabEntry and MountEntry models (libmsg/models/facts.yaml). */
json_t *fstab_entry_to_json(const struct mount_entry *e);
json_t *mount_entry_to_json(const struct mount_entry *e);

/* ======== LVM metadata (lvm.c) ======== */

/* Parse LVM2's text metadata format (the VG backups in /etc/lvm/backup/<vg>) into JSON: a
 * section is an object, "key = value" a string, integer, real or list. shown names the file in
 * errors ("/etc/lvm/backup/vg0:12: ..."). 0 or -EINVAL with *ret_err. */
int lvm_metadata_parse(const char *data, size_t len, const char *shown, json_t **ret, char **ret_err);
/* The VG of parsed metadata: {name, extent_size_bytes, pe_count (all PVs), free_extents (PV
 * extents minus those the striped/linear segments use), lvs: [{name, type (linear, thin-pool,
 * thin, snapshot, raid1, ...), extents, visible, origin, thin_pool}]}. 0 or -EINVAL. */
int lvm_vg_summary(json_t *md, const char *shown, json_t **ret, char **ret_err);

/* statvfs of path, walking up to the nearest existing directory: its size and the bytes
 * available to users; ret_checked (optional) gets the directory measured, the caller's to free.
 * 0 or -errno. */
int mount_free_space_get(const char *path, uint64_t *ret_total, uint64_t *ret_avail, char **ret_checked);

/* ======== osrelease ======== */

/* /etc/os-release (and /usr/lib/os-release) under --root, parsed with shell quoting rules. */

/* Load os-release into a JSON object of KEY -> value (unquoted). Tries <root>/etc/os-release,
 * then <root>/usr/lib/os-release. Returns 0, or -errno with the file in *ret_err. */
int os_release_load(const char *root, json_t **ret, char **ret_err);

/* Parse os-release text (KEY=value lines; "...", '...' and backslash escapes). */
json_t *os_release_parse(const char *data, size_t len);

/* Major version of "8.10" (8); -1 when not a number. */
int os_release_version_major(const char *version);

/* ======== sshd ======== */

/* sshd_config: parsing (keywords, Match blocks, Include) and adding a directive in place. */

struct sshd_directive {
	char *keyword;   /* lowercased */
	char *value;     /* the rest of the line, quotes removed */
	char *file;      /* as shown: /etc/ssh/sshd_config */
	int line;
	bool in_match;   /* inside a Match block (other than "Match all") */
};

struct sshd_config {
	struct sshd_directive *v;
	size_t n;
	char **includes; /* files read through Include, as shown */
	size_t n_includes;
};

/*
 * Parse the sshd_config at root + path, following Include (globs; relative patterns are
 * under /etc/ssh, as sshd resolves them; at most 16 levels). Returns 0, -ENOENT when the
 * main file is absent, or another -errno.
 */
int sshd_config_load(const char *root, const char *path, struct sshd_config *ret);
/* Parse text only (no Include following); shown names the file. */
int sshd_config_parse(const char *shown, const char *data, size_t len, struct sshd_config *ret);
void sshd_config_clear(struct sshd_config *c);

/* The directive sshd uses for keyword (the first one outside Match blocks), or NULL. */
const struct sshd_directive *sshd_config_effective(const struct sshd_config *c, const char *keyword);

json_t *sshd_directive_to_json(const struct sshd_directive *d);

/*
 * Add "Keyword value" to the text of an sshd_config so that it takes effect globally:
 * right after a commented-out "#Keyword ..." line that comes before any Match block (where
 * the distribution's file documents the default), else before the first Match line, else
 * at the end. comment (may be NULL) is added as a "# ..." line above it. Everything else is
 * kept byte for byte. Returns the new text (malloc'd).
 */
char *sshd_config_add_directive(const char *data, size_t len, const char *keyword, const char *value, const char *comment);

/*
 * The rule the check and the Applications actor share: from release 9 on, sshd's default for
 * PermitRootLogin is prohibit-password (8's configuration allowed root password logins), so
 * an 8 -> 9+ upgrade writes an explicit "PermitRootLogin yes" when the configuration does
 * not set PermitRootLogin outside Match blocks. facts: an SshdConfig message.
 */
bool sshd_permit_root_login_needed(json_t *facts, int source_major, int target_major);

/* ======== environment, commands, where leapp lives (sys.c) ======== */

/* A LEAPP_* switch: set, and neither "" nor "0". */
bool sys_env_flag(const char *name);
/* The data directory (LEAPP_DATADIR, else two folders above the actor's executable) and the
 * directory of the leapp command (LEAPP_BINDIR, else two above the data directory). malloc'd. */
char *sys_leapp_datadir(void);
char *sys_leapp_bindir(void);

/* ---- KEY=VALUE files ---- */

/*
 * The value of KEY in a shell-style assignment file (ifcfg, firewalld.conf, sysconfig): the last
 * "KEY=value" line, with one level of single or double quotes removed and an unquoted trailing
 * comment dropped. NULL when absent. Keys compare case-sensitively unless nocase. malloc'd.
 */
char *sys_kv_get(const char *data, const char *key, bool nocase);

/* ---- commands ---- */

struct sys_run_opts {
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
int sys_command_run(const struct sys_run_opts *o, int *ret_status);
/* The last lines of a log file, for error details ("" when none). malloc'd. */
char *sys_log_tail(const char *path, int lines);
/* argv as one shell-quoted line, for logs. malloc'd. */
char *sys_argv_to_string(const char *const *argv);

/* ---- small facts of the system ---- */

/* /etc/machine-id under root, or NULL. */
char *sys_machine_id_read(const char *root);
/* The architecture: IPUConfig's, else uname's. */
char *sys_arch_get(void);

/* A log file for a command's output: in the actor's scratch directory (or /tmp). malloc'd. */
char *sys_scratch_log(const char *name);


/* ======== systemd units ======== */

/* systemd service units of a tree under --root, read from files as systemctl would see them
 * offline: unit files, enablement links, masks, presets, broken links. */

/*
 * Every *.service unit of the tree (templates excepted): /etc/systemd/system overrides
 * /usr/lib/systemd/system. Returns a new JSON array sorted by name of
 * {"name", "state", "preset"}: state is "masked" (/etc/systemd/system/NAME -> /dev/null),
 * "static" (no WantedBy=/RequiredBy=/Alias=/Also= in [Install]), "enabled" (a *.wants or
 * *.requires link in /etc/systemd/system names it) or "disabled"; preset is "enable" or
 * "disable" from the preset files (/etc/systemd/system-preset, /usr/lib/systemd/system-preset,
 * *.preset in file-name order, first match wins; no match: "disable", as the distributions'
 * 99-default-disable.preset says).
 */
json_t *systemd_services_scan(const char *root);

/* The symlinks under /etc/systemd/system (one level of *.wants / *.requires too) whose target
 * does not exist in the tree: a new JSON array of their paths, sorted. Masks are not broken. */
json_t *systemd_broken_symlinks(const char *root);

/* The entry of name in a systemd_services_scan() array, or NULL. */
json_t *systemd_services_find(json_t *services, const char *name);

#endif
