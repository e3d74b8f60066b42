/* Unit tests of the shared actor library: rpm version order, grubenv, BLS entries, sshd_config
 * editing, os-release, fstab/mountinfo helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sys/stat.h>

#include "sys.h"
#include "rpm.h"
#include "boot.h"
#include "leapp/util.h"

static void test_vercmp(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} t[] = {
		{"1.0", "1.0", 0},           {"1.0", "2.0", -1},          {"2.0.1", "2.0", 1},        {"2.0.1a", "2.0.1", 1},
		{"5.5p1", "5.5p10", -1},     {"10xyz", "10.1xyz", -1},    {"xyz10", "xyz10.1", -1},   {"1.0aa", "1.0a", 1},
		{"1.0~rc1", "1.0", -1},      {"1.0~rc1", "1.0~rc2", -1},  {"1.0", "1.0~rc1", 1},      {"1.0^", "1.0", 1},
		{"1.0^git1", "1.0.1", -1},   {"553.el8_10", "80.el8", 1}, {"a", "1", -1},             {"0001", "1", 0},
		{"1.0", "1_0", 0},           {"8.10", "8.9", 1},          {"9.10", "9.9", 1},         {"4.18.0", "4.18.0", 0},
		{"513.24.1.el8_9", "553.el8_10", -1},
	};
	for (size_t i = 0; i < ELEMENTSOF(t); i++) {
		int r = evr_vercmp(t[i].a, t[i].b);
		if (r != t[i].want)
			fail_msg("vercmp(%s, %s) = %d, want %d", t[i].a, t[i].b, r, t[i].want);
		assert_int_equal(evr_vercmp(t[i].b, t[i].a), -t[i].want);
	}
	assert_int_equal(evr_cmp(1, "1.0", "1", 0, "9.0", "1"), 1);
	assert_int_equal(evr_cmp(0, "1.0", "2", 0, "1.0", "10"), -1);
	assert_int_equal(evr_cmp(0, "1.0", NULL, 0, "1.0", "10"), 0);
}

static void test_grubenv(void **state)
{
	const char *text = "# GRUB Environment Block\nsaved_entry=abc-4.18\nkernelopts=root=/dev/vda2 ro\nmulti=a\\\nb\\\\c\n"
			   "##########";
	struct grubenv env = {0};
	assert_int_equal(grubenv_parse(text, strlen(text), &env), 0);
	assert_string_equal(grubenv_get(&env, "saved_entry"), "abc-4.18");
	assert_string_equal(grubenv_get(&env, "kernelopts"), "root=/dev/vda2 ro");
	assert_string_equal(grubenv_get(&env, "multi"), "a\nb\\c");
	assert_null(grubenv_get(&env, "nope"));
	grubenv_set(&env, "next_entry", "upgrade");
	grubenv_set(&env, "saved_entry", NULL);
	char *out;
	size_t len;
	assert_int_equal(grubenv_format(&env, &out, &len), 0);
	assert_int_equal(len, 1024);
	assert_int_equal(strlen(out), 1024);
	assert_non_null(strstr(out, "next_entry=upgrade\n"));
	assert_null(strstr(out, "saved_entry"));
	assert_non_null(strstr(out, "multi=a\\\nb\\\\c\n"));
	struct grubenv back = {0};
	assert_int_equal(grubenv_parse(out, len, &back), 0);
	assert_string_equal(grubenv_get(&back, "multi"), "a\nb\\c");
	assert_string_equal(grubenv_get(&back, "next_entry"), "upgrade");
	free(out);
	char big[1100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	grubenv_set(&back, "big", big);
	assert_int_equal(grubenv_format(&back, &out, &len), -E2BIG);
	assert_int_equal(grubenv_parse("not grubenv", 11, &env), -EINVAL);
	grubenv_clear(&env);
	grubenv_clear(&back);
}

static void test_bls(void **state)
{
	const char *text = "title AlmaLinux (4.18.0-553.el8_10.x86_64) 8.10\nversion 4.18.0-553.el8_10.x86_64\n"
			   "linux /vmlinuz-4.18.0-553.el8_10.x86_64\ninitrd /initramfs-4.18.0-553.el8_10.x86_64.img $tuned_initrd\n"
			   "options $kernelopts $tuned_params\n# comment\n\ngrub_class kernel\n";
	struct bls_entry e = {0};
	assert_int_equal(bls_entry_parse("m-4.18", "/boot/loader/entries/m-4.18.conf", text, strlen(text), &e), 0);
	assert_string_equal(e.version, "4.18.0-553.el8_10.x86_64");
	assert_string_equal(e.options, "$kernelopts $tuned_params");
	assert_int_equal(e.n_initrd, 2);
	assert_int_equal(e.n, 6);
	struct grubenv env = {0};
	grubenv_set(&env, "kernelopts", "root=UUID=1 ro  quiet");
	char *x = bls_expand(e.options, &env);
	assert_string_equal(x, "root=UUID=1 ro quiet");
	free(x);
	x = bls_expand("${kernelopts}X $ $1 ${unterminated", &env);
	assert_string_equal(x, "root=UUID=1 ro quietX $ ${unterminated");
	free(x);
	bls_entry_set(&e, "options", "root=UUID=1 ro rd.upgrade");
	bls_entry_set(&e, "grub_users", "$grub_users");
	bls_entry_set(&e, "initrd", NULL);
	assert_int_equal(e.n_initrd, 0);
	char *f = bls_entry_format(&e);
	assert_string_equal(f, "title AlmaLinux (4.18.0-553.el8_10.x86_64) 8.10\nversion 4.18.0-553.el8_10.x86_64\n"
			       "linux /vmlinuz-4.18.0-553.el8_10.x86_64\noptions root=UUID=1 ro rd.upgrade\ngrub_class kernel\n"
			       "grub_users $grub_users\n");
	free(f);

	struct bls_entry v[3] = {0};
	bls_entry_parse("a-5", "x", "title Five\n", 11, &v[0]);
	bls_entry_parse("a-4", "x", "title Four\n", 11, &v[1]);
	bls_entry_parse("a-3", "x", "title Three\n", 12, &v[2]);
	struct grubenv g = {0};
	assert_int_equal(bls_default_index(v, 3, &g), 0);
	grubenv_set(&g, "saved_entry", "a-4");
	assert_int_equal(bls_default_index(v, 3, &g), 1);
	grubenv_set(&g, "saved_entry", "Three");
	assert_int_equal(bls_default_index(v, 3, &g), 2);
	grubenv_set(&g, "saved_entry", "2");
	assert_int_equal(bls_default_index(v, 3, &g), 2);
	grubenv_set(&g, "saved_entry", "gone");
	assert_int_equal(bls_default_index(v, 3, &g), 0);
	assert_int_equal(bls_default_index(v, 0, &g), -1);
	for (int i = 0; i < 3; i++)
		bls_entry_clear(&v[i]);
	bls_entry_clear(&e);
	grubenv_clear(&env);
	grubenv_clear(&g);
}

static void check_add(const char *in, const char *want)
{
	char *out = sshd_config_add_directive(in, strlen(in), "PermitRootLogin", "yes", NULL);
	if (strcmp(out, want))
		fail_msg("add to [%s]:\n got [%s]\nwant [%s]", in, out, want);
	free(out);
}

static void test_sshd(void **state)
{
	check_add("", "PermitRootLogin yes\n");
	check_add("A 1\n", "A 1\n\nPermitRootLogin yes\n");
	check_add("A 1\n\n", "A 1\n\nPermitRootLogin yes\n");
	check_add("A 1", "A 1\n\nPermitRootLogin yes\n");
	check_add("A 1\n#PermitRootLogin prohibit-password\nB 2\n", "A 1\n#PermitRootLogin prohibit-password\nPermitRootLogin yes\nB 2\n");
	check_add("A 1\nMatch User x\n  B 2\n", "A 1\nPermitRootLogin yes\n\nMatch User x\n  B 2\n");
	check_add("A 1\nMatch User x\n#PermitRootLogin no\n", "A 1\nPermitRootLogin yes\n\nMatch User x\n#PermitRootLogin no\n");
	check_add("# PermitRootLoginX no\n", "# PermitRootLoginX no\n\nPermitRootLogin yes\n");
	char *out = sshd_config_add_directive("A 1\n", 4, "PermitRootLogin", "yes", "why");
	assert_string_equal(out, "A 1\n\n# why\nPermitRootLogin yes\n");
	free(out);

	const char *cfg = "PermitRootLogin=no # trailing\nMatch Group g\nPermitRootLogin yes\nMatch all\nPort 22\n"
			  "Banner \"/etc/issue net\"\n";
	struct sshd_config c = {0};
	assert_int_equal(sshd_config_parse("/etc/ssh/sshd_config", cfg, strlen(cfg), &c), 0);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.v[0].keyword, "permitrootlogin");
	assert_string_equal(c.v[0].value, "no");
	assert_true(c.v[1].in_match);
	assert_false(c.v[2].in_match);
	assert_string_equal(c.v[3].value, "/etc/issue net");
	const struct sshd_directive *d = sshd_config_effective(&c, "PermitRootLogin");
	assert_non_null(d);
	assert_int_equal(d->line, 1);
	sshd_config_clear(&c);

	json_t *facts = json_pack("{s:b, s:[]}", "present", 1, "permit_root_login");
	assert_true(sshd_permit_root_login_needed(facts, 8, 9));
	assert_false(sshd_permit_root_login_needed(facts, 9, 10));
	json_array_append_new(json_object_get(facts, "permit_root_login"), json_pack("{s:b}", "in_match", 1));
	assert_true(sshd_permit_root_login_needed(facts, 8, 9));
	json_array_append_new(json_object_get(facts, "permit_root_login"), json_pack("{s:b}", "in_match", 0));
	assert_false(sshd_permit_root_login_needed(facts, 8, 9));
	json_decref(facts);
}

static void test_osrelease(void **state)
{
	const char *t = "# comment\nNAME=\"Alma Linux\"\nID=almalinux\nVERSION_ID='8.10'\nPRETTY_NAME=\"say \\\"hi\\\" \\$x\"\n"
			"BAD LINE\nX=a\\ b # c\n";
	json_t *o = os_release_parse(t, strlen(t));
	assert_string_equal(json_string_value(json_object_get(o, "NAME")), "Alma Linux");
	assert_string_equal(json_string_value(json_object_get(o, "ID")), "almalinux");
	assert_string_equal(json_string_value(json_object_get(o, "VERSION_ID")), "8.10");
	assert_string_equal(json_string_value(json_object_get(o, "PRETTY_NAME")), "say \"hi\" $x");
	assert_string_equal(json_string_value(json_object_get(o, "X")), "a b");
	assert_null(json_object_get(o, "BAD LINE"));
	json_decref(o);
	assert_int_equal(os_release_version_major("8.10"), 8);
	assert_int_equal(os_release_version_major("10"), 10);
	assert_int_equal(os_release_version_major("x"), -1);
}

static void test_mounts(void **state)
{
	char dir[] = "/tmp/actorlib-test.XXXXXX";
	assert_non_null(mkdtemp(dir));
	_cleanup_free_ char *fstab = path_join(dir, "fstab");
	const char *t = "# x\nUUID=abc / xfs defaults 0 0\nsrv:/e /mnt/e nfs4 _netdev 0 0\n\nbroken\n/dev/sdb1 /data ext4 noatime 1 2\n";
	assert_int_equal(write_file_atomic(fstab, t, strlen(t), 0644), 0);
	struct mount_list l = {0};
	assert_int_equal(fstab_load(fstab, "/etc/fstab", &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].uuid, "abc");
	assert_true(l.v[1].network);
	assert_int_equal(l.v[1].line, 3);
	assert_int_equal(l.v[2].line, 6);
	assert_int_equal(l.v[2].passno, 2);
	assert_int_equal(l.n_warnings, 1);
	assert_string_equal(l.warnings[0], "/etc/fstab:5: not a valid entry (ignored)");
	assert_string_equal(mount_list_find_for_path(&l, "/data/x")->target, "/data");
	assert_string_equal(mount_list_find_for_path(&l, "/database")->target, "/");
	assert_string_equal(mount_list_find_target(&l, "/mnt/e")->fstype, "nfs4");
	mount_list_clear(&l);
	const char *mi = "95 1 252:2 / / rw,relatime shared:1 - xfs /dev/vda2 rw,noquota\n"
			 "96 95 0:50 / /mnt/s rw shared:2 - cifs //srv/s rw,vers=3.1.1\n";
	assert_int_equal(mountinfo_parse(mi, strlen(mi), "mountinfo", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].fs_options, "rw,noquota");
	assert_true(l.v[1].network);
	mount_list_clear(&l);
	assert_true(mount_fstype_is_network("nfs"));
	assert_true(mount_fstype_is_network("smb3"));
	assert_false(mount_fstype_is_network("xfs"));
	assert_int_equal(fstab_load("/nonexistent/fstab", "x", &l), -ENOENT);
	uint64_t total, avail;
	char *checked = NULL;
	_cleanup_free_ char *deep = path_join(dir, "a/b/c");
	assert_int_equal(mount_free_space_get(deep, &total, &avail, &checked), 0);
	assert_string_equal(checked, dir);
	assert_true(total > 0);
	free(checked);
	unlink(fstab);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vercmp),  cmocka_unit_test(test_grubenv),    cmocka_unit_test(test_bls),
		cmocka_unit_test(test_sshd),    cmocka_unit_test(test_osrelease), cmocka_unit_test(test_mounts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
