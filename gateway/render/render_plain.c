/* render_plain.c - the "plain" script variant: Latin text without
 * diacritics, served in GSM-7 (Vietnamese "khong dau", Tetum as most
 * phones type it), through ICU transforms. */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "core/charset.h"
#include "core/log.h"
#include "render/render_int.h"

/*
 * ICU rules, not a hand-written table: NFD splits every accented letter
 * into its base and combining marks (Vietnamese stacks two: "ệ" is e +
 * circumflex + dot below), the marks go, NFC recomposes what is left.
 * ơ and ư are o and u + a horn (a mark) and go the same way; đ/Đ (d with
 * stroke) is a letter of its own and is the one rule written here.
 * What is still outside GSM-7 afterwards (curly quotes, dashes, the
 * ellipsis) goes through ICU's "Latin-ASCII", restricted by the filter
 * to what GSM-7 lacks, so that GSM-7 letters (ß, Æ, £) stay.
 */
static const char render_plain_rules[] = ":: NFD ;\n"
					 ":: [:Nonspacing Mark:] Remove ;\n"
					 ":: NFC ;\n"
					 "đ > d ;\n"
					 "Đ > D ;\n";

/* Built once per thread (milliseconds); held until render_thread_end(). */
static _Thread_local UTransliterator *render_plain_tr;
static _Thread_local UTransliterator *render_plain_ascii;

static UTransliterator *
render_plain_open(bool ascii)
{
	UTransliterator **slot = ascii ? &render_plain_ascii : &render_plain_tr;
	UErrorCode err = U_ZERO_ERROR;
	UParseError pe;
	UChar id[32], *rules;
	int32_t rlen;

	if (*slot != NULL)
		return *slot;
	if (ascii) {
		u_uastrncpy(id, "Latin-ASCII", (int32_t)(sizeof(id) / sizeof(id[0])));
		*slot = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
	} else {
		rules = render_u16_from_utf8(render_plain_rules, &rlen);
		if (rules == NULL)
			return NULL;
		u_uastrncpy(id, "Kawan-Plain", (int32_t)(sizeof(id) / sizeof(id[0])));
		*slot = utrans_openU(id, -1, UTRANS_FORWARD, rules, rlen, &pe, &err);
		free(rules);
	}
	if (U_FAILURE(err)) {
		log_warnx("render: plain transform (%s): %s", ascii ? "Latin-ASCII" : "rules",
		    u_errorName(err));
		*slot = NULL;
	}
	return *slot;
}

/* Runs tr over the len units at src into a new UTF-16 buffer (*outlen
 * units). Caller frees; NULL on failure. */
static UChar *
render_plain_run(UTransliterator *tr, const UChar *src, int32_t len, int32_t *outlen)
{
	UChar *buf = NULL;

	for (int32_t cap = len * 2 + 16; cap < INT32_MAX / 4; cap *= 2) {
		UErrorCode err = U_ZERO_ERROR;
		int32_t tlen = len, limit = len;

		free(buf);
		buf = malloc((size_t)cap * sizeof(UChar));
		if (buf == NULL)
			return NULL;
		memcpy(buf, src, (size_t)len * sizeof(UChar));
		utrans_transUChars(tr, buf, &tlen, cap, 0, &limit, &err);
		if (err == U_BUFFER_OVERFLOW_ERROR)
			continue;
		if (U_FAILURE(err)) {
			log_warnx("render: plain transform: %s", u_errorName(err));
			break;
		}
		*outlen = limit;
		return buf;
	}
	free(buf);
	return NULL;
}

/* Appends to out (UTF-8, *n bytes of cap) the GSM-7 form of the code
 * point cp: itself, its Latin-ASCII transliteration when that is GSM-7,
 * else '?'. 0 or -1 (no room). */
static int
render_plain_put(char *out, size_t cap, size_t *n, UChar32 cp, UTransliterator *ascii)
{
	UChar u[2], *t = NULL;
	int32_t nu = 0, tl = 0;
	char *s = NULL;
	const char *put = "?";
	size_t len;

	U16_APPEND_UNSAFE(u, nu, cp);
	if (render_cp_septets(cp) > 0 || cp == '\n' || cp == '\r') {
		s = render_u16_to_utf8(u, nu);
	} else if (ascii != NULL && (t = render_plain_run(ascii, u, nu, &tl)) != NULL) {
		s = render_u16_to_utf8(t, tl);
		free(t);
		if (s != NULL && (s[0] == '\0' || charset_gsm7_septets(s) < 0)) {
			free(s);
			s = NULL;
		}
	}
	if (s != NULL)
		put = s;
	len = strlen(put);
	if (*n + len + 1 > cap) {
		free(s);
		return -1;
	}
	memcpy(out + *n, put, len + 1);
	*n += len;
	free(s);
	return 0;
}

int
render_plain(const char *utf8, char **out)
{
	UTransliterator *tr = render_plain_open(false), *ascii = render_plain_open(true);
	UChar *src, *t;
	int32_t len, tl, i = 0;
	char *buf;
	size_t cap, n = 0;

	*out = NULL;
	if (tr == NULL)
		return -1;
	src = render_u16_from_utf8(utf8, &len);
	if (src == NULL)
		return -1;
	t = render_plain_run(tr, src, len, &tl);
	free(src);
	if (t == NULL)
		return -1;
	/* Latin-ASCII gives at most a few characters per code point. */
	cap = (size_t)tl * 8 + 1;
	buf = malloc(cap);
	if (buf == NULL) {
		free(t);
		return -1;
	}
	buf[0] = '\0';
	while (i < tl) {
		UChar32 cp;

		U16_NEXT(t, i, tl, cp);
		if (render_plain_put(buf, cap, &n, cp, ascii) == -1) {
			free(t);
			free(buf);
			return -1;
		}
	}
	free(t);
	*out = buf;
	return 0;
}

void
render_plain_thread_end(void)
{
	if (render_plain_tr != NULL)
		utrans_close(render_plain_tr);
	if (render_plain_ascii != NULL)
		utrans_close(render_plain_ascii);
	render_plain_tr = NULL;
	render_plain_ascii = NULL;
}
