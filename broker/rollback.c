/* What leapp upgrade records before it changes the system, so that leapp rollback can undo a
 * prepared upgrade before the reboot (DESIGN.md section 12): the GRUB environment block as it was. */
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <sys/stat.h>

#include <leapp/rootfs.h>

#include "rollback.h"

#define GRUBENV "/boot/grub2/grubenv"

int rollback_record_save(const char *root, const char *statedir, char **ret_err)
{
	_cleanup_free_ char *dir = path_join(statedir, ROLLBACK_DIR);
	int r = rm_rf(dir);
	if (r < 0 || (r = mkdir_p(dir, 0700)) < 0) {
		*ret_err = xasprintf("cannot make %s: %s", dir, strerror(-r));
		return r;
	}
	_cleanup_close_ int rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0) {
		r = -errno;
		*ret_err = xasprintf("cannot open %s: %s", root, strerror(errno));
		return r;
	}
	/* grubenv is often a symlink (to the EFI partition): the record names the file itself */
	_cleanup_free_ char *inner = NULL;
	r = rootfs_resolve(rfd, GRUBENV, &inner);
	if (r == -ENOENT)
		inner = xstrdup(GRUBENV);
	else if (r < 0) {
		*ret_err = xasprintf("%s: %s", GRUBENV, strerror(-r));
		return r;
	}
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	struct stat st = {0};
	_cleanup_close_ int fd = rootfs_open(rfd, inner, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	bool existed = fd >= 0;
	if (fd < 0 && fd != -ENOENT) {
		*ret_err = xasprintf("cannot read %s: %s", inner, strerror(-fd));
		return fd;
	}
	if (existed && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (r = read_fd(fd, 1 << 20, &data, &len)) < 0)) {
		*ret_err = xasprintf("cannot read %s: %s", inner, r < 0 ? strerror(-r) : "not a regular file");
		return r < 0 ? r : -EINVAL;
	}
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || (existed && (r = write_file_atomic_at(dfd, "grubenv", data, len, 0600)) < 0)) {
		r = dfd < 0 ? -errno : r;
		*ret_err = xasprintf("cannot write %s/grubenv: %s", dir, strerror(-r));
		return r;
	}
	json_t *j = json_pack("{s:s, s:b, s:i}", "grubenv", inner, "existed", existed, "mode", (int)(st.st_mode & 07777));
	char *s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	/* written last: a record without it is no record (a kill in between leaves none) */
	r = write_file_atomic_at(dfd, "record.json", s, strlen(s), 0600);
	free(s);
	if (r < 0) {
		*ret_err = xasprintf("cannot write %s/record.json: %s", dir, strerror(-r));
		return r;
	}
	return 0;
}

int rollback_record_load(const char *statedir, struct rollback_record *ret, char **ret_err)
{
	_cleanup_free_ char *dir = path_join(statedir, ROLLBACK_DIR);
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -ENOENT;
	_cleanup_free_ char *s = NULL;
	size_t len = 0;
	int r = read_file_at(dfd, "record.json", 1 << 16, &s, &len);
	if (r < 0)
		return r == -ENOENT ? -ENOENT : (*ret_err = xasprintf("%s/record.json: %s", dir, strerror(-r)), r);
	json_error_t je;
	json_t *j = json_loadb(s, len, 0, &je);
	const char *g = json_string_value(json_object_get(j, "grubenv"));
	if (!g || *g != '/' || !json_is_boolean(json_object_get(j, "existed"))) {
		*ret_err = xasprintf("%s/record.json: not a rollback record", dir);
		json_decref(j);
		return -EINVAL;
	}
	ret->grubenv_path = xstrdup(g);
	ret->grubenv_existed = json_is_true(json_object_get(j, "existed"));
	ret->grubenv_mode = (mode_t)json_integer_value(json_object_get(j, "mode")) & 07777;
	json_decref(j);
	if (ret->grubenv_existed && (r = read_file_at(dfd, "grubenv", 1 << 20, &ret->grubenv, &ret->grubenv_len)) < 0) {
		*ret_err = xasprintf("%s/grubenv: %s", dir, strerror(-r));
		rollback_record_clear(ret);
		return r;
	}
	return 0;
}

void rollback_record_clear(struct rollback_record *r)
{
	free(r->grubenv_path);
	free(r->grubenv);
	*r = (struct rollback_record){0};
}

int lvm_run(char *const *args, char **ret_out)
{
	const char *lvm = getenv("LEAPP_DEVEL_LVM");
	char *argv[16] = {(char *)(lvm && *lvm ? lvm : "lvm")};
	for (size_t i = 0; args[i] && i < 14; i++)
		argv[i + 1] = args[i];
	return run_argv(argv, ret_out);
}

int run_argv(char *const *argv, char **ret_out)
{
	int pfd[2] = {-1, -1};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	if (ret_out) {
		if (pipe2(pfd, O_CLOEXEC) < 0) {
			posix_spawn_file_actions_destroy(&fa);
			return -errno;
		}
		posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	}
	extern char **environ;
	pid_t pid;
	int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (r) {
		if (pfd[0] >= 0)
			close(pfd[0]);
		return -r;
	}
	size_t len = 0;
	if (ret_out) {
		if (read_fd(pfd[0], 1 << 20, ret_out, &len) < 0)
			*ret_out = xstrdup("");
		close(pfd[0]);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
