/* render.h - the one owner of the text a phone receives: NFC
 * normalisation, GSM-7 or UCS-2 per page, pagination at word boundaries
 * that never splits a grapheme cluster (ICU break iterators: Thai, Lao,
 * Khmer and Burmese have no spaces), the one SMS segment calculator and
 * the cut to N segments built on it, the reference splice, and the
 * reader's script (Burmese Unicode or Zawgyi, Latin plain in GSM-7). Pure: no I/O, no clock. */
#ifndef KAWAN_RENDER_H
#define KAWAN_RENDER_H

#include <stdbool.h>
#include <stddef.h>

enum render_coding { RENDER_GSM7 = 0, RENDER_UCS2 };

/* A page budget, in the units of the page's own coding. */
struct render_limits {
	size_t gsm7; /* septets (extension characters count 2): USSD 182, SMS 160 */
	size_t ucs2; /* UTF-16 units: USSD 80, SMS 70 */
};

struct render_page {
	char *text; /* UTF-8, NFC, owned */
	enum render_coding coding;
	size_t units; /* septets or UTF-16 units */
	int segments; /* SMS segments it needs (1 when it fits one) */
};

struct render_pages {
	struct render_page *v; /* owned; free with render_pages_free */
	size_t n;
};

/* A new NFC-normalised copy of utf8 (caller frees); invalid UTF-8 bytes
 * become U+FFFD. NULL on allocation failure. */
char *render_nfc(const char *utf8);

/* The coding a text needs and its length in that coding's units. */
enum render_coding render_coding_of(const char *utf8, size_t *units);

/*
 * render_sms.c: the one SMS segment calculator of the tree (3GPP TS 23.040).
 * A text in one segment holds 160 septets (GSM-7; an extension character
 * counts 2) or 70 UTF-16 units (UCS-2; a surrogate pair counts 2). A longer
 * text goes in concatenated parts of 153 septets or 67 units, and an
 * extension character's escape pair or a surrogate pair never straddles
 * two parts (libgammu and the simulated modem split that way). The coding
 * is GSM-7 when every character is in GSM-7, else UCS-2.
 */
int render_sms_segments(const char *utf8);

/* The page budget of segs SMS segments (segs < 1 counts as 1): 160
 * septets / 70 units for one; for more, what segs parts hold wherever
 * 2-unit characters fall on the part edges (segs * 153 - (segs - 1)
 * septets, segs * 67 - (segs - 1) units), so that a page within it never
 * takes more than segs segments. */
struct render_limits render_sms_limits(int segs);

/* How much of text fits, in bytes: the longest prefix of text with which
 * head + prefix + tail takes at most segs SMS segments (head and tail are
 * kept whole; either may be NULL). The cut is made once, at the farthest
 * line-break opportunity (ICU, any script), or at the farthest grapheme
 * cluster boundary when that keeps more than twice as much; never inside
 * a cluster. strlen(text) when it all fits; 0 when not one cluster does
 * (head + tail alone may not fit either). Borrows its arguments. */
size_t render_sms_fit(const char *head, const char *text, const char *tail, int segs);

/* The same cut within a budget of units in coding (septets, or UTF-16
 * units): the bytes of text kept, *used (may be NULL) their units. In
 * GSM-7 the cut stops before the first character outside GSM-7.
 * render_fit_units(s, c, SIZE_MAX, &u) measures what of s coding can hold. */
size_t render_fit_units(const char *text, enum render_coding coding, size_t units, size_t *used);

/* Copies tmpl into buf (bufsz bytes) with its first "%s" replaced by ref,
 * by splicing strings (tmpl is content, never a format string); a tmpl
 * without "%s" is copied as it is. 0, or -1 when the result does not fit
 * buf (buf then holds ""). Borrows its arguments. */
int render_fill_ref(char *buf, size_t bufsz, const char *tmpl, const char *ref)
    __attribute__((warn_unused_result));

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

/* Frees the ICU objects (break iterators, transliterators) the calling
 * thread cached; call it before a thread that rendered ends. The cache is
 * refilled on the next use. */
void render_thread_end(void);

/* Burmese Unicode -> Zawgyi (ICU transform "my-Zawgyi"); *out caller frees. 0 or -1. */
int render_zawgyi(const char *unicode_utf8, char **out) __attribute__((warn_unused_result));
/* Zawgyi -> Burmese Unicode ("Zawgyi-my"). 0 or -1. */
int render_from_zawgyi(const char *zawgyi_utf8, char **out) __attribute__((warn_unused_result));
/* True when Burmese text looks Zawgyi-encoded rather than Unicode
 * (render_zawgyi.c explains the signs it looks for). */
bool render_looks_zawgyi(const char *utf8);

/* The "plain" script variant: Latin text without diacritics in GSM-7
 * (ICU: NFD, nonspacing marks removed, NFC, đ/Đ -> d/D; what is still
 * outside GSM-7 through ICU "Latin-ASCII", else '?'). *out is new
 * (caller frees) and always GSM-7. 0 or -1. */
int render_plain(const char *utf8, char **out) __attribute__((warn_unused_result));

/* The script a reader's phone is served in: the language's own (Unicode),
 * or its script variant (languages.cfg `variant`): Zawgyi for Burmese,
 * plain GSM-7 Latin for a Latin-script language (Vietnamese, Tetum). */
enum render_script { RENDER_SCRIPT_UNICODE = 0, RENDER_SCRIPT_ZAWGYI, RENDER_SCRIPT_PLAIN };

/* The reader's Burmese script: Zawgyi when their language is Burmese
 * ("my", or a variant "my-...") or not chosen yet ("" or NULL) and either
 * they read Zawgyi already (zawgyi) or what they just wrote (written, may
 * be NULL) looks Zawgyi (a Burmese phone that writes Zawgyi most likely
 * shows only Zawgyi); Unicode otherwise. Borrows its arguments. */
enum render_script render_reader_script(const char *lang, bool zawgyi, const char *written);

/* The kinds of script variant a language may have (languages.cfg
 * `variant`). */
#define RENDER_VARIANT_ZAWGYI "zawgyi"
#define RENDER_VARIANT_PLAIN "plain"

/* The reader's script for a language whose variant is kind (a
 * RENDER_VARIANT_*, "" or NULL for none) when they read the variant
 * (variant): plain for a "plain" language, else render_reader_script
 * (Zawgyi for Burmese, also for what they wrote). Borrows its arguments. */
enum render_script render_variant_script(const char *kind, const char *lang, bool variant,
    const char *written);

/* What goes to the phone for a final text: NFC Unicode; for a Zawgyi
 * reader NFC then Unicode -> Zawgyi; for a plain reader render_plain.
 * *out is new (caller frees). 0, or -1 on allocation or transform failure
 * (*out NULL). Every path that sends a worker text goes through here (the
 * engine's strings included); never give it text already in Zawgyi (NFC
 * would reorder its marks). */
int render_for_phone(const char *text, enum render_script script, char **out)
    __attribute__((warn_unused_result));

#endif
