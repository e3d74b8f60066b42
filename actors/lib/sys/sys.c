/* Running commands, the LEAPP_* switches, where leapp's data and command live, and small facts of
 * the system (architecture, machine id) that several domains need. */
#include "sys.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "leapp/actor.h"
#include "leapp/util.h"

/* ---- environment ---- */

bool sys_env_flag(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0");
}

static char *dir_up(const char *path, int levels)
{
	char *p = realpath(path, NULL);
	if (!p)
		return NULL;
	for (int i = 0; i < levels; i++) {
		char *s = strrchr(p, '/');
		if (!s || s == p) {
			p[1] = 0;
			break;
		}
		*s = 0;
	}
	return p;
}

char *sys_leapp_datadir(void)
{
	const char *e = getenv("LEAPP_DATADIR");
	if (e && *e)
		return xstrdup(e);
	/* share/leapp/actors/NAME/NAME */
	char *d = dir_up("/proc/self/exe", 3);
	return d ? d : xstrdup("/usr/share/leapp");
}

char *sys_leapp_bindir(void)
{
	const char *e = getenv("LEAPP_BINDIR");
	if (e && *e)
		return xstrdup(e);
	_cleanup_free_ char *data = sys_leapp_datadir();
	char *up = dir_up(data, 2);
	if (up) {
		_cleanup_free_ char *l = path_join(up, "leapp");
		if (access(l, X_OK) == 0)
			return up;
		free(up);
	}
	return xstrdup("/usr/bin");
}

/* ---- commands ---- */

static void close_from(int first)
{
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = first; fd < max; fd++)
		close(fd);
}

int sys_command_run(const struct sys_run_opts *o, int *ret_status)
{
	_cleanup_close_ int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	_cleanup_close_ int log = -1;
	if (o->log_path) {
		log = open(o->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (log < 0)
			return -errno;
	}
	if (null < 0)
		return -errno;
	/* the command must exist before we fork, so that "not found" is an error, not a status */
	if (!o->chroot && !strchr(o->argv[0], '/')) {
		const char *path = getenv("PATH");
		bool found = false;
		_cleanup_free_ char *copy = xstrdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
		char *save = NULL;
		for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
			_cleanup_free_ char *p = path_join(d, o->argv[0]);
			found = access(p, X_OK) == 0;
		}
		if (!found)
			return -ENOENT;
	} else {
		_cleanup_free_ char *p = o->chroot ? path_join(o->chroot, o->argv[0]) : xstrdup(o->argv[0]);
		if (access(p, X_OK) < 0)
			return -errno;
	}
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(null, 0);
		dup2(log >= 0 ? log : null, 1);
		dup2(log >= 0 ? log : null, 2);
		close_from(3);
		if (o->chroot && (chroot(o->chroot) < 0 || chdir("/") < 0)) {
			dprintf(2, "chroot %s: %s\n", o->chroot, strerror(errno));
			_exit(127);
		}
		extern char **environ;
		execvpe(o->argv[0], (char *const *)o->argv, o->envp ? o->envp : environ);
		dprintf(2, "%s: %s\n", o->argv[0], strerror(errno));
		_exit(127);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	*ret_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

char *sys_log_tail(const char *path, int lines)
{
	_cleanup_close_ int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return xstrdup("");
	off_t start = st.st_size > 16384 ? st.st_size - 16384 : 0;
	char *b = xmalloc(16385);
	ssize_t n = pread(fd, b, 16384, start);
	if (n < 0)
		n = 0;
	b[n] = 0;
	while (n > 0 && b[n - 1] == '\n')
		b[--n] = 0;
	char *p = b + n;
	for (int k = 0; p > b && k < lines;) {
		p--;
		if (*p == '\n')
			k++;
	}
	if (*p == '\n')
		p++;
	char *r = xstrdup(p);
	free(b);
	return r;
}

char *sys_argv_to_string(const char *const *argv)
{
	struct buf b = {0};
	for (size_t i = 0; argv[i]; i++) {
		const char *a = argv[i];
		bool plain = *a != 0;
		for (const char *p = a; *p && plain; p++)
			plain = isalnum((unsigned char)*p) || strchr("-_./=:,+@%", *p);
		if (i)
			buf_append(&b, " ", 1);
		if (plain) {
			buf_append(&b, a, strlen(a));
			continue;
		}
		buf_append(&b, "'", 1);
		for (const char *p = a; *p; p++) {
			if (*p == '\'')
				buf_append(&b, "'\\''", 4);
			else
				buf_append(&b, p, 1);
		}
		buf_append(&b, "'", 1);
	}
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

char *sys_machine_id_read(const char *root)
{
	_cleanup_free_ char *p = path_join(root, "/etc/machine-id");
	char *d = NULL;
	if (read_file(p, 4096, &d, NULL) < 0)
		return NULL;
	str_strip(d);
	if (strlen(d) != 32) {
		free(d);
		return NULL;
	}
	return d;
}

char *sys_arch_get(void)
{
	json_t *ipu = ipu_config_get();
	const char *a = ipu_str(ipu, "architecture");
	char *r = a && *a ? xstrdup(a) : NULL;
	json_decref(ipu);
	if (r)
		return r;
	struct utsname u;
	return xstrdup(uname(&u) == 0 ? u.machine : "x86_64");
}


char *sys_scratch_log(const char *name)
{
	const char *dir = actor_scratch_dir();
	struct stat st;
	if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return xasprintf("%s/%s.log", dir, name);
	return xasprintf("/tmp/leapp-%s-%s.log", actor_name() ? actor_name() : "actor", name);
}
