/* Fuzz target: a mirrorlist as a server sends it (actors/lib/fetch/download.c): one URL a line,
 * comments and blank lines skipped. */
#include "fetch.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = xstrndup((const char *)data, size);
	char **urls = NULL;
	size_t n = 0;
	if (dl_parse_mirrorlist(text, &urls, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (!urls[i] || !*urls[i] || urls[i][0] == '#')
				abort(); /* no empty entries, no comments */
			free(urls[i]);
		}
		free(urls);
	}
	return 0;
}
