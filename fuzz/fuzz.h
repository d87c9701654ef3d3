/* fuzz.h - what the libFuzzer targets share: an invariant check that
 * aborts (libFuzzer and the replay driver both report an abort as a
 * failure), the source tree's folder, the real content loaded once, a
 * fresh store per input, and a UTF-8 validity test that does not use the
 * code under test. */
#ifndef KAWAN_FUZZ_H
#define KAWAN_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "content/content.h"
#include "core/log.h"
#include "store/store.h"

/* Each target defines it (libFuzzer's entry point). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: on failure, says which and aborts. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
			    #cond);                                                                \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The source tree (KAWAN_SRCDIR, default "."), for menus/ and translations/. */
static inline const char *
fuzz_srcdir(void)
{
	const char *s = getenv("KAWAN_SRCDIR");

	return s != NULL && s[0] != '\0' ? s : ".";
}

/* Quiet logs (the targets make the code under test complain a lot). */
static inline void
fuzz_quiet(void)
{
	static bool done;

	if (!done) {
		log_init("fuzz", (enum log_level) - 1); /* not even errors */
		done = true;
	}
}

/* The repository's menus/ and translations/, loaded on first use and kept
 * (reachable to the end: no leak). Aborts when they do not load. */
static inline const struct content *
fuzz_content(void)
{
	static struct content *c;
	static struct content_errors errs;
	char m[512], t[512], buf[4096];

	if (c != NULL)
		return c;
	snprintf(m, sizeof(m), "%s/menus", fuzz_srcdir());
	snprintf(t, sizeof(t), "%s/translations", fuzz_srcdir());
	if (content_load(m, t, &c, &errs) == -1) {
		content_errors_format(&errs, buf, sizeof(buf));
		fprintf(stderr, "fuzz: %s does not load (set KAWAN_SRCDIR):\n%s", m, buf);
		abort();
	}
	return c;
}

/* A private folder for the target's files, made once (mkdtemp under
 * TMPDIR, else /dev/shm where there is one: a store fsyncs each commit,
 * else /tmp). The caller unlinks its files; the folder is removed at exit. */
static char fuzz_dir_path[128];

static inline void
fuzz_dir_remove(void)
{
	rmdir(fuzz_dir_path);
}

static inline const char *
fuzz_dir(void)
{
	const char *t = getenv("TMPDIR");

	if (fuzz_dir_path[0] != '\0')
		return fuzz_dir_path;
	if (t == NULL || t[0] == '\0')
		t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(fuzz_dir_path, sizeof(fuzz_dir_path), "%s/kawan-fuzz-XXXXXX", t);
	if (mkdtemp(fuzz_dir_path) == NULL) {
		perror("fuzz: mkdtemp");
		abort();
	}
	atexit(fuzz_dir_remove);
	return fuzz_dir_path;
}

/* Writes size bytes of data to path (whole, or aborts). */
static inline void
fuzz_write_file(const char *path, const void *data, size_t size)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL || (size > 0 && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
		perror(path);
		abort();
	}
}

/* True when s (n bytes) is well-formed UTF-8: shortest forms, no
 * surrogates, nothing above U+10FFFF. Written apart from core/charset.c
 * so it can judge it. */
static inline bool
fuzz_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], cp, need, min;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else
			return false;
		if (n - i <= need)
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
	}
	return true;
}

#endif
