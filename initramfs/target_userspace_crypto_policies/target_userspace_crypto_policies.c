/* InterimPreparation: the target userspace's rpm, gpg and dnf must accept what the source
 * system accepts (e.g. SHA-1 signatures under LEGACY or DEFAULT:SHA1), so it gets the source's
 * /etc/crypto-policies/config and the admin's policies and modules, and its own
 * update-crypto-policies regenerates the back-ends for them (upstream
 * targetuserspacecryptopolicies, with cryptopoliciescheck's file copies). The upgraded system
 * keeps /etc/crypto-policies itself: the config is %config(noreplace) and the custom files are
 * the admin's. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "sys.h"
#include "leapp/actor.h"
#include "leapp/util.h"

#define UCP "/usr/bin/update-crypto-policies"

static void copy_in(const char *userspace, const char *abs_path)
{
	_cleanup_free_ char *src = NULL;
	if (fs_root_host_path(abs_path, &src) < 0)
		src = actor_path(abs_path);
	_cleanup_free_ char *dst = xasprintf("%s%s", userspace, abs_path);
	_cleanup_free_ char *dir = xstrdup(dst);
	*strrchr(dir, '/') = 0;
	int r = mkdir_p(dir, 0755);
	if (r >= 0)
		r = fs_copy_file(src, dst, 0644, NULL);
	if (r < 0)
		actor_error("cannot copy the crypto policy file into the target userspace", "%s -> %s: %s", src, dst,
			    strerror(-r));
	actor_info("copied %s into the target userspace", abs_path);
}

int main(int argc, char **argv)
{
	actor_init(argc, argv);
	json_t *us = actor_consume_last("TargetUserSpaceInfo");
	json_t *cpi = actor_consume_last("CryptoPolicyInfo");
	const char *policy = json_string_value(json_object_get(cpi, "current_policy"));
	const char *path = json_string_value(json_object_get(us, "path"));
	if (!us || !path || !policy || !strcmp(policy, "DEFAULT")) {
		json_decref(us);
		json_decref(cpi);
		return actor_finish();
	}
	static const char *const lists[] = {"custom_policies", "custom_modules"};
	for (size_t l = 0; l < 2; l++) {
		size_t i;
		json_t *f;
		json_array_foreach(json_object_get(cpi, lists[l]), i, f)
			copy_in(path, json_string_value(f));
	}
	if (!strcmp(json_string_value(json_object_get(cpi, "source")) ?: "", "config"))
		copy_in(path, "/etc/crypto-policies/config");
	_cleanup_free_ char *ucp = xasprintf("%s" UCP, path);
	struct stat st;
	if (stat(ucp, &st) < 0 || !json_is_true(json_object_get(us, "has_shell"))) {
		actor_warning("the target userspace has no %s (or no shell): the policy %s is configured there but its "
			      "back-ends are not regenerated",
			      UCP, policy);
	} else {
		_cleanup_free_ char *log = xasprintf("%s/update-crypto-policies.log", actor_scratch_dir());
		const char *const av[] = {UCP, "--no-reload", "--set", policy, NULL};
		struct sys_run_opts o = {.argv = av, .chroot = path, .log_path = log};
		int status = 0, r = sys_command_run(&o, &status);
		if (r < 0 || status != 0) {
			_cleanup_free_ char *tail = sys_log_tail(log, 10);
			actor_error("cannot set the crypto policy in the target userspace",
				    "update-crypto-policies --set %s in %s: %s%s%s", policy, path,
				    r < 0 ? strerror(-r) : "failed", *tail ? "\n" : "", tail);
		}
		actor_info("set the crypto policy %s in the target userspace", policy);
	}
	json_decref(us);
	json_decref(cpi);
	return actor_finish();
}
