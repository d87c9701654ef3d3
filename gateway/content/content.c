/* content.c - the content snapshot: load orchestration, the arena that owns
 * every string, NFC and case folding (ICU), look-ups and content_tr
 * (countries' look-ups: content_countries.c). */
#include "content/content.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "content/content_int.h"
#include "core/log.h"
#include "core/util.h"

#define CONTENT_BLOCK_SIZE 16384
#define CONTENT_FOLD_UNITS 512 /* UTF-16 units a folded keyword candidate may have */

struct content_block {
	struct content_block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

/* ---- errors ---- */

void
content_error(struct content_loader *ld, const char *file, int line, const char *fmt, ...)
{
	struct content_error *e;
	va_list ap;

	ld->errs->total++;
	if (ld->errs->n >= CONTENT_ERRORS_MAX)
		return;
	e = &ld->errs->e[ld->errs->n++];
	if (util_strcopy(e->file, sizeof(e->file), file != NULL ? file : "") == -1)
		log_debug("content: file name truncated: %s", file);
	e->line = line;
	va_start(ap, fmt);
	(void)vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

void
content_errors_format(const struct content_errors *errs, char *buf, size_t bufsz)
{
	size_t used = 0;

	if (bufsz == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < errs->n && used < bufsz; i++) {
		const struct content_error *e = &errs->e[i];
		int n;

		if (e->line > 0)
			n = snprintf(buf + used, bufsz - used, "%s:%d: %s\n", e->file, e->line,
			    e->msg);
		else
			n = snprintf(buf + used, bufsz - used, "%s: %s\n", e->file, e->msg);
		if (n < 0)
			return;
		used += (size_t)n;
	}
	if (errs->total > errs->n && used < bufsz)
		(void)snprintf(buf + used, bufsz - used, "... and %zu more errors\n",
		    errs->total - errs->n);
}

/* ---- arena ---- */

void *
content_alloc(struct content *c, size_t n)
{
	struct content_block *b = c->arena;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (need < n)
		return NULL;
	if (b == NULL || b->size - b->used < need) {
		size_t size = need > CONTENT_BLOCK_SIZE / 4 ? need : CONTENT_BLOCK_SIZE;

		b = malloc(sizeof(*b) + size);
		if (b == NULL)
			return NULL;
		b->size = size;
		b->used = 0;
		if (need > CONTENT_BLOCK_SIZE / 4 && c->arena != NULL) {
			/* a big one-off: keep the current block for small strings */
			b->next = c->arena->next;
			c->arena->next = b;
		} else {
			b->next = c->arena;
			c->arena = b;
		}
		c->arena_bytes += sizeof(*b) + size;
	}
	p = b->data + b->used;
	b->used += need;
	memset(p, 0, n);
	return p;
}

char *
content_strndup(struct content *c, const char *s, size_t len)
{
	char *p = content_alloc(c, len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int
content_grow(void **v, size_t *cap, size_t n, size_t elsz)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap * 2;
	if (ncap > SIZE_MAX / elsz)
		return -1;
	nv = realloc(*v, ncap * elsz);
	if (nv == NULL)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

/* ---- folder listing ---- */

static int
content_cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
content_dir_list(struct content_loader *ld, const char *dir, const char *what, const char *suffix,
    char **names, size_t max, size_t *n)
{
	size_t slen = strlen(suffix);
	struct dirent *de;
	DIR *d = opendir(dir);

	*n = 0;
	if (d == NULL) {
		content_error(ld, dir, 0, "cannot open the %s directory", what);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= slen ||
		    strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		if (*n == max) {
			content_error(ld, dir, 0, "more than %zu %s files", max, suffix);
			closedir(d);
			content_dir_free(names, *n);
			*n = 0;
			return 1;
		}
		names[*n] = strdup(de->d_name);
		if (names[*n] == NULL) {
			closedir(d);
			content_dir_free(names, *n);
			*n = 0;
			return -1;
		}
		(*n)++;
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), content_cmp_name);
	return 0;
}

void
content_dir_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
}

/* ---- Unicode ---- */

static bool
content_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* s as UTF-16 in NFC into a malloc'd buffer; *out_len its length. */
static UChar *
content_nfc16(const char *s, int32_t len, int32_t *out_len)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	UChar *src = NULL, *dst = NULL;
	int32_t n = 0, m;

	if (U_FAILURE(err))
		return NULL;
	u_strFromUTF8(NULL, 0, &n, s, len, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return NULL;
	err = U_ZERO_ERROR;
	src = malloc(((size_t)n + 1) * sizeof(UChar));
	dst = malloc(((size_t)n * 3 + 1) * sizeof(UChar));
	if (src == NULL || dst == NULL)
		goto fail;
	u_strFromUTF8(src, n + 1, NULL, s, len, &err);
	if (U_FAILURE(err))
		goto fail;
	m = unorm2_normalize(nfc, src, n, dst, n * 3 + 1, &err);
	if (U_FAILURE(err))
		goto fail;
	free(src);
	*out_len = m;
	return dst;
fail:
	free(src);
	free(dst);
	return NULL;
}

char *
content_nfc(struct content *c, const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar *u;
	int32_t ulen = 0, n = 0;
	char *out;

	if (content_ascii(s))
		return content_strndup(c, s, strlen(s));
	u = content_nfc16(s, -1, &ulen);
	if (u == NULL)
		return NULL;
	u_strToUTF8(NULL, 0, &n, u, ulen, &err);
	err = U_ZERO_ERROR;
	out = content_alloc(c, (size_t)n + 1);
	if (out != NULL)
		u_strToUTF8(out, n + 1, NULL, u, ulen, &err);
	free(u);
	return out != NULL && U_SUCCESS(err) ? out : NULL;
}

static bool
content_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

int
content_fold(const char *s, size_t len, char *out, size_t outsz)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar folded[CONTENT_FOLD_UNITS];
	char tmp[CONTENT_WORD_MAX * 2];
	UChar src[CONTENT_WORD_MAX * 2 + 1], u[CONTENT_WORD_MAX * 6 + 1];
	const UNormalizer2 *nfc;
	size_t t = 0;
	int32_t ulen = 0, flen, n = 0;

	/* trim and collapse ASCII whitespace */
	for (size_t i = 0; i < len; i++) {
		if (content_space(s[i])) {
			if (t > 0 && tmp[t - 1] != ' ' && t < sizeof(tmp))
				tmp[t++] = ' ';
			continue;
		}
		if (t + 1 >= sizeof(tmp))
			return -1;
		tmp[t++] = s[i];
	}
	while (t > 0 && tmp[t - 1] == ' ')
		t--;
	/* On the stack (tmp is bounded): matching a keyword never runs out
	 * of memory, so HELP is never taken for other text. */
	u_strFromUTF8(src, (int32_t)(sizeof(src) / sizeof(src[0])), &ulen, tmp, (int32_t)t, &err);
	if (U_FAILURE(err) || (size_t)ulen >= sizeof(src) / sizeof(src[0]))
		return -1;
	nfc = unorm2_getNFCInstance(&err);
	if (U_FAILURE(err))
		return -1;
	ulen = unorm2_normalize(nfc, src, ulen, u, (int32_t)(sizeof(u) / sizeof(u[0])), &err);
	if (U_FAILURE(err))
		return -1;
	flen = u_strFoldCase(folded, CONTENT_FOLD_UNITS, u, ulen, U_FOLD_CASE_DEFAULT, &err);
	if (U_FAILURE(err) || flen >= CONTENT_FOLD_UNITS)
		return -1;
	u_strToUTF8(out, (int32_t)outsz, &n, folded, flen, &err);
	if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING || (size_t)n >= outsz)
		return -1;
	return 0;
}

char *
content_fold_dup(const char *s, size_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar *u, *f;
	char *tmp, *out;
	size_t t = 0;
	int32_t ulen = 0, flen, n = 0;

	tmp = malloc(len + 1);
	if (tmp == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (content_space(s[i])) {
			if (t > 0 && tmp[t - 1] != ' ')
				tmp[t++] = ' ';
			continue;
		}
		tmp[t++] = s[i];
	}
	while (t > 0 && tmp[t - 1] == ' ')
		t--;
	u = content_nfc16(tmp, (int32_t)t, &ulen);
	free(tmp);
	if (u == NULL)
		return NULL;
	f = malloc(((size_t)ulen * 3 + 1) * sizeof(*f)); /* folding may expand (ß -> ss) */
	if (f == NULL) {
		free(u);
		return NULL;
	}
	flen = u_strFoldCase(f, ulen * 3 + 1, u, ulen, U_FOLD_CASE_DEFAULT, &err);
	free(u);
	if (U_FAILURE(err)) {
		free(f);
		return NULL;
	}
	u_strToUTF8(NULL, 0, &n, f, flen, &err);
	err = U_ZERO_ERROR;
	out = malloc((size_t)n + 1);
	if (out != NULL)
		u_strToUTF8(out, n + 1, NULL, f, flen, &err);
	free(f);
	if (out != NULL && U_FAILURE(err)) {
		free(out);
		return NULL;
	}
	return out;
}

bool
content_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n >= CONTENT_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = id[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
			ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

long
content_date_days(const char *ymd)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	long y = 0, m = 0, d = 0;
	bool leap;

	if (strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (ymd[i] < '0' || ymd[i] > '9')
			return -1;
		if (i < 4)
			y = y * 10 + (ymd[i] - '0');
		else if (i < 7)
			m = m * 10 + (ymd[i] - '0');
		else
			d = d * 10 + (ymd[i] - '0');
	}
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	/* days from civil (H. Hinnant) */
	y -= m <= 2;
	{
		long era = y / 400, yoe = y - era * 400;
		long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		return era * 146097 + doe - 719468;
	}
}

long
content_date_days_loose(const char *date)
{
	static const char *const ends[] = { "-12-31", "-31", "-30", "-29", "-28" };
	char buf[16];
	size_t n = strlen(date);

	if (n == 10)
		return content_date_days(date);
	if (n != 4 && n != 7)
		return -1;
	for (size_t i = n == 4 ? 0 : 1; i < sizeof(ends) / sizeof(ends[0]); i++) {
		long d;

		if (snprintf(buf, sizeof(buf), "%s%s", date, ends[i]) >= (int)sizeof(buf))
			return -1;
		d = content_date_days(buf);
		if (d >= 0)
			return d;
		if (n == 4)
			return -1;
	}
	return -1;
}

/* ---- load, free ---- */

static int
content_cmp_node(const void *a, const void *b)
{
	const struct content_inode *x = *(const struct content_inode *const *)a;
	const struct content_inode *y = *(const struct content_inode *const *)b;

	return strcmp(x->pub.id, y->pub.id);
}

int
content_load(const char *menus_dir, const char *translations_dir, struct content **out,
    struct content_errors *errs)
{
	struct content_loader ld;
	struct content *c;

	*out = NULL;
	memset(errs, 0, sizeof(*errs));
	c = calloc(1, sizeof(*c));
	ld.c = c;
	ld.errs = errs;
	ld.syntax_failed = false;
	if (c == NULL) {
		log_warn("content_load");
		goto fail;
	}
	if (content_menus_load(&ld, menus_dir) == -1)
		goto fail;
	if (content_countries_finish(&ld) == -1)
		goto fail;
	content_menus_finish_countries(&ld);
	if (content_keywords_finish(&ld) == -1)
		goto fail;
	if (!ld.syntax_failed && translations_dir != NULL &&
	    content_po_load(&ld, translations_dir) == -1)
		goto fail;
	if (!ld.syntax_failed && translations_dir != NULL &&
	    content_glossary_load(&ld, translations_dir) == -1)
		goto fail;
	if (errs->total > 0)
		goto fail;
	*out = c;
	return 0;
fail:
	if (errs->total == 0)
		content_error(&ld, menus_dir, 0, "out of memory");
	content_free(c);
	return -1;
}

int
content_index_nodes(struct content *c)
{
	c->nodes_by_id = content_alloc(c, (c->nnodes + 1) * sizeof(*c->nodes_by_id));
	if (c->nodes_by_id == NULL)
		return -1;
	for (size_t i = 0; i < c->nnodes; i++)
		c->nodes_by_id[i] = &c->nodes[i];
	qsort(c->nodes_by_id, c->nnodes, sizeof(*c->nodes_by_id), content_cmp_node);
	return 0;
}

void
content_free(struct content *c)
{
	struct content_block *b, *next;

	if (c == NULL)
		return;
	for (b = c->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(c->nodes);
	free(c->contacts);
	free(c->langs);
	free(c->lang_files);
	free(c->lang_lines);
	free(c->lang_nat_lines);
	free(c->countries);
	free(c->ui);
	free(c->words);
	free(c->tr);
	free(c->tr_index);
	free(c->gloss);
	free(c);
}

size_t
content_bytes(const struct content *c)
{
	return sizeof(*c) + c->arena_bytes + c->capnodes * sizeof(*c->nodes) +
	       c->capcontacts * sizeof(*c->contacts) +
	       c->caplangs * (sizeof(*c->langs) + sizeof(*c->lang_files) + sizeof(*c->lang_lines) +
				 sizeof(*c->lang_nat_lines)) +
	       c->capcountries * sizeof(*c->countries) + c->capui * sizeof(*c->ui) +
	       c->capwords * sizeof(*c->words) + c->captr * sizeof(*c->tr) +
	       c->capgloss * sizeof(*c->gloss) +
	       (c->tr_index != NULL ? (c->tr_mask + 1) * sizeof(uint32_t) : 0);
}

/* ---- look-ups ---- */

const struct content_node *
content_find(const struct content *c, const char *id)
{
	size_t lo = 0, hi = c->nnodes;

	if (id == NULL || c->nodes_by_id == NULL)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(id, c->nodes_by_id[mid]->pub.id);

		if (r == 0)
			return &c->nodes_by_id[mid]->pub;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct content_node *
content_home(const struct content *c)
{
	return c->home;
}

size_t
content_nnodes(const struct content *c)
{
	return c->nnodes;
}

const struct content_node *
content_node_at(const struct content *c, size_t i)
{
	return i < c->nnodes ? &c->nodes[i].pub : NULL;
}

size_t
content_nlanguages(const struct content *c)
{
	return c->nlangs;
}

const struct content_language *
content_language_at(const struct content *c, size_t i)
{
	return i < c->nlangs ? &c->langs[i] : NULL;
}

const struct content_language *
content_find_language(const struct content *c, const char *code)
{
	if (code == NULL)
		return NULL;
	for (size_t i = 0; i < c->nlangs; i++)
		if (strcmp(c->langs[i].code, code) == 0)
			return &c->langs[i];
	return NULL;
}

size_t
content_ncontacts(const struct content *c)
{
	return c->ncontacts;
}

const struct content_contact *
content_contact_at(const struct content *c, size_t i)
{
	return i < c->ncontacts ? &c->contacts[i] : NULL;
}

size_t
content_nui(const struct content *c)
{
	return c->nui;
}

const char *
content_ui_key_at(const struct content *c, size_t i)
{
	return i < c->nui ? c->ui[i].key : NULL;
}

const struct content_ui_string *
content_find_ui(const struct content *c, const char *key)
{
	size_t lo = 0, hi = c->nui;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key, c->ui[mid].key);

		if (r == 0)
			return &c->ui[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
content_tr(const struct content *c, const char *lang, const char *msgctxt, const char *msgid,
    bool serve_fuzzy)
{
	const struct content_tr_entry *e;

	if (lang == NULL || msgctxt == NULL || lang[0] == '\0' || strcmp(lang, "en") == 0)
		return msgid;
	e = content_po_find(c, lang, msgctxt, msgid);
	if (e == NULL || e->msgstr[0] == '\0' || (e->fuzzy && !serve_fuzzy))
		return msgid;
	return e->msgstr;
}

enum content_tr_state
content_tr_state(const struct content *c, const char *lang, const char *msgctxt, const char *msgid)
{
	const struct content_tr_entry *e;

	if (strcmp(lang, "en") == 0)
		return CONTENT_TR_DONE;
	e = content_po_find(c, lang, msgctxt, msgid);
	if (e == NULL || e->msgstr[0] == '\0')
		return CONTENT_TR_MISSING;
	return e->fuzzy ? CONTENT_TR_FUZZY : CONTENT_TR_DONE;
}

const char *
content_ui(const struct content *c, const char *lang, const char *key, bool serve_fuzzy)
{
	const struct content_ui_string *u = content_find_ui(c, key);

	if (u == NULL)
		return key;
	return content_tr(c, lang, u->ctxt, u->value, serve_fuzzy);
}

size_t
content_contacts_for(const struct content_node *node, const char *country,
    const struct content_contact **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < node->ncontacts && n < max; i++) {
		const struct content_contact *ct = node->contacts[i];

		if (ct->verified[0] == '\0' || ct->number[0] == '\0')
			continue;
		if (country != NULL && country[0] != '\0' && strcmp(ct->country, country) != 0 &&
		    !ct->abroad)
			continue;
		out[n++] = ct;
	}
	return n;
}
