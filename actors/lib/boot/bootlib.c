/* Shared code of the upgrade-initramfs and boot actors: commands, copies, boot files, dracut. */
#include "boot.h"
#include "fs.h"
#include "sys.h"
#include "rpm.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "leapp/actor.h"
#include "leapp/util.h"

bool dracut_host_mode(bool *ret_ignored)
{
	bool devel = sys_env_flag("LEAPP_DEVEL_USE_HOST_DRACUT");
	bool unsupported = sys_env_flag("LEAPP_UNSUPPORTED");
	if (ret_ignored)
		*ret_ignored = devel && !unsupported;
	return devel && unsupported;
}

/* ---- system facts under the root ---- */

char *grubenv_locate(const char *root, char **ret_shown)
{
	char *shown = xstrdup("/boot/grub2/grubenv");
	for (int hops = 0; hops < 8; hops++) {
		_cleanup_free_ char *p = path_join(root, shown);
		struct stat st;
		if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode))
			break;
		char link[PATH_MAX];
		ssize_t n = readlink(p, link, sizeof(link) - 1);
		if (n <= 0)
			break;
		link[n] = 0;
		char *next;
		if (link[0] == '/')
			next = xstrdup(link);
		else {
			char *slash = strrchr(shown, '/');
			*slash = 0;
			next = xasprintf("%s/%s", shown, link);
		}
		free(shown);
		shown = next;
	}
	/* a relative link leaves "dir/../x": name the file plainly */
	struct buf b = {0};
	_cleanup_free_ char *copy = xstrdup(shown);
	char *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (b.len && b.data[b.len - 1] != '/')
				b.len--;
			if (b.len)
				b.len--;
			continue;
		}
		buf_printf(&b, "/%s", c);
	}
	buf_append(&b, "", 0);
	free(shown);
	shown = buf_steal(&b);
	if (!*shown) {
		free(shown);
		shown = xstrdup("/");
	}
	char *host = path_join(root, shown);
	if (ret_shown)
		*ret_shown = shown;
	else
		free(shown);
	return host;
}

static int cmp_kver_desc(const void *a, const void *b)
{
	return -evr_vercmp(*(char *const *)a, *(char *const *)b);
}

size_t boot_kvers_list(const char *dir, char ***ret)
{
	_cleanup_free_ char *mods = path_join(dir, "/lib/modules");
	char **v = xcalloc(1, sizeof(char *));
	size_t n = 0;
	DIR *d = opendir(mods);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *vm = xasprintf("%s/%s/vmlinuz", mods, de->d_name);
		if (fs_file_size(vm) == 0)
			continue;
		v = xrealloc(v, (n + 2) * sizeof(char *));
		v[n++] = xstrdup(de->d_name);
		v[n] = NULL;
	}
	if (d)
		closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(char *), cmp_kver_desc);
	*ret = v;
	return n;
}

/* ---- kernel command lines ---- */

void cmdline_parse(struct cmdline *c, const char *s)
{
	memset(c, 0, sizeof(*c));
	const char *p = s ? s : "";
	for (;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *start = p;
		bool quoted = false;
		while (*p && (quoted || !isspace((unsigned char)*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(char *));
		c->v[c->n++] = xstrndup(start, (size_t)(p - start));
	}
}

static bool arg_matches(const char *arg, const char *key, const char *value)
{
	size_t kl = strlen(key);
	if (strncmp(arg, key, kl))
		return false;
	if (!value)
		return arg[kl] == 0 || arg[kl] == '=';
	return arg[kl] == '=' && !strcmp(arg + kl + 1, value);
}

void cmdline_remove(struct cmdline *c, const char *key, const char *value)
{
	size_t w = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (arg_matches(c->v[i], key, value)) {
			free(c->v[i]);
			continue;
		}
		c->v[w++] = c->v[i];
	}
	c->n = w;
}

void cmdline_add(struct cmdline *c, const char *key, const char *value)
{
	_cleanup_free_ char *arg = value ? xasprintf("%s=%s", key, value) : xstrdup(key);
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], arg))
			return;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(char *));
	c->v[c->n++] = TAKE_PTR(arg);
}

char *cmdline_format(const struct cmdline *c)
{
	struct buf b = {0};
	for (size_t i = 0; i < c->n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", c->v[i]);
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

void cmdline_clear(struct cmdline *c)
{
	for (size_t i = 0; c && i < c->n; i++)
		free(c->v[i]);
	if (c) {
		free(c->v);
		memset(c, 0, sizeof(*c));
	}
}

/* ---- BLS entries and grubby ---- */

const char *grubby_find(const char *root)
{
	static const char *const where[] = {"/usr/sbin/grubby", "/sbin/grubby"};
	for (size_t i = 0; i < ELEMENTSOF(where); i++) {
		_cleanup_free_ char *p = path_join(root, where[i]);
		if (fs_is_exec(p))
			return where[i];
	}
	return NULL;
}

int grubby_run(const char *root, const char *const *args, const char *log_path)
{
	const char *g = grubby_find(root);
	if (!g)
		return -ENOENT;
	size_t n = 0;
	while (args[n])
		n++;
	const char **argv = xcalloc(n + 2, sizeof(char *));
	argv[0] = g;
	memcpy(argv + 1, args, n * sizeof(char *));
	static char *const env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C", NULL};
	struct sys_run_opts o = {.argv = argv, .chroot = strcmp(root, "/") ? root : NULL, .envp = env, .log_path = log_path};
	int st;
	int r = sys_command_run(&o, &st);
	free(argv);
	if (r < 0)
		return r;
	return st == 0 ? 0 : -EIO;
}

char *bls_boot_prefix(const struct bls_entry *def)
{
	if (!def || !def->linux)
		return xstrdup("/");
	const char *slash = strrchr(def->linux, '/');
	if (!slash)
		return xstrdup("/");
	return xstrndup(def->linux, (size_t)(slash - def->linux) + 1);
}

int bls_entry_write(const char *path, const struct bls_entry *e)
{
	_cleanup_free_ char *text = bls_entry_format(e);
	return write_file_atomic(path, text, strlen(text), 0644);
}

int grubenv_load_or_empty(const char *path, struct grubenv *ret)
{
	int r = grubenv_load(path, ret);
	if (r == -ENOENT) {
		memset(ret, 0, sizeof(*ret));
		return 0;
	}
	return r;
}

/* ---- dracut ---- */

const char *dracut_find(const char *tree)
{
	static const char *const where[] = {"/usr/bin/dracut", "/usr/sbin/dracut", "/sbin/dracut"};
	for (size_t i = 0; i < ELEMENTSOF(where); i++) {
		_cleanup_free_ char *p = path_join(tree ? tree : "/", where[i]);
		if (fs_is_exec(p))
			return where[i];
	}
	return NULL;
}

/* The path as the command sees it: below the chroot, or as it is on the host. */
static const char *view(const struct dracut_build *b, const char *host_path)
{
	if (!b->sysroot || !strcmp(b->sysroot, "/"))
		return host_path;
	size_t l = strlen(b->sysroot);
	while (l > 1 && b->sysroot[l - 1] == '/')
		l--;
	return host_path + l;
}

static bool inside(const char *sysroot, const char *path)
{
	if (!sysroot || !strcmp(sysroot, "/"))
		return true;
	size_t l = strlen(sysroot);
	while (l > 1 && sysroot[l - 1] == '/')
		l--;
	return !strncmp(path, sysroot, l) && path[l] == '/';
}

int dracut_add_kmod_file(const char *kmoddir, const char *src, char **ret_name)
{
	const char *base = strrchr(src, '/');
	base = base ? base + 1 : src;
	if (!*base || (!strstr(base, ".ko")))
		return -EINVAL;
	_cleanup_free_ char *dir = path_join(kmoddir, "/extra/leapp");
	int r = mkdir_p(dir, 0755);
	if (r < 0)
		return r;
	_cleanup_free_ char *dst = xasprintf("%s/%s", dir, base);
	r = fs_copy_file(src, dst, 0644, NULL);
	if (r < 0)
		return r;
	*ret_name = xstrdup(base);
	return 0;
}

int dracut_depmod(const char *sysroot, const char *tree, const char *kver, const char *log_path, char **ret_err)
{
	int st, r;
	if (sysroot) {
		const char *argv[] = {"/usr/sbin/depmod", "-a", kver, NULL};
		_cleanup_free_ char *p = path_join(sysroot, argv[0]);
		if (!fs_is_exec(p))
			argv[0] = "/sbin/depmod";
		static char *const env[] = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C", NULL};
		r = sys_command_run(&(struct sys_run_opts){.argv = argv, .chroot = sysroot, .envp = env, .log_path = log_path}, &st);
	} else {
		const char *argv[] = {"depmod", "-a", "-b", tree, kver, NULL};
		r = sys_command_run(&(struct sys_run_opts){.argv = argv, .log_path = log_path}, &st);
	}
	if (r < 0) {
		*ret_err = xasprintf("depmod could not run: %s", strerror(-r));
		return r;
	}
	if (st) {
		_cleanup_free_ char *tail = sys_log_tail(log_path, 10);
		*ret_err = xasprintf("depmod %s failed (exit %d): %s", kver, st, tail);
		return -EIO;
	}
	return 0;
}

/* A mount point? (a different device than its parent) */
static bool is_mountpoint(const char *path)
{
	struct stat a, b;
	_cleanup_free_ char *up = xasprintf("%s/..", path);
	return stat(path, &a) == 0 && stat(up, &b) == 0 && a.st_dev != b.st_dev;
}

/* /dev, /proc and /sys of the actor inside the tree dracut runs chrooted in (the actor's own
 * mount namespace under the broker); undone by unbind_api(). */
static int bind_api(const char *sysroot, char ***ret_done, char **ret_err)
{
	static const char *const dirs[] = {"/dev", "/proc", "/sys"};
	char **done = xcalloc(ELEMENTSOF(dirs) + 1, sizeof(char *));
	size_t n = 0;
	for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
		_cleanup_free_ char *t = path_join(sysroot, dirs[i]);
		if (is_mountpoint(t))
			continue;
		mkdir_p(t, 0755);
		if (mount(dirs[i], t, NULL, MS_BIND | MS_REC, NULL) < 0) {
			*ret_err = xasprintf("cannot bind %s into %s: %s", dirs[i], sysroot, strerror(errno));
			*ret_done = done;
			return -errno;
		}
		done[n++] = TAKE_PTR(t);
	}
	*ret_done = done;
	return 0;
}

static void unbind_api(char **done)
{
	for (size_t i = 0; done && done[i]; i++)
		umount2(done[i], MNT_DETACH);
	strv_free(done);
}

/* A dracut base directory of links to the real one (as the command sees it), with a
 * modules.d of its own: the real modules plus ours, without touching /usr/lib/dracut. */
static int make_basedir(struct dracut_build *b, const char *basedir, char **ret_err)
{
	const char *tree = b->sysroot ? b->sysroot : "/";
	_cleanup_free_ char *real = path_join(tree, "/usr/lib/dracut");
	_cleanup_free_ char *realmods = path_join(real, "/modules.d");
	_cleanup_free_ char *mods = path_join(basedir, "/modules.d");
	int r = mkdir_p(mods, 0755);
	if (r < 0) {
		*ret_err = xasprintf("cannot make %s: %s", mods, strerror(-r));
		return r;
	}
	DIR *d = opendir(real);
	if (!d) {
		*ret_err = xasprintf("no dracut in %s: %s", real, strerror(errno));
		return -errno;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "modules.d"))
			continue;
		_cleanup_free_ char *link = xasprintf("%s/%s", basedir, de->d_name);
		_cleanup_free_ char *to = xasprintf("/usr/lib/dracut/%s", de->d_name);
		if (symlink(to, link) < 0 && errno != EEXIST) {
			r = -errno;
			*ret_err = xasprintf("cannot link %s: %s", link, strerror(errno));
			closedir(d);
			return r;
		}
	}
	closedir(d);
	/* the names of the modules we bring: a real module of the same name is left out */
	size_t i;
	json_t *m;
	d = opendir(realmods);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		const char *name = de->d_name;
		if (isdigit((unsigned char)name[0]) && isdigit((unsigned char)name[1]))
			name += 2;
		bool ours = false;
		json_array_foreach(b->dracut_modules, i, m) {
			const char *mn = json_string_value(json_object_get(m, "name"));
			if (mn && json_is_string(json_object_get(m, "module_path")) && !strcmp(mn, name))
				ours = true;
		}
		if (ours)
			continue;
		_cleanup_free_ char *link = xasprintf("%s/%s", mods, de->d_name);
		_cleanup_free_ char *to = xasprintf("/usr/lib/dracut/modules.d/%s", de->d_name);
		if (symlink(to, link) < 0 && errno != EEXIST) {
			r = -errno;
			*ret_err = xasprintf("cannot link %s: %s", link, strerror(errno));
			closedir(d);
			return r;
		}
	}
	if (d)
		closedir(d);
	json_array_foreach(b->dracut_modules, i, m) {
		const char *mn = json_string_value(json_object_get(m, "name"));
		const char *src = json_string_value(json_object_get(m, "module_path"));
		if (!mn || !src)
			continue;
		const char *base = strrchr(src, '/');
		base = base && base[1] ? base + 1 : src;
		_cleanup_free_ char *dirname = NULL;
		if (isdigit((unsigned char)base[0]) && isdigit((unsigned char)base[1]) && !strcmp(base + 2, mn))
			dirname = xstrdup(base);
		else
			dirname = xasprintf("99%s", mn);
		if (!fs_is_dir(src) || strchr(mn, '/') || !*mn) {
			*ret_err = xasprintf("dracut module %s: %s is not a directory", mn, src);
			return -ENOENT;
		}
		_cleanup_free_ char *dst = xasprintf("%s/%s", mods, dirname);
		rm_rf(dst);
		if ((r = fs_copy_tree(src, dst)) < 0) {
			*ret_err = xasprintf("cannot copy dracut module %s from %s", mn, src);
			return r;
		}
	}
	return 0;
}

static void add_list_arg(const char ***argv, size_t *n, const char *opt, json_t *list, const char *field, struct buf *keep)
{
	size_t i;
	json_t *x;
	struct buf b = {0};
	json_array_foreach(list, i, x) {
		const char *s = field ? json_string_value(json_object_get(x, field)) : json_string_value(x);
		if (!s || !*s)
			continue;
		if (b.len)
			buf_append(&b, " ", 1);
		buf_append(&b, s, strlen(s));
	}
	if (!b.len)
		return;
	buf_append(&b, "", 0);
	/* keep the strings alive until the command ran: a list of them in keep */
	char *s = buf_steal(&b);
	buf_append(keep, &s, sizeof(s));
	*argv = xrealloc(*argv, (*n + 3) * sizeof(char *));
	(*argv)[(*n)++] = opt;
	(*argv)[(*n)++] = s;
}

/* dracut's command line (argv[0] is dracut); the strings it makes are kept in keep */
static const char **dracut_argv(struct dracut_build *b, const char *dracut, const char *tmp, const char *confdir,
				struct buf *keep)
{
	const char **argv = xcalloc(32, sizeof(char *));
	size_t n = 0;
	argv[n++] = dracut;
	argv[n++] = "--force";
	if (b->hostonly >= 0)
		argv[n++] = b->hostonly ? "--hostonly" : "--no-hostonly";
	argv[n++] = "--kver";
	argv[n++] = b->kver;
	argv[n++] = "--kmoddir";
	argv[n++] = view(b, b->kmoddir);
	argv[n++] = "--tmpdir";
	argv[n++] = view(b, tmp);
	if (b->own_config) {
		argv[n++] = "--conf";
		argv[n++] = "/dev/null";
		argv[n++] = "--confdir";
		argv[n++] = view(b, confdir);
		argv[n++] = "--nomdadmconf";
		argv[n++] = "--nolvmconf";
	}
	add_list_arg(&argv, &n, "--add", b->dracut_modules, "name", keep);
	add_list_arg(&argv, &n, "--add-drivers", b->drivers, NULL, keep);
	add_list_arg(&argv, &n, "--install", b->files, NULL, keep);
	size_t i;
	json_t *x;
	json_array_foreach(b->extra_args, i, x) {
		if (!json_is_string(x))
			continue;
		argv = xrealloc(argv, (n + 3) * sizeof(char *));
		argv[n++] = json_string_value(x);
	}
	argv = xrealloc(argv, (n + 2) * sizeof(char *));
	argv[n++] = view(b, b->output);
	argv[n] = NULL;
	return argv;
}

/* dracut's environment (at most 7 entries, malloc'd); returns the count */
static size_t dracut_env(struct dracut_build *b, const char *tmp, const char *basedir, char *env[8])
{
	size_t ne = 0;
	env[ne++] = xstrdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	env[ne++] = xstrdup("LANG=C.UTF-8");
	env[ne++] = xasprintf("TMPDIR=%s", view(b, tmp));
	env[ne++] = xasprintf("dracutbasedir=%s", view(b, basedir));
	if (b->payload)
		env[ne++] = xasprintf("LEAPP_INITRAMFS_PAYLOAD=%s", view(b, b->payload));
	env[ne] = NULL;
	return ne;
}

/* area/dracut.cmd: the command, for whoever wants to run it again by hand */
static void write_cmdfile(struct dracut_build *b, char *const *env, size_t ne)
{
	_cleanup_free_ char *cmdfile = path_join(b->area, "/dracut.cmd");
	struct buf c = {0};
	if (b->sysroot)
		buf_printf(&c, "chroot %s ", b->sysroot);
	buf_printf(&c, "env");
	for (size_t k = 0; k < ne; k++)
		buf_printf(&c, " '%s'", env[k]);
	buf_printf(&c, " %s\n", b->command);
	buf_append(&c, "", 0);
	write_file_atomic(cmdfile, c.data, c.len - 1, 0644);
	buf_free(&c);
}

/* the build area: its dracut base directory, tmp/ and conf.d/ made anew */
static int build_area(struct dracut_build *b, const char *basedir, const char *tmp, const char *confdir,
		      char **ret_err)
{
	int r = mkdir_p(b->area, 0700);
	if (r < 0) {
		*ret_err = xasprintf("cannot make %s: %s", b->area, strerror(-r));
		return r;
	}
	rm_rf(basedir);
	rm_rf(tmp);
	rm_rf(confdir);
	if ((r = make_basedir(b, basedir, ret_err)) < 0)
		return r;
	mkdir_p(tmp, 0700);
	mkdir_p(confdir, 0755);
	return 0;
}

/* Run dracut (chrooted into sysroot with the API filesystems bound, when set). */
static int dracut_exec(struct dracut_build *b, const char **argv, char **env, char **ret_err)
{
	char **binds = NULL;
	int r = 0;
	if (b->sysroot && (r = bind_api(b->sysroot, &binds, ret_err)) < 0) {
		unbind_api(binds);
		return r;
	}
	double t0 = now_monotonic();
	int st = 0;
	unlink(b->output);
	r = sys_command_run(&(struct sys_run_opts){.argv = argv, .chroot = b->sysroot, .envp = env, .log_path = b->log_path},
			    &st);
	b->seconds = now_monotonic() - t0;
	if (r < 0)
		*ret_err = xasprintf("dracut could not run: %s", strerror(-r));
	else if (st != 0) {
		_cleanup_free_ char *tail = sys_log_tail(b->log_path, 15);
		*ret_err = xasprintf("dracut failed (exit %d); its last lines:\n%s", st, tail);
		r = -EIO;
	} else if (fs_file_size(b->output) == 0) {
		*ret_err = xasprintf("dracut made no image at %s", view(b, b->output));
		r = -EIO;
	}
	unbind_api(binds);
	return r;
}

int dracut_build_run(struct dracut_build *b, char **ret_err)
{
	const char *tree = b->sysroot ? b->sysroot : "/";
	const char *dracut = dracut_find(tree);
	if (!dracut) {
		*ret_err = xasprintf("dracut is not installed in %s", tree);
		return -ENOENT;
	}
	if (!inside(b->sysroot, b->area) || !inside(b->sysroot, b->output) || !inside(b->sysroot, b->kmoddir) ||
	    (b->payload && !inside(b->sysroot, b->payload))) {
		*ret_err = xasprintf("the build area, the kernel modules and the image must be inside %s", tree);
		return -EINVAL;
	}
	_cleanup_free_ char *basedir = path_join(b->area, "/dracut");
	_cleanup_free_ char *tmp = path_join(b->area, "/tmp");
	_cleanup_free_ char *confdir = path_join(b->area, "/conf.d");
	int r = build_area(b, basedir, tmp, confdir, ret_err);
	if (r < 0)
		return r;
	free(b->log_path);
	b->log_path = path_join(b->area, "/dracut.log");
	struct buf keep = {0};
	const char **argv = dracut_argv(b, dracut, tmp, confdir, &keep);
	free(b->command);
	b->command = sys_argv_to_string(argv);
	char *env[8];
	size_t ne = dracut_env(b, tmp, basedir, env);
	write_cmdfile(b, env, ne);
	r = dracut_exec(b, argv, env, ret_err);
	for (size_t k = 0; k < ne; k++)
		free(env[k]);
	char **kept = (char **)keep.data;
	for (size_t k = 0; k < keep.len / sizeof(char *); k++)
		free(kept[k]);
	buf_free(&keep);
	free(argv);
	return r;
}

void dracut_build_clear(struct dracut_build *b)
{
	if (!b)
		return;
	free(b->log_path);
	free(b->command);
	b->log_path = b->command = NULL;
}

/* ---- the upgrade boot entry ---- */

char *boot_upgrade_entry_id(const char *root, const char *arch)
{
	char *mid = sys_machine_id_read(root);
	if (!mid) {
		struct bls_entry *v = NULL;
		size_t n = 0;
		if (bls_entries_load(root, &v, &n) == 0)
			for (size_t i = 0; i < n && !mid; i++)
				if (v[i].machine_id && strlen(v[i].machine_id) == 32)
					mid = xstrdup(v[i].machine_id);
		bls_entries_free(v, n);
	}
	if (!mid)
		return NULL;
	char *id = xasprintf("%s-upgrade.%s", mid, arch);
	free(mid);
	return id;
}

int boot_upgrade_entry_remove(const char *root, const char *id, const char *kernel, bool *ret_changed, char **ret_err)
{
	bool changed = false;
	_cleanup_free_ char *rel = xasprintf("/boot/loader/entries/%s.conf", id);
	_cleanup_free_ char *file = path_join(root, rel);
	if (access(file, F_OK) == 0 && grubby_find(root)) {
		_cleanup_free_ char *arg = xasprintf("--remove-kernel=%s", kernel);
		_cleanup_free_ char *log = sys_scratch_log("grubby");
		const char *args[] = {arg, NULL};
		int r = grubby_run(root, args, log);
		if (r < 0)
			actor_warning("grubby %s failed (%s): removing %s itself", arg, strerror(-r), rel);
		else
			changed = true;
	}
	if (unlink(file) == 0)
		changed = true;
	else if (errno != ENOENT) {
		*ret_err = xasprintf("cannot remove %s: %s", rel, strerror(errno));
		return -errno;
	}
	_cleanup_free_ char *shown = NULL;
	_cleanup_free_ char *gpath = grubenv_locate(root, &shown);
	struct grubenv env = {0};
	int r = grubenv_load(gpath, &env);
	if (r == -ENOENT) {
		*ret_changed = changed;
		return 0;
	}
	if (r < 0) {
		*ret_err = xasprintf("%s: %s", shown, r == -EINVAL ? "not a GRUB environment block" : strerror(-r));
		return r;
	}
	bool env_changed = false;
	static const char *const names[] = {"next_entry", "saved_entry"};
	for (size_t i = 0; i < ELEMENTSOF(names); i++) {
		const char *v = grubenv_get(&env, names[i]);
		if (v && !strcmp(v, id)) {
			if (i == 1)
				actor_warning("%s named the upgrade entry as the default: unset", names[i]);
			grubenv_set(&env, names[i], NULL);
			env_changed = true;
		}
	}
	if (env_changed && (r = grubenv_save(gpath, &env)) < 0) {
		*ret_err = xasprintf("cannot write %s: %s", shown, strerror(-r));
		grubenv_clear(&env);
		return r;
	}
	grubenv_clear(&env);
	*ret_changed = changed || env_changed;
	return 0;
}

/* ---- initramfs tasks ---- */

void boot_list_add_unique(json_t *list, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
		if (!strcmp(json_string_value(x), s))
			return;
	json_array_append_new(list, json_string(s));
}

void boot_initramfs_tasks_collect(const char *model, json_t **ret_mods, json_t **ret_kmods, json_t **ret_files)
{
	json_t *mods = json_array(), *kmods = json_array(), *files = json_array();
	json_t *tasks = actor_consume(model);
	size_t i, k;
	json_t *t, *x;
	json_array_foreach(tasks, i, t) {
		json_array_foreach(json_object_get(t, "include_dracut_modules"), k, x) {
			const char *name = json_string_value(json_object_get(x, "name"));
			const char *path = json_string_value(json_object_get(x, "module_path"));
			if (!name || !*name)
				continue;
			size_t j;
			json_t *have = NULL, *y;
			json_array_foreach(mods, j, y)
				if (!strcmp(json_string_value(json_object_get(y, "name")), name))
					have = y;
			if (!have) {
				json_array_append_new(mods, json_pack("{s:s, s:s?}", "name", name, "module_path", path));
				continue;
			}
			const char *hp = json_string_value(json_object_get(have, "module_path"));
			if (path && hp && strcmp(path, hp))
				actor_error("two different dracut modules of one name were asked for",
					    "dracut module %s: %s and %s", name, hp, path);
			if (path && !hp)
				json_object_set_new(have, "module_path", json_string(path));
		}
		json_array_foreach(json_object_get(t, "include_kernel_modules"), k, x) {
			const char *name = json_string_value(json_object_get(x, "name"));
			if (!name || !*name)
				continue;
			size_t j;
			json_t *have = NULL, *y;
			json_array_foreach(kmods, j, y)
				if (!strcmp(json_string_value(json_object_get(y, "name")), name))
					have = y;
			if (!have)
				json_array_append(kmods, x);
			else if (json_is_string(json_object_get(x, "module_path")))
				json_object_set(have, "module_path", json_object_get(x, "module_path"));
		}
		json_array_foreach(json_object_get(t, "include_files"), k, x)
			if (json_is_string(x) && json_string_value(x)[0] == '/')
				boot_list_add_unique(files, json_string_value(x));
	}
	json_decref(tasks);
	*ret_mods = mods;
	*ret_kmods = kmods;
	*ret_files = files;
}
