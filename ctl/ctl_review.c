/* ctl_review.c - `kawanctl content review LANG`: one catalog as a sheet
 * for a native reviewer who does not use Poedit, as CSV (RFC 4180, UTF-8
 * with a BOM, formula-looking cells neutralised) or one self-contained HTML
 * page; one row per translatable string, safety text first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content/content.h"
#include "ctl/ctl.h"
#include "render/render.h"
#include "session/engine.h"

/* Review tiers: the report flow first, then help pages, rights, the rest. */
enum ctl_review_tier { CTL_RV_SAFETY = 0, CTL_RV_HELP, CTL_RV_RIGHTS, CTL_RV_REST };

/* The safety strings in the order a reviewer meets them in the report
 * flow; an entry ending in '_' or '.' is a prefix. */
static const char *const ctl_review_safety[] = { "ui.danger_question", "ui.report_", "ui.notify_",
	"ui.cat_", "ui.nat_other", "country.", "ui.stopped", "ui.contacts_none" };
#define CTL_RV_NSAFETY (sizeof(ctl_review_safety) / sizeof(ctl_review_safety[0]))

enum ctl_review_kind {
	CTL_RV_TITLE,
	CTL_RV_PROMPT,
	CTL_RV_PAGE,
	CTL_RV_TEXT,
	CTL_RV_UI,
	CTL_RV_CHOICE,
	CTL_RV_CONTACT
};

static const char *const ctl_review_kind_names[] = { "title", "menu prompt", "page text", "text",
	"ui", "nationality choice", "contact name" };

static const char *const ctl_review_tier_names[] = { "safety", "help", "rights", "rest" };

/* One row: english borrows from the content. */
struct ctl_review_row {
	char ctxt[CONTENT_ID_MAX + 16]; /* the msgctxt: node id, ui.KEY, country.CODE */
	const char *english;
	enum ctl_review_kind kind;
	int tier;
	size_t sub; /* rank within the tier */
	size_t idx; /* template order: ties keep it */
};

static int
ctl_review_cmp(const void *a, const void *b)
{
	const struct ctl_review_row *x = a, *y = b;

	if (x->tier != y->tier)
		return x->tier < y->tier ? -1 : 1;
	if (x->sub != y->sub)
		return x->sub < y->sub ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static bool
ctl_review_under(const char *id, const char *root)
{
	size_t n = strlen(root);

	return strncmp(id, root, n) == 0 && (id[n] == '\0' || id[n] == '.');
}

/* Sets r's tier and rank from its msgctxt (and node, when it is one). */
static void
ctl_review_place(struct ctl_review_row *r, const struct content_node *n)
{
	for (size_t i = 0; i < CTL_RV_NSAFETY; i++) {
		const char *s = ctl_review_safety[i];
		size_t len = strlen(s);
		bool prefix = s[len - 1] == '_' || s[len - 1] == '.';

		if (prefix ? strncmp(r->ctxt, s, len) == 0 : strcmp(r->ctxt, s) == 0) {
			r->tier = CTL_RV_SAFETY;
			r->sub = i;
			return;
		}
	}
	r->sub = 0;
	if (n != NULL && n->kind == CONTENT_ACTION && n->action == CONTENT_ACTION_REPORT) {
		r->tier = CTL_RV_SAFETY;
		r->sub = CTL_RV_NSAFETY; /* the menu label that starts the flow */
	} else if ((n != NULL && ctl_review_under(n->id, "help")) ||
		   strncmp(r->ctxt, "contact.", 8) == 0) {
		r->tier = CTL_RV_HELP;
	} else if (n != NULL && ctl_review_under(n->id, "rights")) {
		r->tier = CTL_RV_RIGHTS;
	} else {
		r->tier = CTL_RV_REST;
	}
}

static int
ctl_review_add(struct ctl_review_row **v, size_t *n, size_t *cap, const char *ctxt,
    const char *english, enum ctl_review_kind kind, const struct content_node *node)
{
	struct ctl_review_row *r;

	if (english == NULL || english[0] == '\0')
		return 0;
	if (*n == *cap) {
		size_t nc = *cap != 0 ? *cap * 2 : 64;
		struct ctl_review_row *nv = realloc(*v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = nc;
	}
	r = &(*v)[*n];
	(void)snprintf(r->ctxt, sizeof(r->ctxt), "%s%s", kind == CTL_RV_UI ? "ui." : "", ctxt);
	r->english = english;
	r->kind = kind;
	r->idx = *n;
	ctl_review_place(r, node);
	(*n)++;
	return 0;
}

/* Every string of the template (`content pot`), in review order; *out is
 * malloc'd. 0 or -1. */
static int
ctl_review_rows(const struct content *c, struct ctl_review_row **out, size_t *nout)
{
	struct ctl_review_row *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	for (size_t i = 0; i < content_nnodes(c) && rc == 0; i++) {
		const struct content_node *nd = content_node_at(c, i);
		enum ctl_review_kind k = nd->kind == CONTENT_MENU ? CTL_RV_PROMPT :
					 nd->kind == CONTENT_PAGE ? CTL_RV_PAGE :
								    CTL_RV_TEXT;

		rc = ctl_review_add(&v, &n, &cap, nd->id, nd->title, CTL_RV_TITLE, nd);
		if (rc == 0 && strcmp(nd->text, nd->title) != 0)
			rc = ctl_review_add(&v, &n, &cap, nd->id, nd->text, k, nd);
	}
	for (size_t i = 0; i < content_nui(c) && rc == 0; i++) {
		const char *key = content_ui_key_at(c, i);

		rc = ctl_review_add(&v, &n, &cap, key, content_ui(c, "en", key, false), CTL_RV_UI,
		    NULL);
	}
	for (size_t i = 0; i < content_nchoices(c) && rc == 0; i++) {
		const struct content_country *ct = content_choice_at(c, i);

		rc = ctl_review_add(&v, &n, &cap, ct->ctxt, ct->name, CTL_RV_CHOICE, NULL);
	}
	/* A contact's name (with the help pages: a worker must find the line). */
	for (size_t i = 0; i < content_ncontacts(c) && rc == 0; i++) {
		const struct content_contact *ct = content_contact_at(c, i);

		rc = ctl_review_add(&v, &n, &cap, ct->ctxt, ct->name, CTL_RV_CONTACT, NULL);
	}
	if (rc < 0) {
		free(v);
		return -1;
	}
	qsort(v, n, sizeof(*v), ctl_review_cmp);
	*out = v;
	*nout = n;
	return 0;
}

/* "42 GSM-7 septets, 1 SMS; USSD 1 screen" for s. */
static void
ctl_review_size(const struct engine_settings *st, const char *s, char *buf, size_t bufsz)
{
	size_t units;
	enum render_coding cd = render_coding_of(s, &units);
	size_t lim = cd == RENDER_GSM7 ? st->ussd.gsm7 : st->ussd.ucs2;
	size_t screens = lim > 0 ? (units + lim - 1) / lim : 0;

	(void)snprintf(buf, bufsz, "%zu %s, %d SMS, %zu USSD screen%s", units,
	    cd == RENDER_GSM7 ? "GSM-7 septets" : "UCS-2 units", render_sms_segments(s), screens,
	    screens == 1 ? "" : "s");
}

/* The budget row r must fit, and what the English and the draft take. */
static void
ctl_review_limit(const struct engine_settings *st, const struct ctl_review_row *r,
    const char *draft, char *buf, size_t bufsz)
{
	char budget[200], en[80], dr[80];

	switch (r->kind) {
	case CTL_RV_TITLE:
		(void)snprintf(budget, sizeof(budget),
		    "one line of its menu; the menu page is 1 SMS (%zu GSM-7 / %zu UCS-2) and "
		    "1 USSD screen (%zu / %zu)",
		    st->sms.gsm7, st->sms.ucs2, st->ussd.gsm7, st->ussd.ucs2);
		break;
	case CTL_RV_PROMPT:
		(void)snprintf(budget, sizeof(budget),
		    "above its menu's list; the menu page is 1 SMS (%zu GSM-7 / %zu UCS-2) and "
		    "1 USSD screen (%zu / %zu)",
		    st->sms.gsm7, st->sms.ucs2, st->ussd.gsm7, st->ussd.ucs2);
		break;
	case CTL_RV_PAGE:
	case CTL_RV_TEXT:
		(void)snprintf(budget, sizeof(budget),
		    "its page: up to %d SMS, USSD screens of %zu GSM-7 / %zu UCS-2 (more text, "
		    "more pages)",
		    st->max_info_segments, st->ussd.gsm7, st->ussd.ucs2);
		break;
	case CTL_RV_CONTACT:
		(void)snprintf(budget, sizeof(budget),
		    "a line \"name: number (hours)\" of a contacts page: keep it short and the "
		    "line recognisable");
		break;
	default:
		(void)snprintf(budget, sizeof(budget), "fits with the page it is added to");
		break;
	}
	ctl_review_size(st, r->english, en, sizeof(en));
	if (draft[0] != '\0') {
		ctl_review_size(st, draft, dr, sizeof(dr));
		(void)snprintf(buf, bufsz, "%s; English: %s; draft: %s", budget, en, dr);
	} else {
		(void)snprintf(buf, bufsz, "%s; English: %s", budget, en);
	}
}

struct ctl_review_order {
	struct ctl_review_row *v;
	size_t n;
};

struct ctl_review_order *
ctl_review_order_new(const struct content *c)
{
	struct ctl_review_order *o = calloc(1, sizeof(*o));

	if (o != NULL && ctl_review_rows(c, &o->v, &o->n) < 0) {
		free(o);
		return NULL;
	}
	return o;
}

size_t
ctl_review_order_of(const struct ctl_review_order *o, const char *ctxt, const char *english,
    const char **tier)
{
	for (size_t i = 0; i < o->n; i++) {
		if (strcmp(o->v[i].ctxt, ctxt) == 0 && strcmp(o->v[i].english, english) == 0) {
			*tier = ctl_review_tier_names[o->v[i].tier];
			return i + 1;
		}
	}
	return 0;
}

void
ctl_review_order_free(struct ctl_review_order *o)
{
	if (o == NULL)
		return;
	free(o->v);
	free(o);
}

static const char *
ctl_review_state_name(enum content_tr_state s)
{
	return s == CONTENT_TR_DONE  ? "reviewed" :
	       s == CONTENT_TR_FUZZY ? "fuzzy draft" :
				       "missing";
}

void
ctl_review_csv_field(FILE *fp, const char *s)
{
	ctl_csv_field(fp, s);
}

static void
ctl_review_html_text(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

static const char *const ctl_review_cols[] = { "order", "where", "kind", "english", "draft",
	"limit", "state" };
#define CTL_RV_NCOLS (sizeof(ctl_review_cols) / sizeof(ctl_review_cols[0]))

static void
ctl_review_head(FILE *fp, bool html, const struct content_language *l)
{
	if (!html) {
		fputs("\xEF\xBB\xBF", fp); /* so spreadsheets read UTF-8 */
		for (size_t i = 0; i < CTL_RV_NCOLS; i++)
			fprintf(fp, "%s%s", i > 0 ? "," : "", ctl_review_cols[i]);
		fputs("\r\n", fp);
		return;
	}
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>Kawan review: ", fp);
	ctl_review_html_text(fp, l->english_name);
	fputs("</title>\n<style>body{font-family:sans-serif}table{border-collapse:collapse}"
	      "td,th{border:1px solid #999;padding:4px;vertical-align:top;white-space:pre-wrap}"
	      "tr.fuzzy td{background:#fff6d5}tr.missing td{background:#fde0e0}</style>\n"
	      "</head><body>\n<h1>Kawan helpline: review of ",
	    fp);
	ctl_review_html_text(fp, l->english_name);
	fputs(" (", fp);
	ctl_review_html_text(fp, l->code);
	fputs(")</h1>\n<p>Work from the top: safety text (the report flow) comes first, then "
	      "help pages, then rights, then the rest. Keep leading numbers and %s as they "
	      "are.</p>\n<table>\n<tr>",
	    fp);
	for (size_t i = 0; i < CTL_RV_NCOLS; i++)
		fprintf(fp, "<th>%s</th>", ctl_review_cols[i]);
	fputs("</tr>\n", fp);
}

int
ctl_review_write(const struct content *c, const struct engine_settings *st, const char *lang,
    bool html, FILE *fp)
{
	const struct content_language *l = content_find_language(c, lang);
	struct ctl_review_row *v;
	size_t n;

	if (l == NULL || ctl_review_rows(c, &v, &n) < 0)
		return -1;
	ctl_review_head(fp, html, l);
	for (size_t i = 0; i < n; i++) {
		char order[24], limit[512];
		const char *ctxt = v[i].ctxt;
		enum content_tr_state s = content_tr_state(c, l->code, ctxt, v[i].english);
		const char *draft =
		    s == CONTENT_TR_MISSING ? "" : content_tr(c, l->code, ctxt, v[i].english, true);
		const char *cells[CTL_RV_NCOLS];

		(void)snprintf(order, sizeof(order), "%zu", i + 1);
		ctl_review_limit(st, &v[i], draft, limit, sizeof(limit));
		cells[0] = order;
		cells[1] = ctxt;
		cells[2] = ctl_review_kind_names[v[i].kind];
		cells[3] = v[i].english;
		cells[4] = draft;
		cells[5] = limit;
		cells[6] = ctl_review_state_name(s);
		if (html)
			fprintf(fp, "<tr class=\"%s\">",
			    s == CONTENT_TR_DONE  ? "reviewed" :
			    s == CONTENT_TR_FUZZY ? "fuzzy" :
						    "missing");
		for (size_t k = 0; k < CTL_RV_NCOLS; k++) {
			if (html) {
				fputs("<td>", fp);
				ctl_review_html_text(fp, cells[k]);
				fputs("</td>", fp);
			} else {
				if (k > 0)
					fputc(',', fp);
				ctl_review_csv_field(fp, cells[k]);
			}
		}
		fputs(html ? "</tr>\n" : "\r\n", fp);
	}
	if (html)
		fputs("</table>\n</body></html>\n", fp);
	free(v);
	return 0;
}

int
ctl_review(const struct ctl_opts *o, const struct content *c, const char *lang)
{
	const char *fmt = o->format != NULL ? o->format : "csv";
	struct engine_settings st;
	FILE *fp = stdout;
	int rc;

	if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "html") != 0) {
		fprintf(stderr, "kawanctl: --format takes csv or html\n");
		return 2;
	}
	if (content_find_language(c, lang) == NULL || strcmp(lang, "en") == 0) {
		fprintf(stderr, "kawanctl: no catalog '%s' to review (English is the source)\n",
		    lang);
		return 2;
	}
	ctl_engine_settings(o, &st);
	if (o->output != NULL) {
		fp = fopen(o->output, "w");
		if (fp == NULL) {
			perror(o->output);
			return 1;
		}
	}
	rc = ctl_review_write(c, &st, lang, fmt[0] == 'h', fp);
	if (fflush(fp) != 0 || ferror(fp))
		rc = -1;
	if (fp != stdout && fclose(fp) != 0)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "kawanctl: writing the review sheet failed\n");
		return 1;
	}
	return 0;
}
