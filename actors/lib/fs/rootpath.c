/* Paths inside the root: lexical normalization. */
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "leapp/util.h"

char *fs_path_normalize(const char *base, const char *path)
{
	_cleanup_free_ char *joined = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", base ?: "/", path);
	size_t n = strlen(joined);
	char **parts = xmalloc(sizeof(char *) * (n / 2 + 2));
	size_t np = 0;
	char *save = NULL;
	for (char *t = strtok_r(joined, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..")) {
			if (np)
				np--;
			continue;
		}
		parts[np++] = t;
	}
	char *out = xmalloc(n + 2), *p = out;
	for (size_t i = 0; i < np; i++)
		p += sprintf(p, "/%s", parts[i]);
	if (!np)
		strcpy(out, "/");
	free(parts);
	return out;
}
