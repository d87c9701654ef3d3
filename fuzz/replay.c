/* replay.c - a fuzz target without libFuzzer: feeds every file of
 * fuzz/regress/NAME/ (inputs that once crashed or broke an invariant)
 * and fuzz/corpus/NAME/ (the seeds) to the target's
 * LLVMFuzzerTestOneInput, as a cmocka test in `make check`. NAME comes
 * from the binary's name (replay_NAME); the files are found under
 * KAWAN_SRCDIR (default "."). A crash or a failed invariant aborts the
 * binary, which fails the test; a folder without files fails too (a
 * replay that replays nothing cannot fail). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define REPLAY_MAX_INPUT (1024 * 1024)

static char target[64];

/* Feeds each regular file of fuzz/<kind>/<target>/ to the target; how many. */
static int
replay_dir(const char *kind)
{
	char dir[512], path[1024];
	struct dirent **names;
	unsigned char *buf;
	int n, fed = 0;

	snprintf(dir, sizeof(dir), "%s/fuzz/%s/%s", fuzz_srcdir(), kind, target);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		print_error("%s: cannot read the folder\n", dir);
		return 0;
	}
	buf = malloc(REPLAY_MAX_INPUT);
	assert_non_null(buf);
	for (int i = 0; i < n; i++) {
		FILE *fp;
		size_t len;

		if (names[i]->d_name[0] == '.' || strcmp(names[i]->d_name, "README") == 0) {
			free(names[i]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		free(names[i]);
		fp = fopen(path, "rb");
		assert_non_null(fp);
		len = fread(buf, 1, REPLAY_MAX_INPUT, fp);
		assert_int_equal(ferror(fp), 0);
		fclose(fp);
		/* (stderr: the file that crashed is the last one named) */
		fprintf(stderr, "replay %s\n", path);
		assert_int_equal(LLVMFuzzerTestOneInput(buf, len), 0);
		fed++;
	}
	free(names);
	free(buf);
	return fed;
}

static void
test_regress(void **state)
{
	(void)state;
	/* A target may have no crash to replay yet; the folder is there. */
	(void)replay_dir("regress");
}

static void
test_corpus(void **state)
{
	(void)state;
	assert_true(replay_dir("corpus") > 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regress),
		cmocka_unit_test(test_corpus),
	};
	const char *base;

	(void)argc;
	base = strrchr(argv[0], '/');
	base = base != NULL ? base + 1 : argv[0];
	if (strncmp(base, "replay_", 7) != 0 ||
	    snprintf(target, sizeof(target), "%s", base + 7) >= (int)sizeof(target)) {
		fprintf(stderr, "%s: the binary must be named replay_NAME\n", argv[0]);
		return 2;
	}
	return cmocka_run_group_tests_name(target, tests, NULL, NULL);
}
