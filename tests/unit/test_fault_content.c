/* test_fault_content.c - fault sweeps over the content loader (issue 11):
 * content_load of a menus/ folder and its PO catalogs with the Nth
 * allocation of the gateway's code failing (fault_vfs.c; libconfig's and
 * libgettextpo's own allocations are not counted), for N = 1, 2, ... until
 * a load hits no fault. After each: no crash, no leak (ASan/LSan in
 * check-sanitize), either an error returned with *out NULL and the error
 * said, or a snapshot identical to the clean load (never success with
 * half-loaded content: every node, translation, keyword and contact is
 * compared); with the fault gone, the same load succeeds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "content/content.h"
#include "core/log.h"

#include "fault_vfs.h"

struct fx {
	char menus[512], trans[512];
	uint64_t want; /* the fingerprint of the clean load */
	struct content *c;
	struct content_errors errs;
};

/* FNV-1a over s and its NUL. */
static void
fp_add(uint64_t *h, const char *s)
{
	if (s == NULL)
		s = "(null)";
	do {
		*h ^= (unsigned char)*s;
		*h *= 1099511628211ULL;
	} while (*s++ != '\0');
}

static void
fp_int(uint64_t *h, long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", v);
	fp_add(h, buf);
}

static const char *const fp_ui[] = { "back", "home", "more", "invalid", "choose_language",
	"language_set", "contacts_none", "report_intro", "report_ref", "stopped" };
static const char *const fp_words[] = { "HELP", "SOS", "MENU", "LANG", "STOP", "STATUS", "TOLONG",
	"BANTUAN", "MENIU", "BAHASA", "BERHENTI", "hello" };

/* Everything a reader or the engine can see of c, in every language. */
static uint64_t
fingerprint(const struct content *c)
{
	uint64_t h = 14695981039346656037ULL;

	fp_int(&h, (long long)content_nnodes(c));
	fp_int(&h, (long long)content_nlanguages(c));
	fp_int(&h, (long long)content_ncountries(c));
	fp_int(&h, (long long)content_nchoices(c));
	for (size_t l = 0; l < content_nlanguages(c); l++) {
		const struct content_language *lg = content_language_at(c, l);

		fp_add(&h, lg->code);
		fp_add(&h, lg->name);
		fp_add(&h, lg->nationality);
		for (size_t i = 0; i < content_nnodes(c); i++) {
			const struct content_node *nd = content_node_at(c, i);

			fp_add(&h, nd->id);
			fp_int(&h, nd->kind);
			fp_int(&h, (long long)nd->nchildren);
			for (size_t k = 0; k < nd->nchildren; k++)
				fp_add(&h, nd->children[k]);
			fp_int(&h, (long long)nd->ncontacts);
			for (size_t k = 0; k < nd->ncontacts; k++) {
				const struct content_contact *ct = nd->contacts[k];

				fp_add(&h, ct->number);
				fp_add(&h, content_tr(c, lg->code, ct->ctxt, ct->name, true));
			}
			fp_add(&h, content_tr(c, lg->code, nd->id, nd->title, false));
			fp_add(&h, content_tr(c, lg->code, nd->id, nd->text, true));
		}
		for (size_t i = 0; i < sizeof(fp_ui) / sizeof(fp_ui[0]); i++)
			fp_add(&h, content_ui(c, lg->code, fp_ui[i], true));
	}
	for (size_t i = 0; i < sizeof(fp_words) / sizeof(fp_words[0]); i++) {
		const char *lang = NULL;

		fp_int(&h, content_keyword(c, fp_words[i], &lang, NULL));
		fp_add(&h, lang);
	}
	return h;
}

static int
load(struct fx *x)
{
	return content_load(x->menus, x->trans, &x->c, &x->errs);
}

static int
setup_at(void **state, const char *rel)
{
	const char *s = getenv("KAWAN_SRCDIR");
	struct fx *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return -1;
	if (s == NULL || s[0] == '\0')
		s = ".";
	snprintf(x->menus, sizeof(x->menus), "%s/%smenus", s, rel);
	snprintf(x->trans, sizeof(x->trans), "%s/%stranslations", s, rel);
	if (load(x) != 0) {
		print_error("%s does not load\n", x->menus);
		free(x);
		return -1;
	}
	x->want = fingerprint(x->c);
	content_free(x->c);
	x->c = NULL;
	*state = x;
	return 0;
}

static int
setup_good(void **state)
{
	return setup_at(state, "tests/unit/data/content/good/");
}

static int
setup_glossary(void **state)
{
	return setup_at(state, "tests/unit/data/content/glossary/");
}

static int
setup_repo(void **state)
{
	return setup_at(state, "");
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	content_free(x->c);
	free(x);
	return 0;
}

static void
load_reset(void *arg)
{
	struct fx *x = arg;

	content_free(x->c);
	x->c = NULL;
}

static int
load_op(void *arg)
{
	return load(arg);
}

static void
load_check(void *arg, int rc, bool hit)
{
	struct fx *x = arg;

	if (!hit)
		assert_int_equal(rc, 0);
	if (rc != 0) {
		assert_int_equal(rc, -1);
		assert_null(x->c);              /* nothing half-loaded handed out */
		assert_true(x->errs.total > 0); /* and the failure is said */
	} else {
		assert_non_null(x->c);
		assert_true(x->want == fingerprint(x->c)); /* all of it, or nothing */
		content_free(x->c);
		x->c = NULL;
	}
	/* The fault cleared: the same load succeeds, whole. */
	assert_int_equal(load(x), 0);
	assert_true(x->want == fingerprint(x->c));
	content_free(x->c);
	x->c = NULL;
}

static void
sweep(struct fx *x, const char *what, int stride, bool once_only)
{
	static const struct {
		const char *name;
		bool persist;
	} plans[] = { { "alloc-once", false }, { "alloc", true } };

	for (size_t i = 0; i < (once_only ? 1 : sizeof(plans) / sizeof(plans[0])); i++) {
		char name[64];
		struct fault_sweep s = { name, FAULT_ALLOC, 0, plans[i].persist, 200000, stride,
			load_reset, load_op, load_check };

		snprintf(name, sizeof(name), "content_load/%s/%s", what, plans[i].name);
		(void)fault_sweep_run(&s, x);
	}
}

/* menus/ with contacts, keywords and two PO catalogs (ms, th). */
static void
test_sweep_good(void **state)
{
	sweep(*state, "good", 1, false);
}

/* A glossary beside the catalog (translations/glossary.cfg). */
static void
test_sweep_glossary(void **state)
{
	sweep(*state, "glossary", 1, false);
}

/* The repository's menus/ and every catalog: ~4,200 allocations (each
 * load ~25 ms, most of it libgettextpo reading the catalogs): every N to
 * 64, then every 421st, a single failure (a failure that persists is
 * swept on the fixtures above). KAWAN_FAULT_FULL=1 in the environment:
 * every N, both plans (~8,500 points, ~15 minutes; passed). */
static void
test_sweep_repo(void **state)
{
	const char *full = getenv("KAWAN_FAULT_FULL");
	bool all = full != NULL && strcmp(full, "1") == 0;

	sweep(*state, "repo", all ? 1 : 421, !all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sweep_good, setup_good, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_glossary, setup_glossary, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_repo, setup_repo, teardown),
	};
	int rc;

	if (fault_init() != 0)
		return 1;
	log_init("test", LOG_LEVEL_ERROR);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("fault sweep points (test_fault_content): %d\n", fault_sweep_total());
	return rc;
}
