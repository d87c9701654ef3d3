/* content_fixture.h - a throw-away content tree (menus/ and translations/
 * in a mkdtemp folder) for every unit test that builds one: make, write or
 * copy files, load, empty, remove. */
#ifndef KAWAN_CONTENT_FIXTURE_H
#define KAWAN_CONTENT_FIXTURE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "content/content.h"

/* menus/countries.cfg as the repository has its nationality choices: the
 * seven sending states the report flow offers, in its order, and the
 * deployment countries. */
#define CFX_COUNTRIES                                                                              \
	"countries = (\n"                                                                          \
	"  { code = \"ID\"; name = \"Indonesia\"; choice = true; },\n"                             \
	"  { code = \"PH\"; name = \"Philippines\"; choice = true; },\n"                           \
	"  { code = \"MM\"; name = \"Myanmar\"; choice = true; },\n"                               \
	"  { code = \"KH\"; name = \"Cambodia\"; choice = true; },\n"                              \
	"  { code = \"LA\"; name = \"Laos\"; choice = true; },\n"                                  \
	"  { code = \"VN\"; name = \"Viet Nam\"; choice = true; },\n"                              \
	"  { code = \"TL\"; name = \"Timor-Leste\"; choice = true; },\n"                           \
	"  { code = \"MY\"; name = \"Malaysia\"; },\n"                                             \
	"  { code = \"TH\"; name = \"Thailand\"; },\n"                                             \
	"  { code = \"SG\"; name = \"Singapore\"; },\n"                                            \
	"  { code = \"BN\"; name = \"Brunei\"; }\n"                                                \
	");\n"

struct cfx_dir {
	char dir[64];
	char menus[96], trans[96];
};

/* Makes /tmp/<prefix>-XXXXXX with empty menus/ and translations/. */
static inline void
cfx_make(struct cfx_dir *d, const char *prefix)
{
	assert_true(
	    snprintf(d->dir, sizeof(d->dir), "/tmp/%s-XXXXXX", prefix) < (int)sizeof(d->dir));
	assert_non_null(mkdtemp(d->dir));
	snprintf(d->menus, sizeof(d->menus), "%s/menus", d->dir);
	snprintf(d->trans, sizeof(d->trans), "%s/translations", d->dir);
	assert_int_equal(mkdir(d->menus, 0700), 0);
	assert_int_equal(mkdir(d->trans, 0700), 0);
}

/* Writes a, then b and c when not NULL, as dir/name. */
static inline void
cfx_write(const char *dir, const char *name, const char *a, const char *b, const char *c)
{
	char path[256];
	FILE *fp;

	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(a, fp);
	if (b != NULL)
		fputs(b, fp);
	if (c != NULL)
		fputs(c, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Copies the file from into dir/name. */
static inline void
cfx_copy(const char *from, const char *dir, const char *name)
{
	char path[256], buf[8192];
	FILE *in, *out;
	size_t n;

	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path));
	in = fopen(from, "r");
	assert_non_null(in);
	out = fopen(path, "w");
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	assert_int_equal(ferror(in), 0);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Loads the tree; a tree that does not load fails the test with its errors. */
static inline struct content *
cfx_load(const struct cfx_dir *d)
{
	struct content_errors errs;
	struct content *c = NULL;
	char buf[4096];

	if (content_load(d->menus, d->trans, &c, &errs) == -1) {
		content_errors_format(&errs, buf, sizeof(buf));
		fprintf(stderr, "%s", buf);
		fail_msg("fixture content does not load");
	}
	return c;
}

static inline void
cfx_empty(const char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(dp);
}

/* Removes every file of the tree and its folders. */
static inline void
cfx_remove(struct cfx_dir *d)
{
	cfx_empty(d->menus);
	cfx_empty(d->trans);
	rmdir(d->menus);
	rmdir(d->trans);
	cfx_empty(d->dir); /* files a test set aside; the two folders are gone */
	rmdir(d->dir);
}

/* Loads the content under the source tree (KAWAN_SRCDIR, default "."):
 * rel "" for the repository's menus/ and translations/, or a folder such
 * as "tests/unit/data/content/good/" holding both. 0, or -1 with the
 * loader's errors printed (for a cmocka group setup). */
static inline int
cfx_load_src(const char *rel, struct content **out)
{
	const char *s = getenv("KAWAN_SRCDIR");
	static struct content_errors errs;
	char m[512], t[512], buf[8192];

	if (s == NULL || s[0] == '\0')
		s = ".";
	snprintf(m, sizeof(m), "%s/%smenus", s, rel);
	snprintf(t, sizeof(t), "%s/%stranslations", s, rel);
	if (content_load(m, t, out, &errs) == -1) {
		content_errors_format(&errs, buf, sizeof(buf));
		print_error("%s does not load:\n%s", m, buf);
		return -1;
	}
	return 0;
}

#endif
