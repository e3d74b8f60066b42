/* Fuzz target: a metalink as MirrorManager (or a hostile server) serves it: parsed
 * (actors/lib/fetch/metalink.c), then a repomd.xml checked against its hashes. */
#include "fetch.h"
#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *xml = xstrndup((const char *)data, size);
	struct metalink m = {0};
	char *err = NULL;
	if (metalink_parse(xml, &m, &err) == 0) {
		for (size_t i = 0; i < m.n_urls; i++)
			if (!m.urls[i])
				abort();
		char *verr = NULL;
		metalink_verify(&m, data, size, &verr);
		free(verr);
		metalink_clear(&m);
	}
	free(err);
	return 0;
}
