/* Fuzz target: repomd.xml as a (possibly hostile) mirror serves it: the <data> entries
 * (actors/lib/fetch/repomd.c). */
#include "fetch.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *xml = xstrndup((const char *)data, size);
	struct repomd_data *d = NULL;
	size_t n = 0;
	if (repomd_parse(xml, &d, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (!d[i].type || !d[i].href)
				abort();
		repomd_data_free(d, n);
	}
	return 0;
}
