/* test_variants.c - script variants with the real menus/ and translations/:
 * the plain transform, every page of every node in Vietnamese and Tetum
 * plain (drafts served or not) in GSM-7 and within the channel's limits,
 * and the variant entries of the language list. */
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
	char all[4096] = "";

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
	{
		const char *p = strstr(all, " Tieng Viet (khong dau)"), *b = p;
		char num[8];

		while (b > all && b[-1] != '\n')
			b--;
		assert_true(p - b > 0 && p - b < (long)sizeof(num));
		memcpy(num, b, (size_t)(p - b));
		num[p - b] = '\0';
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
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_transform),
		cmocka_unit_test(test_plain_every_page),
		cmocka_unit_test(test_list_entries),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
