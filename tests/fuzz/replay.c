/* Replays fuzz inputs through a target without libFuzzer: the regression corpus in make check. */
#include <dirent.h>

#include "leapp/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(path, 64u << 20, &data, &len) < 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	int n = 0;
	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		if (!d) {
			if (run_file(argv[i]) < 0)
				return 1;
			n++;
			continue;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *p = path_join(argv[i], de->d_name);
			if (run_file(p) < 0)
				return 1;
			free(p);
			n++;
		}
		closedir(d);
	}
	printf("replayed %d inputs\n", n);
	return 0;
}
