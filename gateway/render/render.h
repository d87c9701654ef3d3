/* render.h - text to phone pages: NFC normalisation, GSM-7 or UCS-2 per
 * page, pagination at word boundaries that never splits a grapheme cluster
 * (ICU break iterators: Thai, Lao, Khmer and Burmese have no spaces), SMS
 * segment counts, and the Burmese Unicode -> Zawgyi transform. Pure: no I/O. */
#ifndef KAWAN_RENDER_H
#define KAWAN_RENDER_H

#include <stdbool.h>
#include <stddef.h>

enum render_coding { RENDER_GSM7 = 0, RENDER_UCS2 };

/* A page budget, in the units of the page's own coding. */
struct render_limits {
	size_t gsm7;                /* septets (extension characters count 2): USSD 182, SMS 160 */
	size_t ucs2;                /* UTF-16 units: USSD 80, SMS 70 */
};

struct render_page {
	char *text;                 /* UTF-8, NFC, owned */
	enum render_coding coding;
	size_t units;               /* septets or UTF-16 units */
	int segments;               /* SMS segments it needs (1 when it fits one) */
};

struct render_pages {
	struct render_page *v;      /* owned; free with render_pages_free */
	size_t n;
};

/* A new NFC-normalised copy of utf8 (caller frees); invalid UTF-8 bytes
 * become U+FFFD. NULL on allocation failure. */
char *render_nfc(const char *utf8);

/* The coding a text needs and its length in that coding's units. */
enum render_coding render_coding_of(const char *utf8, size_t *units);

/* SMS segments for a text: 160/153 septets or 70/67 UTF-16 units. */
int render_sms_segments(const char *utf8);

/* The locale that tells render_paginate its text is Zawgyi-encoded
 * Burmese: no NFC (it would reorder Zawgyi's marks), and breaks only at
 * spaces and between whole syllables. */
#define RENDER_LOCALE_ZAWGYI "my-Zawgyi"

/* Splits body into pages. Every page is body_chunk + footer, where footer
 * is more_footer on every page but the last and last_footer on the last
 * (either may be ""), and each whole page fits lim in its own coding.
 * Breaks at ICU line-break opportunities; falls back to grapheme cluster
 * boundaries for a word longer than a page; never splits a cluster.
 * locale (e.g. "th", "km", "my") picks ICU's dictionary rules.
 * Returns 0, or -1 when even one grapheme cannot fit beside the footer. */
int render_paginate(const char *body, const char *more_footer, const char *last_footer,
    const char *locale, const struct render_limits *lim, struct render_pages *out)
    __attribute__((warn_unused_result));
void render_pages_free(struct render_pages *p);

/* Burmese Unicode -> Zawgyi (ICU transform "my-Zawgyi"); *out caller frees. 0 or -1. */
int render_zawgyi(const char *unicode_utf8, char **out) __attribute__((warn_unused_result));
/* Zawgyi -> Burmese Unicode ("Zawgyi-my"). 0 or -1. */
int render_from_zawgyi(const char *zawgyi_utf8, char **out) __attribute__((warn_unused_result));
/* True when Burmese text looks Zawgyi-encoded rather than Unicode. */
bool render_looks_zawgyi(const char *utf8);

#endif
