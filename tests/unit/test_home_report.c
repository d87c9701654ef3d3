/* test_home_report.c - the real menus/ and translations/: in every language
 * and every script variant (Burmese in Zawgyi, Vietnamese and Tetum
 * plain), drafts served or not, the first page of the home
 * menu over SMS and over USSD holds the "Report a problem / SOS" choice. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"
#include "core/log.h"
#include "render/render.h"
#include "session/engine.h"

#include "content_fixture.h"

static struct content *real;

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_home_report", LOG_LEVEL_ERROR);
	return cfx_load_src("", &real);
}

static int
group_teardown(void **state)
{
	(void)state;
	content_free(real);
	return 0;
}

/* The line home shows for the report choice in lang ("1 Report a problem /
 * SOS"), in the language's script variant when variant (Zawgyi, or plain).
 * Fills line; 0, or -1 (the test fails). */
static int
report_line(const char *lang, bool variant, bool fuzzy, char *line, size_t size)
{
	const struct content_node *home = content_home(real);
	const struct content_node *rep = NULL;
	char *zg = NULL;
	const char *title;
	size_t k;

	for (k = 0; k < home->nchildren; k++) {
		rep = content_find(real, home->children[k]);
		if (rep != NULL && rep->kind == CONTENT_ACTION &&
		    rep->action == CONTENT_ACTION_REPORT)
			break;
	}
	if (k == home->nchildren || rep == NULL)
		return -1;
	title = content_tr(real, lang, rep->id, rep->title, fuzzy);
	if (variant && engine_script(real, lang, true) == RENDER_SCRIPT_ZAWGYI) {
		if (render_zawgyi(title, &zg) == -1)
			return -1;
		title = zg;
	} else if (variant) {
		if (render_plain(title, &zg) == -1)
			return -1;
		title = zg;
	}
	snprintf(line, size, "%zu %s", k + 1, title);
	free(zg);
	return 0;
}

/* Does page hold want as a whole line? */
static bool
has_line(const char *page, const char *want)
{
	size_t n = strlen(want);

	for (const char *p = page; (p = strstr(p, want)) != NULL; p++)
		if ((p == page || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static void
test_report_on_first_page(void **state)
{
	struct engine_settings s;
	size_t checked = 0, entries = 0;

	(void)state;
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	for (int fz = 0; fz <= 1; fz++) {
		s.serve_fuzzy = fz == 1;
		for (size_t li = 0; li < content_nlanguages(real); li++) {
			const struct content_language *l = content_language_at(real, li);

			for (int zg = 0; zg <= ((l->variant[0] != 0) ? 1 : 0); zg++) {
				for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++) {
					struct engine_reply r;
					char want[256], nfc_want[256];
					char *n;

					memset(&r, 0, sizeof(r));
					assert_int_equal(report_line(l->code, zg == 1,
							     s.serve_fuzzy, want, sizeof(want)),
					    0);
					/* pages are NFC: compare with the NFC line */
					n = render_nfc(want);
					assert_non_null(n);
					snprintf(nfc_want, sizeof(nfc_want), "%s", n);
					free(n);
					assert_int_equal(engine_render_node(real, &s,
							     (enum engine_channel)ch, l->code,
							     zg == 1, "home", &r),
					    0);
					assert_true(r.pages.n >= 1);
					if (!has_line(r.pages.v[0].text, nfc_want))
						fail_msg("%s%s %s%s: \"%s\" is not on the first "
							 "page of home:\n%s",
						    l->code, zg ? " (variant)" : "",
						    ch == ENGINE_SMS ? "SMS" : "USSD",
						    s.serve_fuzzy ? " (drafts served)" : "",
						    nfc_want, r.pages.v[0].text);
					/* a plain variant's page is all GSM-7 */
					if (zg && strcmp(l->variant, "plain") == 0)
						assert_int_equal(r.pages.v[0].coding, RENDER_GSM7);
					engine_reply_free(&r);
					checked++;
				}
			}
		}
	}
	/* every language and every variant, two channels, drafts served or not */
	for (size_t li = 0; li < content_nlanguages(real); li++)
		entries += content_language_at(real, li)->variant[0] != '\0' ? 2 : 1;
	assert_true(entries >= 12 + 3); /* Zawgyi, Vietnamese and Tetum plain */
	assert_int_equal(checked, 2 * 2 * entries);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_on_first_page),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
