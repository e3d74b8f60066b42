/* fstab and mountinfo parsing with libmount; UUIDs with libblkid; free space with statvfs. */
#include "sys.h"

#include <blkid/blkid.h>
#include <libmount/libmount.h>
#include <sys/statvfs.h>

#include "leapp/util.h"

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

struct parse_ctx {
	struct mount_list *l;
	const char *shown;
	int *bad_lines;
	size_t n_bad;
};

static int parser_errcb(struct libmnt_table *tb, const char *filename, int line)
{
	struct parse_ctx *p = mnt_table_get_userdata(tb);
	p->l->warnings = xrealloc(p->l->warnings, (p->l->n_warnings + 1) * sizeof(char *));
	p->l->warnings[p->l->n_warnings++] = xasprintf("%s:%d: not a valid entry (ignored)", p->shown, line);
	p->bad_lines = xrealloc(p->bad_lines, (p->n_bad + 1) * sizeof(int));
	p->bad_lines[p->n_bad++] = line;
	return 1; /* skip the line, keep parsing */
}

static void add_entry(struct mount_list *l, struct libmnt_fs *fs, bool fstab)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	struct mount_entry *e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->source = xstrdup(mnt_fs_get_source(fs) ?: "none");
	e->target = xstrdup(mnt_fs_get_target(fs) ?: "none");
	e->fstype = xstrdup(mnt_fs_get_fstype(fs) ?: "auto");
	if (fstab) {
		e->options = xstrdup(mnt_fs_get_options(fs) ?: "defaults");
		e->freq = mnt_fs_get_freq(fs);
		e->passno = mnt_fs_get_passno(fs);
	} else {
		e->options = xstrdup(mnt_fs_get_vfs_options(fs) ?: "");
		e->fs_options = xstrdup(mnt_fs_get_fs_options(fs) ?: "");
	}
	const char *tag = NULL, *val = NULL;
	if (mnt_fs_get_tag(fs, &tag, &val) == 0 && tag && !strcmp(tag, "UUID"))
		e->uuid = dup_or_null(val);
	e->network = mount_fstype_is_network(e->fstype);
}

/* fstab line numbers: libmount does not keep them, so count the lines it would take */
static void number_fstab_lines(const char *path, struct parse_ctx *p, size_t first)
{
	_cleanup_free_ char *data = NULL;
	size_t len;
	if (read_file(path, 4u << 20, &data, &len) < 0)
		return;
	size_t idx = first;
	int lineno = 0;
	char *cur = data;
	while (cur && idx < p->l->n) {
		char *nl = strchr(cur, '\n');
		if (nl)
			*nl = 0;
		lineno++;
		char *s = cur;
		while (*s == ' ' || *s == '\t')
			s++;
		bool bad = false;
		for (size_t k = 0; k < p->n_bad; k++)
			bad |= p->bad_lines[k] == lineno;
		if (*s && *s != '#' && !bad)
			p->l->v[idx++].line = lineno;
		cur = nl ? nl + 1 : NULL;
	}
}

static int load_table(struct mount_list *ret, const char *shown, bool fstab, const char *path, FILE *stream)
{
	struct mount_list l = {0};
	struct parse_ctx p = {.l = &l, .shown = shown};
	struct libmnt_table *tb = mnt_new_table();
	if (!tb)
		return -ENOMEM;
	mnt_table_set_userdata(tb, &p);
	mnt_table_set_parser_errcb(tb, parser_errcb);
	int r = stream ? mnt_table_parse_stream(tb, stream, shown)
		       : fstab ? mnt_table_parse_fstab(tb, path) : mnt_table_parse_file(tb, path);
	if (r < 0) {
		mnt_unref_table(tb);
		free(p.bad_lines);
		mount_list_clear(&l);
		return r;
	}
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	while (mnt_table_next_fs(tb, it, &fs) == 0)
		add_entry(&l, fs, fstab);
	mnt_free_iter(it);
	mnt_unref_table(tb);
	if (fstab && path)
		number_fstab_lines(path, &p, 0);
	free(p.bad_lines);
	*ret = l;
	return 0;
}

int fstab_load(const char *path, const char *shown, struct mount_list *ret)
{
	if (access(path, R_OK) < 0)
		return -errno;
	return load_table(ret, shown, true, path, NULL);
}

int mountinfo_load(const char *path, const char *shown, struct mount_list *ret)
{
	if (access(path, R_OK) < 0)
		return -errno;
	return load_table(ret, shown, false, path, NULL);
}

int mountinfo_parse(const char *data, size_t len, const char *shown, struct mount_list *ret)
{
	FILE *f = fmemopen((void *)data, len ? len : 1, "r");
	if (!f)
		return -errno;
	int r = load_table(ret, shown, false, NULL, f);
	fclose(f);
	return r;
}

void mount_list_clear(struct mount_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct mount_entry *e = &l->v[i];
		free(e->source);
		free(e->target);
		free(e->fstype);
		free(e->options);
		free(e->fs_options);
		free(e->uuid);
	}
	free(l->v);
	for (size_t i = 0; i < l->n_warnings; i++)
		free(l->warnings[i]);
	free(l->warnings);
	memset(l, 0, sizeof(*l));
}

static bool path_under(const char *path, const char *mp)
{
	if (!strcmp(mp, "/"))
		return path[0] == '/';
	size_t n = strlen(mp);
	return !strncmp(path, mp, n) && (path[n] == 0 || path[n] == '/');
}

const struct mount_entry *mount_list_find_for_path(const struct mount_list *l, const char *path)
{
	const struct mount_entry *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct mount_entry *e = &l->v[i];
		size_t n = strlen(e->target);
		/* >=: a later mount on the same point hides the earlier one */
		if (path_under(path, e->target) && (n >= best_len || !best)) {
			best = e;
			best_len = n;
		}
	}
	return best;
}

const struct mount_entry *mount_list_find_target(const struct mount_list *l, const char *target)
{
	const struct mount_entry *found = NULL;
	for (size_t i = 0; l && i < l->n; i++)
		if (!strcmp(l->v[i].target, target))
			found = &l->v[i];
	return found;
}

bool mount_fstype_is_network(const char *fstype)
{
	if (!fstype)
		return false;
	if (mnt_fstype_is_netfs(fstype))
		return true;
	/* mount.nfs's own spelling and a few libmount does not list */
	static const char *const extra[] = {"nfs3", "smb", "glusterfs", "lustre", "gfs2", "ocfs2"};
	for (size_t i = 0; i < ELEMENTSOF(extra); i++)
		if (!strcmp(fstype, extra[i]))
			return true;
	return false;
}

char *mount_device_uuid_get(const char *device)
{
	if (!device || strncmp(device, "/dev/", 5))
		return NULL;
	blkid_probe pr = blkid_new_probe_from_filename(device);
	if (!pr)
		return NULL;
	char *out = NULL;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_UUID);
	const char *val = NULL;
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, "UUID", &val, NULL) == 0 && val)
		out = xstrdup(val);
	blkid_free_probe(pr);
	return out;
}

json_t *fstab_entry_to_json(const struct mount_entry *e)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s?, s:b, s:i}", "source", e->source, "target", e->target, "fstype",
			 e->fstype, "options", e->options ? e->options : "defaults", "freq", e->freq, "passno", e->passno, "uuid",
			 e->uuid, "network", e->network, "line", e->line);
}

json_t *mount_entry_to_json(const struct mount_entry *e)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:b}", "source", e->source, "target", e->target, "fstype", e->fstype,
			 "options", e->options ? e->options : "", "fs_options", e->fs_options ? e->fs_options : "", "uuid",
			 e->uuid, "network", e->network);
}

int mount_free_space_get(const char *path, uint64_t *ret_total, uint64_t *ret_avail, char **ret_checked)
{
	_cleanup_free_ char *p = xstrdup(path);
	for (;;) {
		struct statvfs st;
		if (statvfs(p, &st) == 0) {
			*ret_total = (uint64_t)st.f_blocks * st.f_frsize;
			*ret_avail = (uint64_t)st.f_bavail * st.f_frsize;
			if (ret_checked)
				*ret_checked = TAKE_PTR(p);
			return 0;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			return -errno;
		char *slash = strrchr(p, '/');
		if (!slash)
			return -ENOENT;
		if (slash == p) {
			if (!p[1])
				return -ENOENT;
			p[1] = 0;
		} else
			*slash = 0;
	}
}
