/* Actor sandbox: resource limits and privilege reduction applied between fork and exec. */
#include "sandbox.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "leapp/util.h"

int sandbox_check_host(char **ret_err)
{
	return 0;
}

int sandbox_prepare(struct sandbox_spec *s, char **ret_err)
{
	return 0;
}

static int set_limit(int resource, long long value)
{
	struct rlimit rl = {.rlim_cur = (rlim_t)value, .rlim_max = (rlim_t)value};
	return setrlimit(resource, &rl) < 0 ? -errno : 0;
}

int sandbox_enter(const struct sandbox_spec *s, const char **ret_what)
{
	if (!s->enabled)
		return 0;
	if (set_limit(RLIMIT_NOFILE, s->open_files) < 0) {
		*ret_what = "setrlimit(RLIMIT_NOFILE)";
		return -errno;
	}
	if (set_limit(RLIMIT_CPU, s->cpu_seconds) < 0) {
		*ret_what = "setrlimit(RLIMIT_CPU)";
		return -errno;
	}
	if (!s->sanitizer && set_limit(RLIMIT_AS, s->memory_mb * 1024 * 1024) < 0) {
		*ret_what = "setrlimit(RLIMIT_AS)";
		return -errno;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		*ret_what = "PR_SET_NO_NEW_PRIVS";
		return -errno;
	}
	return 0;
}

void sandbox_release(struct sandbox_spec *s)
{
}
