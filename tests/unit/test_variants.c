/* test_variants.c - script variants with the real menus/ and translations/:
 * the plain transform, every page of every node in Vietnamese and Tetum
 * plain (drafts served or not) in GSM-7 and within the channel's limits,
 * the variant entries of the language list and its order per country. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"
#include "core/charset.h"
#include "core/log.h"
#include "render/render.h"
#include "session/engine.h"

#include "content_fixture.h"

static struct content *real;

static int
group_setup(void **state)
{
	(void)state;
	log_init("test_variants", LOG_LEVEL_ERROR);
	return cfx_load_src("", &real);
}

static int
group_teardown(void **state)
{
	(void)state;
	content_free(real);
	render_thread_end();
	return 0;
}

static void
plain_is(const char *in, const char *want)
{
	char *out = NULL;

	assert_int_equal(render_plain(in, &out), 0);
	assert_string_equal(out, want);
	assert_true(charset_gsm7_fits(out));
	free(out);
}

static void
test_plain_transform(void **state)
{
	char *out = NULL;

	(void)state;
	/* Vietnamese: two stacked marks, the horn, d with stroke */
	plain_is("Tiếng Việt", "Tieng Viet");
	plain_is("Quyền của bạn: Đường dây hỗ trợ", "Quyen cua ban: Duong day ho tro");
	plain_is("ươ ƯƠ đĐ", "uo UO dD");
	/* decomposed input gives the same */
	plain_is("Vie\xcc\xa3\xcc\x82t", "Viet");
	/* Tetum accents, and what GSM-7 lacks goes through Latin-ASCII */
	plain_is("Ajuda ba ema hotu – “servisu”… ó ñ", "Ajuda ba ema hotu - \"servisu\"... o n");
	/* GSM-7 characters that are not letters with marks stay */
	plain_is("£5 @ 100% {ok}", "£5 @ 100% {ok}");
	/* nothing Latin-ASCII knows: '?' so the page stays GSM-7 */
	plain_is("ok 中", "ok ?");
	/* the reader's script: plain only for a language with a plain variant */
	assert_int_equal(engine_script(real, "vi", true), RENDER_SCRIPT_PLAIN);
	assert_int_equal(engine_script(real, "tet", true), RENDER_SCRIPT_PLAIN);
	assert_int_equal(engine_script(real, "vi", false), RENDER_SCRIPT_UNICODE);
	assert_int_equal(engine_script(real, "my", true), RENDER_SCRIPT_ZAWGYI);
	assert_int_equal(engine_script(real, "th", true), RENDER_SCRIPT_UNICODE);
	assert_int_equal(render_for_phone("Việt", RENDER_SCRIPT_PLAIN, &out), 0);
	assert_string_equal(out, "Viet");
	free(out);
}

/* Every page of every node, both channels, drafts served or not, in each
 * plain variant: GSM-7, within its budget. Returns pages checked. */
static size_t
check_lang(const char *lang, size_t *segs_max)
{
	struct engine_settings s;
	size_t pages = 0;

	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	for (int fz = 0; fz <= 1; fz++) {
		s.serve_fuzzy = fz == 1;
		for (size_t ni = 0; ni < content_nnodes(real); ni++) {
			const struct content_node *nd = content_node_at(real, ni);

			/* The language list names each language in its own script
			 * (Thai, Khmer, ...): it is the one view no variant can
			 * make GSM-7. */
			if (nd->kind == CONTENT_ACTION && nd->action == CONTENT_ACTION_LANGUAGE)
				continue;
			for (int ch = ENGINE_SMS; ch <= ENGINE_USSD; ch++) {
				struct engine_reply r;
				struct render_limits lim =
				    ch == ENGINE_USSD ? s.ussd :
				    nd->kind == CONTENT_PAGE ?
							render_sms_limits(s.max_info_segments) :
							s.sms;

				memset(&r, 0, sizeof(r));
				if (engine_render_node(real, &s, (enum engine_channel)ch, lang,
					true, nd->id, &r) != 0)
					fail_msg("%s (%s plain) does not render", nd->id, lang);
				for (size_t i = 0; i < r.pages.n; i++) {
					const struct render_page *p = &r.pages.v[i];

					if (p->coding != RENDER_GSM7 || !charset_gsm7_fits(p->text))
						fail_msg(
						    "%s (%s plain, %s) page %zu is not GSM-7:\n%s",
						    nd->id, lang, ch == ENGINE_SMS ? "SMS" : "USSD",
						    i, p->text);
					if (p->units > lim.gsm7)
						fail_msg(
						    "%s (%s plain) page %zu over budget: %zu septets",
						    nd->id, lang, i, p->units);
					if (ch == ENGINE_SMS && (size_t)p->segments > *segs_max)
						*segs_max = (size_t)p->segments;
					pages++;
				}
				engine_reply_free(&r);
			}
		}
	}
	return pages;
}

static void
test_plain_every_page(void **state)
{
	size_t segs = 0;

	(void)state;
	assert_string_equal(content_find_language(real, "vi")->variant, "plain");
	assert_string_equal(content_find_language(real, "tet")->variant, "plain");
	assert_true(check_lang("vi", &segs) >= 4 * content_nnodes(real));
	assert_true(check_lang("tet", &segs) >= 4 * content_nnodes(real));
	assert_true(segs >= 1 && segs <= 3);
}

/* The language list names each variant, and its entry sets it. */
static void
test_list_entries(void **state)
{
	struct engine_settings s;
	struct engine_reply r;
	struct engine_session sess;
	char all[4096] = "", num[8];

	(void)state;
	engine_settings_default(&s);
	memcpy(s.country, "MY", 3);
	assert_int_equal(engine_render_languages(real, &s, ENGINE_SMS, &r), 0);
	for (size_t i = 0; i < r.pages.n; i++)
		strncat(all, r.pages.v[i].text, sizeof(all) - strlen(all) - 1);
	engine_reply_free(&r);
	assert_non_null(strstr(all, " Tieng Viet (khong dau)\n"));
	assert_non_null(strstr(all, " Tetun (la ho aksentu)"));
	assert_non_null(strstr(all, " (Zawgyi)"));
	/* pick the Vietnamese plain entry by its number */
	snprintf(num, sizeof(num), "%d", engine_lang_number(real, "MY", "vi", true));
	memset(&sess, 0, sizeof(sess));
	assert_int_equal(engine_step(real, &s, ENGINE_SMS, &sess, "hello", 1000, &r), 0);
	engine_reply_free(&r);
	assert_int_equal(sess.state, ENGINE_ST_LANG); /* no clue in "hello": the list */
	assert_int_equal(engine_step(real, &s, ENGINE_SMS, &sess, num, 2000, &r), 0);
	assert_string_equal(sess.lang, "vi");
	assert_true(sess.variant);
	assert_true(r.pages.n >= 1);
	assert_int_equal(r.pages.v[0].coding, RENDER_GSM7);
	engine_reply_free(&r);
}

/* The list's order follows the deployment's country (countries.cfg). */
static void
test_list_order(void **state)
{
	size_t n = content_nlanguages(real);

	(void)state;
	/* English first, then the country's main corridors */
	assert_int_equal(engine_lang_number(real, "MY", "en", false), 1);
	assert_int_equal(engine_lang_number(real, "MY", "id", false), 2);
	assert_int_equal(engine_lang_number(real, "MY", "ms", false), 3);
	assert_int_equal(engine_lang_number(real, "TH", "en", false), 1);
	assert_int_equal(engine_lang_number(real, "TH", "my", false), 2);
	assert_int_equal(engine_lang_number(real, "TH", "km", false), 4);
	/* a variant right after its language */
	assert_int_equal(engine_lang_number(real, "TH", "my", true), 3);
	assert_int_equal(engine_lang_number(real, "MY", "vi", true),
	    engine_lang_number(real, "MY", "vi", false) + 1);
	assert_int_equal(engine_lang_number(real, "SG", "id", false), 2);
	assert_int_equal(engine_lang_number(real, "SG", "fil", false), 3);
	assert_int_equal(engine_lang_number(real, "BN", "fil", false), 3);
	/* no order (a country without `languages`): languages.cfg order, then
	 * the variants, as before orders existed */
	assert_int_equal(engine_lang_number(real, "PH", "id", false), 2);
	assert_int_equal(engine_lang_number(real, "", "my", true), (int)n + 2);
	/* every entry once, in every order */
	for (int k = 0; k < 5; k++) {
		static const char *const cs[] = { "MY", "TH", "SG", "BN", "" };

		for (size_t i = 0; i < n; i++) {
			const struct content_language *l = content_language_at(real, i);

			assert_true(engine_lang_number(real, cs[k], l->code, false) >= 1);
			if (l->variant[0] != '\0')
				assert_true(
				    engine_lang_number(real, cs[k], l->code, true) > (int)1);
			else
				assert_int_equal(engine_lang_number(real, cs[k], l->code, true),
				    -1);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_transform),
		cmocka_unit_test(test_plain_every_page),
		cmocka_unit_test(test_list_entries),
		cmocka_unit_test(test_list_order),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
