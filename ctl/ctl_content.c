/* ctl_content.c - `kawanctl content check|preview|simulate|pot|review`: the NGO
 * editors' tools, over the same loader, checker and engine the gateway uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check/check.h"
#include "content/content.h"
#include "core/util.h"
#include "ctl/ctl.h"
#include "session/engine.h"

static struct content *
ctl_content_load(const struct ctl_opts *o)
{
	static struct content_errors errs;
	struct content *c = NULL;
	const char *menus = o->menus != NULL ? o->menus : o->cfg.content.menus;
	const char *tr = o->translations != NULL ? o->translations : o->cfg.content.translations;

	if (content_load(menus, tr, &c, &errs) < 0) {
		char buf[16384];

		content_errors_format(&errs, buf, sizeof(buf));
		fprintf(stderr, "%s", buf);
		fprintf(stderr, "kawanctl: content in %s and %s refused: %zu error%s\n", menus, tr,
		    errs.total, errs.total == 1 ? "" : "s");
		return NULL;
	}
	return c;
}

static const char *
ctl_coding_name(enum render_coding c)
{
	return c == RENDER_GSM7 ? "GSM-7" : "UCS-2";
}

/* Prints one SMS page as the phone shows it, with its coding and size. */
static void
ctl_print_sms_page(const struct render_page *p, size_t i, size_t n, const struct engine_reply *r)
{
	printf("--- page %zu/%zu: %s, %zu %s, %d SMS segment%s%s\n", i + 1, n,
	    ctl_coding_name(p->coding), p->units, p->coding == RENDER_GSM7 ? "septets" : "units",
	    p->segments, p->segments == 1 ? "" : "s", r->msg_class == 0 ? ", flash (class 0)" : "");
	printf("%s\n", p->text);
}

/* Prints one USSD page as the operator receives it, "CON <page>" or "END
 * <page>" (END when the engine closes the session: ENGINE_FX_END on the
 * last page), with its units against the limit of its coding. */
static void
ctl_print_ussd_page(const struct engine_settings *s, const struct render_page *p, size_t i,
    size_t n, const struct engine_reply *r)
{
	size_t lim = p->coding == RENDER_GSM7 ? s->ussd.gsm7 : s->ussd.ucs2;
	bool end = i + 1 == n && (r->effects & ENGINE_FX_END);
	char nth[48] = "";

	if (n > 1)
		snprintf(nth, sizeof(nth), " %zu/%zu", i + 1, n);
	printf("--- USSD screen%s: %s, %zu/%zu %s%s\n", nth, ctl_coding_name(p->coding), p->units,
	    lim, p->coding == RENDER_GSM7 ? "septets" : "units",
	    p->units > lim ? ", OVER THE LIMIT" : "");
	printf("%s %s\n", end ? "END" : "CON", p->text);
}

/* Prints the pages of r on channel ch. */
static void
ctl_print_pages(const struct engine_settings *s, enum engine_channel ch,
    const struct engine_reply *r)
{
	for (size_t i = 0; i < r->pages.n; i++) {
		if (ch == ENGINE_USSD)
			ctl_print_ussd_page(s, &r->pages.v[i], i, r->pages.n, r);
		else
			ctl_print_sms_page(&r->pages.v[i], i, r->pages.n, r);
	}
}

static int
ctl_channel(const struct ctl_opts *o, enum engine_channel *ch)
{
	if (o->channel == NULL || strcmp(o->channel, "sms") == 0) {
		*ch = ENGINE_SMS;
		return 0;
	}
	if (strcmp(o->channel, "ussd") == 0) {
		*ch = ENGINE_USSD;
		return 0;
	}
	fprintf(stderr, "kawanctl: --channel must be ussd or sms\n");
	return -1;
}

/* What preview and simulate start from: the channel, the content (the
 * caller frees it) and the engine settings. NULL with *rc the exit status
 * (2 bad options, 1 content that does not load). */
static struct content *
ctl_content_engine(const struct ctl_opts *o, enum engine_channel *ch, struct engine_settings *s,
    int *rc)
{
	struct content *c;

	*rc = 2;
	if (ctl_channel(o, ch) < 0)
		return NULL;
	*rc = 1;
	c = ctl_content_load(o);
	if (c == NULL)
		return NULL;
	ctl_engine_settings(o, s);
	*rc = 0;
	return c;
}

static int
ctl_content_check(const struct ctl_opts *o)
{
	struct engine_settings s;
	struct check_report r;
	struct content *c = ctl_content_load(o);
	int64_t now = (int64_t)time(NULL);

	if (c == NULL)
		return 1;
	ctl_engine_settings(o, &s);
	if (check_run(c, &s, now, &r) < 0) {
		content_free(c);
		fprintf(stderr, "kawanctl: out of memory\n");
		return 1;
	}
	check_print(c, &s, &r, now, stdout);
	content_free(c);
	return r.errors > 0 ? 1 : 0;
}

static int
ctl_content_preview(const struct ctl_opts *o, const char *node)
{
	struct engine_settings s;
	struct engine_reply r;
	enum engine_channel ch;
	struct content *c;
	const char *lang = o->lang != NULL ? o->lang : "en";
	int rc;

	c = ctl_content_engine(o, &ch, &s, &rc);
	if (c == NULL)
		return rc;
	if (content_find_language(c, lang) == NULL) {
		fprintf(stderr, "kawanctl: no language '%s' in the content\n", lang);
		content_free(c);
		return 2;
	}
	if (strcmp(node, "languages") == 0 ?
		engine_render_languages(c, &s, ch, &r) < 0 :
		engine_render_node(c, &s, ch, lang, o->variant, node, &r) < 0) {
		fprintf(stderr, "kawanctl: cannot render '%s' (no such node?)\n", node);
		content_free(c);
		return 1;
	}
	printf("%s in %s over %s\n", node, lang, ch == ENGINE_USSD ? "USSD" : "SMS");
	ctl_print_pages(&s, ch, &r);
	engine_reply_free(&r);
	content_free(c);
	return 0;
}

static int
ctl_content_simulate(const struct ctl_opts *o)
{
	struct engine_settings s;
	struct engine_session sess;
	enum engine_channel ch;
	struct content *c;
	char line[1024];
	int64_t now = util_now_ms();
	int rc;

	c = ctl_content_engine(o, &ch, &s, &rc);
	if (c == NULL)
		return rc;
	memset(&sess, 0, sizeof(sess));
	if (o->lang != NULL && util_strcopy(sess.lang, sizeof(sess.lang), o->lang) < 0) {
		fprintf(stderr, "kawanctl: no language '%s'\n", o->lang);
		content_free(c);
		return 2;
	}
	sess.variant = o->variant;
	if (ch == ENGINE_USSD)
		printf(
		    "Kawan simulator (USSD: a screen holds %zu GSM-7 septets or %zu UCS-2 units). "
		    "Type the worker's answer to each screen; an empty line or Ctrl-D cancels.\n",
		    s.ussd.gsm7, s.ussd.ucs2);
	else
		printf("Kawan simulator (SMS). Type what the worker sends; an empty line or Ctrl-D "
		       "ends.\n");
	/* The first input is what a worker's first message (or *123# dial) would be. */
	line[0] = '\0';
	for (;;) {
		struct engine_reply r;

		if (engine_step(c, &s, ch, &sess, line, now, &r) < 0) {
			fprintf(stderr, "kawanctl: out of memory\n");
			break;
		}
		ctl_print_pages(&s, ch, &r);
		if (r.effects & ENGINE_FX_REPORT)
			printf("[effect: a distress report would be opened]\n");
		if (r.effects & ENGINE_FX_STOP)
			printf("[effect: this number's session and preferences are forgotten]\n");
		if (r.effects & ENGINE_FX_STATUS)
			printf("[effect: STATUS asked for reference %s]\n", r.arg);
		if (r.effects & ENGINE_FX_NEEDS_REF)
			printf("[effect: the report's reference takes the place of %%s]\n");
		if (ch == ENGINE_USSD && (r.effects & ENGINE_FX_END)) {
			printf("[session ended: the operator closes the dialog]\n");
			engine_reply_free(&r);
			break;
		}
		engine_reply_free(&r);
		printf("> ");
		fflush(stdout);
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			break;
		now += 5000; /* a worker takes a few seconds per screen */
	}
	content_free(c);
	return 0;
}

/* Parses the content commands' options; positional arguments are returned
 * through pos (room for npos). Returns how many, or -1. */
static int
ctl_content_args(struct ctl_opts *o, int argc, char **argv, const char **pos, int npos)
{
	int n = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **dst = NULL;

		if (strcmp(a, "--menus") == 0)
			dst = &o->menus;
		else if (strcmp(a, "--translations") == 0)
			dst = &o->translations;
		else if (strcmp(a, "--country") == 0)
			dst = &o->country;
		else if (strcmp(a, "--lang") == 0)
			dst = &o->lang;
		else if (strcmp(a, "--channel") == 0)
			dst = &o->channel;
		else if (strcmp(a, "--format") == 0)
			dst = &o->format;
		else if (strcmp(a, "-o") == 0)
			dst = &o->output;
		else if (strcmp(a, "--variant") == 0 || strcmp(a, "--zawgyi") == 0)
			o->variant = true;
		else if (strcmp(a, "--fuzzy") == 0)
			o->fuzzy = true;
		else if (a[0] == '-') {
			fprintf(stderr, "kawanctl: unknown option '%s'\n", a);
			return -1;
		} else if (n < npos) {
			pos[n++] = a;
		} else {
			fprintf(stderr, "kawanctl: unexpected '%s'\n", a);
			return -1;
		}
		if (dst != NULL) {
			if (i + 1 >= argc) {
				fprintf(stderr, "kawanctl: %s needs a value\n", a);
				return -1;
			}
			*dst = argv[++i];
		}
	}
	return n;
}

/* Writes s as a PO string literal: quotes, backslashes and newlines escaped. */
static void
ctl_po_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if (*s == '\t')
			fputs("\\t", fp);
		else
			fputc(*s, fp);
	}
	fputc('"', fp);
}

/* The review order of the template being written (ctl_content_pot). */
static const struct ctl_review_order *ctl_po_order;

static void
ctl_po_entry(FILE *fp, const char *where, const char *comment, const char *ctxt, const char *msgid)
{
	const char *tier = NULL;
	size_t rank;

	if (msgid == NULL || msgid[0] == '\0')
		return;
	fprintf(fp, "\n#. %s\n", comment);
	/* A reviewer's first hour goes to the safety text: the rank of
	 * `content review` (1 first), kept current by msgmerge. */
	rank = ctl_po_order != NULL ? ctl_review_order_of(ctl_po_order, ctxt, msgid, &tier) : 0;
	if (rank > 0)
		fprintf(fp, "#. review order: %zu (%s)\n", rank, tier);
	if (where != NULL)
		fprintf(fp, "#: %s\n", where);
	fputs("msgctxt ", fp);
	ctl_po_string(fp, ctxt);
	fputs("\nmsgid ", fp);
	ctl_po_string(fp, msgid);
	fputs("\nmsgstr \"\"\n", fp);
}

/* The translation template: every node title and text, every UI string,
 * every nationality choice, every contact name, keyed as the loader looks
 * them up (msgctxt = node id, ui.<key>, country.<CODE> or contact.<id>). */
static int
ctl_content_pot(const struct ctl_opts *o)
{
	static const char *const kinds[] = { "menu", "page", "action", "contacts" };
	struct content *c = ctl_content_load(o);
	char where[300], comment[300], ctxt[CONTENT_ID_MAX + 8];
	struct ctl_review_order *order;

	if (c == NULL)
		return 1;
	order = ctl_review_order_new(c);
	if (order == NULL) {
		content_free(c);
		fprintf(stderr, "kawanctl: out of memory\n");
		return 1;
	}
	ctl_po_order = order;
	printf(
	    "# Kawan helpline: translation template. Make a catalog with\n"
	    "#   msginit -i kawan.pot -l LANG -o translations/LANG.po\n"
	    "# and update one with\n"
	    "#   msgmerge -U translations/LANG.po kawan.pot\n"
	    "# msgctxt is the menu node id (or ui.KEY, country.CODE, contact.ID); keep leading digits like \"0 \" as they are.\n"
	    "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n");
	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);

		snprintf(where, sizeof(where), "%s:%d", n->file, n->line);
		snprintf(comment, sizeof(comment), "%s (%s): title, a label in its parent's list",
		    n->id, kinds[n->kind]);
		ctl_po_entry(stdout, where, comment, n->id, n->title);
		snprintf(comment, sizeof(comment), "%s (%s): %s%s%s", n->id, kinds[n->kind],
		    n->kind == CONTENT_MENU ? "prompt above the list" : "text",
		    n->articles[0] != '\0' ? "; rests on " : "", n->articles);
		/* One entry serves both when text and title are the same string. */
		if (strcmp(n->text, n->title) != 0)
			ctl_po_entry(stdout, where, comment, n->id, n->text);
	}
	for (size_t i = 0; i < content_nui(c); i++) {
		const char *key = content_ui_key_at(c, i);

		snprintf(ctxt, sizeof(ctxt), "ui.%s", key);
		snprintf(comment, sizeof(comment), "user interface string '%s'", key);
		ctl_po_entry(stdout, NULL, comment, ctxt, content_ui(c, "en", key, false));
	}
	for (size_t i = 0; i < content_nchoices(c); i++) {
		const struct content_country *ct = content_choice_at(c, i);

		snprintf(where, sizeof(where), "%s:%d", ct->file, ct->line);
		snprintf(comment, sizeof(comment),
		    "country %s: a nationality choice in the report flow", ct->code);
		ctl_po_entry(stdout, where, comment, ct->ctxt, ct->name);
	}
	for (size_t i = 0; i < content_ncontacts(c); i++) {
		const struct content_contact *ct = content_contact_at(c, i);

		snprintf(where, sizeof(where), "%s:%d", ct->file, ct->line);
		snprintf(comment, sizeof(comment), "contact %s (%s%s): its name, before \"%s\"%s",
		    ct->id, ct->country, ct->abroad ? ", callable from abroad" : "",
		    ct->number[0] != '\0' ? ct->number : "(no number yet)",
		    ct->verified[0] != '\0' ? "" : "; not served yet");
		ctl_po_entry(stdout, where, comment, ct->ctxt, ct->name);
	}
	ctl_po_order = NULL;
	ctl_review_order_free(order);
	content_free(c);
	return 0;
}

static int
ctl_content_review(const struct ctl_opts *o, const char *lang)
{
	struct content *c = ctl_content_load(o);
	int rc;

	if (c == NULL)
		return 1;
	rc = ctl_review(o, c, lang);
	content_free(c);
	return rc;
}

static int
ctl_content_figures(const struct ctl_opts *o)
{
	struct content *c = ctl_content_load(o);
	int rc;

	if (c == NULL)
		return 1;
	rc = ctl_figures(o, c);
	content_free(c);
	return rc;
}

int
ctl_content(struct ctl_opts *o, int argc, char **argv)
{
	const char *pos[2] = { NULL, NULL };
	int npos;

	if (argc < 1) {
		fprintf(stderr, "kawanctl: content check|preview|simulate|pot|review|figures\n");
		return 2;
	}
	npos = ctl_content_args(o, argc - 1, argv + 1, pos, 1);
	if (npos < 0)
		return 2;
	if (strcmp(argv[0], "check") == 0 && npos == 0)
		return ctl_content_check(o);
	if (strcmp(argv[0], "preview") == 0 && npos == 1)
		return ctl_content_preview(o, pos[0]);
	if (strcmp(argv[0], "simulate") == 0 && npos == 0)
		return ctl_content_simulate(o);
	if (strcmp(argv[0], "pot") == 0 && npos == 0)
		return ctl_content_pot(o);
	if (strcmp(argv[0], "review") == 0 && npos == 1)
		return ctl_content_review(o, pos[0]);
	if (strcmp(argv[0], "figures") == 0 && npos == 0)
		return ctl_content_figures(o);
	fprintf(stderr,
	    "kawanctl: content check | preview NODE | simulate | pot | review LANG | figures\n");
	return 2;
}
