/* render_zawgyi.c - Burmese Unicode <-> Zawgyi through ICU's "my-Zawgyi" and
 * "Zawgyi-my" transforms, a code point heuristic telling them apart, and
 * the one choice of what script a reader's phone gets (its language's
 * own, or its variant: Zawgyi here, plain in render_plain.c). */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "core/charset.h"
#include "core/log.h"
#include "render/render_int.h"

/* Transliterators take milliseconds to build, so each thread keeps the two
 * it used (a cache of ICU objects; held until render_thread_end()). */
static _Thread_local UTransliterator *render_zg_to;   /* my-Zawgyi */
static _Thread_local UTransliterator *render_zg_from; /* Zawgyi-my */

static UTransliterator *
render_zg_get(bool to_zawgyi)
{
	UTransliterator **slot = to_zawgyi ? &render_zg_to : &render_zg_from;
	const char *name = to_zawgyi ? "my-Zawgyi" : "Zawgyi-my";
	UErrorCode err = U_ZERO_ERROR;
	UChar id[16];

	if (*slot != NULL)
		return *slot;
	u_uastrncpy(id, name, (int32_t)(sizeof(id) / sizeof(id[0])));
	*slot = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
	if (U_FAILURE(err)) {
		log_warnx("render: utrans_openU(%s): %s", name, u_errorName(err));
		*slot = NULL;
	}
	return *slot;
}

/* Runs the transform on utf8 into a new UTF-8 string *out. 0 or -1. */
static int
render_zg_run(bool to_zawgyi, const char *utf8, char **out)
{
	UTransliterator *tr = render_zg_get(to_zawgyi);
	UErrorCode err = U_ZERO_ERROR;
	UChar *src = NULL, *buf = NULL;
	int32_t len, cap, limit;

	*out = NULL;
	if (tr == NULL)
		return -1;
	src = render_u16_from_utf8(utf8, &len);
	if (src == NULL)
		return -1;
	for (cap = len * 2 + 16; cap < INT32_MAX / 4; cap *= 2) {
		int32_t tlen = len;

		free(buf);
		buf = malloc((size_t)cap * sizeof(UChar));
		if (buf == NULL)
			goto fail;
		memcpy(buf, src, (size_t)len * sizeof(UChar));
		limit = len;
		err = U_ZERO_ERROR;
		utrans_transUChars(tr, buf, &tlen, cap, 0, &limit, &err);
		if (err == U_BUFFER_OVERFLOW_ERROR)
			continue;
		if (U_FAILURE(err)) {
			log_warnx("render: Zawgyi transform: %s", u_errorName(err));
			goto fail;
		}
		*out = render_u16_to_utf8(buf, limit);
		break;
	}
	free(src);
	free(buf);
	return *out == NULL ? -1 : 0;
fail:
	free(src);
	free(buf);
	return -1;
}

int
render_zawgyi(const char *unicode_utf8, char **out)
{
	return render_zg_run(true, unicode_utf8, out);
}

int
render_from_zawgyi(const char *zawgyi_utf8, char **out)
{
	return render_zg_run(false, zawgyi_utf8, out);
}

static bool
render_zg_consonant(unsigned cp)
{
	return cp >= 0x1000 && cp <= 0x1021;
}

static bool
render_zg_myanmar(unsigned cp)
{
	return cp >= 0x1000 && cp <= 0x109f;
}

/*
 * The heuristic. Zawgyi stores text in visual order and reuses code points;
 * Unicode (UTN #11) stores it in logical order. Evidence of Zawgyi, any one
 * of which decides:
 *  1. U+1031 (vowel sign E) not preceded by a Myanmar letter or mark (start
 *     of text, after a space or punctuation): Zawgyi types E before its
 *     consonant; Unicode never starts a syllable with a dependent vowel.
 *  2. U+1031 followed by U+103B: Zawgyi's E + medial RA (Unicode orders
 *     the medial before the vowel: consonant, U+103C, U+1031).
 *  3. U+1039 not followed by a consonant: Zawgyi's asat (Unicode's U+1039 is
 *     the virama that stacks the next consonant; its asat is U+103A).
 *  4. Code points U+1060..U+1097: Zawgyi's stacked and variant glyphs
 *     (Mon, Karen and Shan letters in Unicode, not used in Burmese).
 *  5. U+1031 right after a vowel sign (U+102B..U+1038 but U+1031), as in
 *     "ကူညီေပးပါ": Zawgyi types E before the next syllable's consonant;
 *     Unicode puts it after a consonant, a medial or a stacked consonant.
 * Text with none of these is taken as Unicode. Short Zawgyi text without
 * any of these signs reads the same in both and cannot be told apart.
 */
bool
render_looks_zawgyi(const char *utf8)
{
	size_t len = strlen(utf8), i = 0;
	unsigned prev = 0;

	while (i < len) {
		unsigned cp, next = 0;
		size_t n = charset_utf8_next(utf8 + i, len - i, &cp);

		if (n == 0) {
			prev = 0;
			i++;
			continue;
		}
		if (i + n < len && charset_utf8_next(utf8 + i + n, len - i - n, &next) == 0)
			next = 0;
		if (cp == 0x1031 && !render_zg_myanmar(prev))
			return true;
		if (cp == 0x1031 && next == 0x103b)
			return true;
		if (cp == 0x1031 && prev >= 0x102b && prev <= 0x1038)
			return true;
		if (cp == 0x1039 && !render_zg_consonant(next))
			return true;
		if (cp >= 0x1060 && cp <= 0x1097)
			return true;
		prev = cp;
		i += n;
	}
	return false;
}

/* True for Burmese ("my", "my-...", "my_...") and for a language not
 * chosen yet. */
static bool
render_zg_burmese(const char *lang)
{
	if (lang == NULL || lang[0] == '\0')
		return true;
	return strncmp(lang, "my", 2) == 0 && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

enum render_script
render_reader_script(const char *lang, bool zawgyi, const char *written)
{
	if (!render_zg_burmese(lang))
		return RENDER_SCRIPT_UNICODE;
	if (zawgyi || (written != NULL && render_looks_zawgyi(written)))
		return RENDER_SCRIPT_ZAWGYI;
	return RENDER_SCRIPT_UNICODE;
}

enum render_script
render_variant_script(const char *kind, const char *lang, bool variant, const char *written)
{
	if (kind != NULL && strcmp(kind, RENDER_VARIANT_PLAIN) == 0)
		return variant ? RENDER_SCRIPT_PLAIN : RENDER_SCRIPT_UNICODE;
	return render_reader_script(lang, variant, written);
}

int
render_for_phone(const char *text, enum render_script script, char **out)
{
	char *n = render_nfc(text);
	int rc;

	*out = NULL;
	if (n == NULL)
		return -1;
	if (script == RENDER_SCRIPT_UNICODE) {
		*out = n;
		return 0;
	}
	rc = script == RENDER_SCRIPT_ZAWGYI ? render_zawgyi(n, out) : render_plain(n, out);
	free(n);
	return rc;
}

void
render_zawgyi_thread_end(void)
{
	if (render_zg_to != NULL)
		utrans_close(render_zg_to);
	if (render_zg_from != NULL)
		utrans_close(render_zg_from);
	render_zg_to = NULL;
	render_zg_from = NULL;
}
