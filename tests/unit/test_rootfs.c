/* Unit tests of the root-aware path API (libmsg rootfs.h), each run twice: through
 * openat2(RESOLVE_IN_ROOT) and through the user-space walk of 4.18 kernels (forced); and of
 * write_file_atomic with a FIFO or a symlink at the names it writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "leapp/rootfs.h"
#include "leapp/util.h"

static char top[64], root[128];
static int root_fd = -1;

static void put(const char *rel, const char *content)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", top, rel);
	assert_int_equal(write_file_atomic(p, content, strlen(content), 0644), 0);
}

static void link_(const char *target, const char *rel)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", top, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void dir(const char *rel)
{
	_cleanup_free_ char *p = xasprintf("%s/%s", top, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

/* top/outside/secret (outside the root); top/root/etc/authselect/system-auth with the links */
static int setup(void **state)
{
	strcpy(top, "/tmp/leapp-rootfs.XXXXXX");
	assert_non_null(mkdtemp(top));
	snprintf(root, sizeof(root), "%s/root", top);
	dir("outside");
	put("outside/secret", "outside the root\n");
	dir("root");
	dir("root/etc");
	dir("root/etc/authselect");
	dir("root/etc/pam.d");
	dir("root/outside");
	put("root/etc/authselect/system-auth", "inside\n");
	link_("/etc/authselect/system-auth", "root/etc/pam.d/system-auth");   /* absolute */
	link_("../authselect/system-auth", "root/etc/pam.d/password-auth");   /* relative */
	link_("../../../../../../outside/secret", "root/etc/climb");           /* .. escape */
	link_("/../../outside/secret", "root/etc/climb-abs");
	link_("/etc/authselect", "root/etc/asdir");                            /* a directory */
	link_("loop2", "root/etc/loop1");
	link_("loop1", "root/etc/loop2");
	link_("/etc/created-through-link", "root/etc/dangling");
	root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(root_fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	close(root_fd);
	rm_rf(top);
	return 0;
}

static char *slurp(int fd)
{
	char b[256];
	ssize_t n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	b[n] = 0;
	return xstrdup(b);
}

static void check_all(void)
{
	int fd = rootfs_open(root_fd, "/etc/pam.d/system-auth", O_RDONLY | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	_cleanup_free_ char *a = slurp(fd);
	assert_string_equal(a, "inside\n"); /* the absolute symlink resolved inside the root */

	fd = rootfs_open(root_fd, "etc/pam.d/password-auth", O_RDONLY | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	_cleanup_free_ char *b = slurp(fd);
	assert_string_equal(b, "inside\n"); /* relative path, relative symlink */

	/* ".." never leaves the root: the escapes look for /outside/secret inside it */
	assert_int_equal(rootfs_open(root_fd, "/etc/climb", O_RDONLY | O_CLOEXEC, 0), -ENOENT);
	assert_int_equal(rootfs_open(root_fd, "/etc/climb-abs", O_RDONLY | O_CLOEXEC, 0), -ENOENT);
	assert_int_equal(rootfs_open(root_fd, "/../../../outside/secret", O_RDONLY | O_CLOEXEC, 0), -ENOENT);
	fd = rootfs_open(root_fd, "/../../etc/asdir/../authselect/system-auth", O_RDONLY | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	close(fd);

	assert_int_equal(rootfs_open(root_fd, "/etc/loop1", O_RDONLY | O_CLOEXEC, 0), -ELOOP);
	/* O_NOFOLLOW: a symlink in the last component is refused, one before it is followed */
	assert_int_equal(rootfs_open(root_fd, "/etc/pam.d/system-auth", O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0), -ELOOP);
	fd = rootfs_open(root_fd, "/etc/asdir/system-auth", O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	close(fd);

	/* O_CREAT through a dangling absolute symlink creates its target inside the root */
	_cleanup_free_ char *created = xasprintf("%s/etc/created-through-link", root);
	unlink(created);
	fd = rootfs_open(root_fd, "/etc/dangling", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(access(created, F_OK), 0);
	assert_int_not_equal(access("/etc/created-through-link", F_OK), 0);

	fd = rootfs_open(root_fd, "/etc/pam.d", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	assert_true(fd >= 0);
	close(fd);
}

static void test_openat2(void **state)
{
	rootfs_force_walk(false);
	check_all();
}

static void test_walk(void **state)
{
	rootfs_force_walk(true);
	check_all();
	rootfs_force_walk(false);
}

static void test_resolve(void **state)
{
	char *p = NULL;
	assert_int_equal(rootfs_resolve(root_fd, "/etc/pam.d/system-auth", &p), 0);
	assert_string_equal(p, "/etc/authselect/system-auth");
	free(p);
	assert_int_equal(rootfs_resolve(root_fd, "etc/pam.d/password-auth", &p), 0);
	assert_string_equal(p, "/etc/authselect/system-auth");
	free(p);
	assert_int_equal(rootfs_resolve(root_fd, "/etc/climb", &p), 0);
	assert_string_equal(p, "/outside/secret"); /* inside the root: missing last component kept */
	free(p);
	assert_int_equal(rootfs_resolve(root_fd, "/etc/asdir/", &p), 0);
	assert_string_equal(p, "/etc/authselect");
	free(p);
	assert_int_equal(rootfs_resolve(root_fd, "/etc/loop1", &p), -ELOOP);
	assert_int_equal(rootfs_resolve(root_fd, "/nosuch/dir/file", &p), -ENOENT);
	assert_int_equal(rootfs_host_path(root, "/etc/pam.d/system-auth", &p), 0);
	_cleanup_free_ char *want = xasprintf("%s/etc/authselect/system-auth", root);
	assert_string_equal(p, want);
	free(p);
}

/* write_file_atomic: a symlink or a FIFO at the name is replaced, never followed or opened */
static void test_atomic_planted(void **state)
{
	_cleanup_free_ char *d = xasprintf("%s/logs", top);
	assert_int_equal(mkdir(d, 0755), 0);
	_cleanup_free_ char *victim = xasprintf("%s/outside/victim", top);
	put("outside/victim", "untouched\n");
	_cleanup_free_ char *lnk = xasprintf("%s/report.json", d), *fifo = xasprintf("%s/report.txt", d);
	assert_int_equal(symlink(victim, lnk), 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* the names of the old scheme (path.tmp.<pid>): a FIFO there would have hung the writer */
	_cleanup_free_ char *old = xasprintf("%s.tmp.%d", fifo, (int)getpid());
	assert_int_equal(mkfifo(old, 0600), 0);
	assert_int_equal(write_file_atomic(lnk, "new\n", 4, 0644), 0);
	assert_int_equal(write_file_atomic(fifo, "new\n", 4, 0644), 0);
	struct stat st;
	assert_int_equal(lstat(lnk, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	_cleanup_free_ char *v = NULL;
	assert_int_equal(read_file(victim, 1024, &v, NULL), 0);
	assert_string_equal(v, "untouched\n");
	/* read_file_at refuses what is not a regular file */
	_cleanup_free_ char *x = NULL;
	assert_int_equal(read_file_at(AT_FDCWD, old, 1024, &x, NULL), -EMLINK);
	_cleanup_free_ char *l = xasprintf("%s/l", d);
	assert_int_equal(symlink(victim, l), 0);
	assert_int_equal(read_file_at(AT_FDCWD, l, 1024, &x, NULL), -EMLINK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openat2),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_atomic_planted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
