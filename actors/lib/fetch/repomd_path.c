/* Where a target repository's metadata is on this machine (no network code: for every reader). */
#include "fetch.h"

#include "leapp/util.h"

const char *repomd_local_dir(const char *url)
{
	if (!url)
		return NULL;
	if (str_startswith(url, "file://"))
		url += strlen("file://");
	return url[0] == '/' ? url : NULL;
}

const char *repomd_dir_of(json_t *repo)
{
	const char *m = json_string_value(json_object_get(repo, "metadata_path"));
	if (m && *m)
		return m;
	return repomd_local_dir(json_string_value(json_array_get(json_object_get(repo, "baseurl"), 0)));
}

