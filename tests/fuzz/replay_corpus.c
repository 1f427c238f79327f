// SPDX-License-Identifier: MIT
// Runs a fuzz target over every file of a corpus directory: the corpus replay of every normal test run.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		fprintf(stderr, "%s: cannot open\n", argv[1]);
		return 2;
	}
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
		size_t got = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, got);
		free(buf);
		files++;
	}
	closedir(d);
	printf("%d inputs replayed\n", files);
	return files > 0 ? 0 : 1; /* an empty corpus proves nothing */
}
