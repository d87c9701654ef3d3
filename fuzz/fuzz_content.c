/* fuzz_content.c - the content loader (gateway/content): menus .cfg files
 * (libconfig text and every check of content_menus.c, _keywords.c,
 * _countries.c) and PO catalogs (content_po.c, through libgettextpo).
 *
 * A copy of tests/unit/data/content/good/ (a small tree that loads) is
 * made once; each input replaces one of its files: the first byte picks
 * which (modulo their number, in the order of `files` below), the rest is
 * the file's text. The file is put back afterwards.
 *
 * Invariants: a tree that loads has a home node, every node is found
 * again by its id and every child id of a menu names a node, every
 * language is found by its code; a tree that does not load says why in
 * at least one terminated, non-empty error (kept <= found <= ...). */
#include <sys/stat.h>

#include "fuzz.h"

#define FUZZ_CONTENT_MAX 65536

static const char *const files[] = {
	"menus/home.cfg",
	"menus/ui.cfg",
	"menus/keywords.cfg",
	"menus/languages.cfg",
	"menus/zcontacts.cfg",
	"translations/ms.po",
	"translations/th.po",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static char root[256], menus[300], trans[300];
static char *orig[NFILES]; /* each file's text as in the tree */
static size_t orig_len[NFILES];

static void
cleanup(void)
{
	char p[400];

	for (size_t i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		unlink(p);
	}
	rmdir(menus);
	rmdir(trans);
	rmdir(root);
}

static void
setup(void)
{
	char from[600], to[400];

	if (root[0] != '\0')
		return;
	fuzz_quiet();
	snprintf(root, sizeof(root), "%s/content", fuzz_dir());
	snprintf(menus, sizeof(menus), "%s/menus", root);
	snprintf(trans, sizeof(trans), "%s/translations", root);
	FUZZ_CHECK(mkdir(root, 0700) == 0 && mkdir(menus, 0700) == 0 && mkdir(trans, 0700) == 0);
	atexit(cleanup);
	for (size_t i = 0; i < NFILES; i++) {
		FILE *fp;
		long n;

		snprintf(from, sizeof(from), "%s/tests/unit/data/content/good/%s", fuzz_srcdir(),
		    files[i]);
		fp = fopen(from, "rb");
		if (fp == NULL) {
			perror(from);
			abort();
		}
		FUZZ_CHECK(fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0);
		rewind(fp);
		orig[i] = malloc((size_t)n + 1);
		FUZZ_CHECK(orig[i] != NULL);
		FUZZ_CHECK(fread(orig[i], 1, (size_t)n, fp) == (size_t)n);
		fclose(fp);
		orig_len[i] = (size_t)n;
		snprintf(to, sizeof(to), "%s/%s", root, files[i]);
		fuzz_write_file(to, orig[i], orig_len[i]);
	}
}

static void
check_loaded(const struct content *c)
{
	const struct content_node *home = content_home(c);

	FUZZ_CHECK(home != NULL);
	FUZZ_CHECK(content_nnodes(c) > 0);
	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);

		FUZZ_CHECK(n != NULL && n->id != NULL && n->text != NULL);
		FUZZ_CHECK(content_find(c, n->id) == n);
		for (size_t k = 0; k < n->nchildren; k++)
			FUZZ_CHECK(content_find(c, n->children[k]) != NULL);
	}
	FUZZ_CHECK(content_nlanguages(c) >= 1);
	for (size_t i = 0; i < content_nlanguages(c); i++) {
		const struct content_language *l = content_language_at(c, i);

		FUZZ_CHECK(l != NULL && l->code != NULL);
		FUZZ_CHECK(content_find_language(c, l->code) == l);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct content_errors errs;
	struct content *c = NULL;
	char path[400];
	size_t f;

	if (size < 1 || size > FUZZ_CONTENT_MAX)
		return 0;
	setup();
	f = data[0] % NFILES;
	snprintf(path, sizeof(path), "%s/%s", root, files[f]);
	fuzz_write_file(path, data + 1, size - 1);
	memset(&errs, 0xa5, sizeof(errs));
	if (content_load(menus, trans, &c, &errs) == 0) {
		FUZZ_CHECK(c != NULL);
		check_loaded(c);
		content_free(c);
	} else {
		FUZZ_CHECK(c == NULL);
		FUZZ_CHECK(errs.n >= 1 && errs.n <= CONTENT_ERRORS_MAX && errs.n <= errs.total);
		for (size_t i = 0; i < errs.n; i++) {
			FUZZ_CHECK(memchr(errs.e[i].msg, '\0', sizeof(errs.e[i].msg)) != NULL);
			FUZZ_CHECK(memchr(errs.e[i].file, '\0', sizeof(errs.e[i].file)) != NULL);
			FUZZ_CHECK(errs.e[i].msg[0] != '\0' && errs.e[i].line >= 0);
		}
	}
	fuzz_write_file(path, orig[f], orig_len[f]);
	return 0;
}
