/* check.c - the content checker: translation coverage per language (node
 * titles and texts, ui strings, the report flow's nationality choices), every
 * node rendered through the engine on both channels (pages over the limit,
 * SMS segments, USSD screens and the fullest one), contacts not verified
 * in the last 12 months, and rights pages over three SMS in all (issue 9). */
#include "check/check.h"

#include <string.h>

#include "core/log.h"
#include "core/util.h"

#define CHECK_STALE_DAYS 365
#define CHECK_SOURCE_DAYS 730 /* a source older than two years: look again */
#define CHECK_COUNTRIES_MAX 64
/* Issue 9: no rights page over three SMS in any language. A rights page is
 * read on a basic phone and each segment costs the worker or the NGO: the
 * whole page (title, text, articles, footer, summed over its messages)
 * fits three segments, as served and as drafted (a draft is served once
 * reviewed). */
#define CHECK_RIGHTS_MAX_SEGMENTS 3

/* What rendering one node on one channel found. */
struct check_node {
	bool failed;
	size_t ussd_over;  /* pages over the USSD limit */
	size_t ussd_worst; /* units of the worst such page */
	size_t ussd_limit;
	size_t ussd_pages;                /* USSD pages (screens) of the node */
	struct check_screen ussd_fullest; /* its fullest page (node left "") */
	size_t sms_multi;                 /* menu pages over one segment */
	int sms_max;                      /* worst segments of a menu page */
	size_t info_over;                 /* info pages over max_info_segments */
	int info_worst;
};

static bool
check_menu_like(const struct content_node *n)
{
	return n->kind != CONTENT_PAGE;
}

/* True when screen a is fuller than b: a higher share of its limit (units
 * compared across codings by cross-multiplying), then more units. */
static bool
check_fuller(const struct check_screen *a, const struct check_screen *b)
{
	size_t x = a->units * (b->limit > 0 ? b->limit : 1);
	size_t y = b->units * (a->limit > 0 ? a->limit : 1);

	return x != y ? x > y : a->units > b->units;
}

/* Renders node in lang on ch and fills r. */
static void
check_node_render(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    const char *lang, const struct content_node *n, struct check_node *r)
{
	struct engine_reply rep;

	memset(r, 0, sizeof(*r));
	memset(&rep, 0, sizeof(rep));
	if (engine_render_node(c, s, ch, lang, false, n->id, &rep) == -1 || rep.pages.n == 0) {
		engine_reply_free(&rep);
		r->failed = true;
		return;
	}
	for (size_t i = 0; i < rep.pages.n; i++) {
		const struct render_page *p = &rep.pages.v[i];

		if (ch == ENGINE_USSD) {
			size_t lim = p->coding == RENDER_GSM7 ? s->ussd.gsm7 : s->ussd.ucs2;
			struct check_screen sc = { "", i, rep.pages.n, p->coding, p->units, lim };

			r->ussd_pages++;
			if (i == 0 || check_fuller(&sc, &r->ussd_fullest))
				r->ussd_fullest = sc;
			if (p->units > lim) {
				r->ussd_over++;
				if (p->units > r->ussd_worst) {
					r->ussd_worst = p->units;
					r->ussd_limit = lim;
				}
			}
		} else if (check_menu_like(n)) {
			if (p->segments > 1)
				r->sms_multi++;
			if (p->segments > r->sms_max)
				r->sms_max = p->segments;
		} else if (p->segments > s->max_info_segments) {
			r->info_over++;
			if (p->segments > r->info_worst)
				r->info_worst = p->segments;
		}
	}
	engine_reply_free(&rep);
}

static void
check_count_string(const struct content *c, const char *lang, const char *ctxt, const char *msgid,
    struct check_lang *l)
{
	l->strings++;
	switch (content_tr_state(c, lang, ctxt, msgid)) {
	case CONTENT_TR_DONE:
		l->translated++;
		break;
	case CONTENT_TR_FUZZY:
		l->fuzzy++;
		break;
	default:
		l->missing++;
		break;
	}
}

static void
check_coverage(const struct content *c, const char *lang, struct check_lang *l)
{
	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);

		check_count_string(c, lang, n->id, n->title, l);
		if (n->text[0] != '\0')
			check_count_string(c, lang, n->id, n->text, l);
	}
	for (size_t i = 0; i < content_nui(c); i++) {
		const char *key = content_ui_key_at(c, i);
		char ctxt[CONTENT_ID_MAX + 8];

		(void)snprintf(ctxt, sizeof(ctxt), "ui.%s", key);
		check_count_string(c, lang, ctxt, content_ui(c, "en", key, false), l);
	}
	for (size_t i = 0; i < content_nchoices(c); i++) {
		const struct content_country *ct = content_choice_at(c, i);

		check_count_string(c, lang, ct->ctxt, ct->name, l);
	}
}

/* A page under "rights.". */
static bool
check_rights_page(const struct content_node *n)
{
	return n->kind == CONTENT_PAGE && strncmp(n->id, "rights.", 7) == 0;
}

/* The SMS segments rights page n takes in lang, summed over its messages:
 * the most of as served, as drafted (fuzzy served) and, for a language
 * with one, in its script variant (Zawgyi, plain). *draft says whether the worst is only in the draft.
 * -1 when it cannot be rendered (counted elsewhere). */
static int
check_rights_segments(const struct content *c, const struct engine_settings *s, const char *lang,
    const struct content_node *n, bool *draft)
{
	const struct content_language *cl = content_find_language(c, lang);
	int zmax = cl != NULL && cl->variant[0] != '\0' ? 1 : 0, worst = -1;
	struct engine_settings f = *s;

	*draft = false;
	for (int fuzzy = 0; fuzzy <= 1; fuzzy++) {
		f.serve_fuzzy = fuzzy == 1 || s->serve_fuzzy;
		for (int z = 0; z <= zmax; z++) {
			struct engine_reply rep;
			int total = 0;

			memset(&rep, 0, sizeof(rep));
			if (engine_render_node(c, &f, ENGINE_SMS, lang, z == 1, n->id, &rep) ==
			    -1) {
				engine_reply_free(&rep);
				continue;
			}
			for (size_t i = 0; i < rep.pages.n; i++)
				total += rep.pages.v[i].segments;
			engine_reply_free(&rep);
			if (total > worst) {
				*draft = fuzzy == 1 && worst >= 0;
				worst = total;
			}
		}
	}
	return worst;
}

static void
check_pages(const struct content *c, const struct engine_settings *s, struct check_lang *l)
{
	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);
		struct check_node r;

		if (!content_node_serves(n, s->country))
			continue; /* another country's page: checked in its country */

		check_node_render(c, s, ENGINE_SMS, l->lang, n, &r);
		if (r.failed) {
			l->render_failures++;
		} else {
			bool draft;

			if (check_rights_page(n) && check_rights_segments(c, s, l->lang, n,
							&draft) > CHECK_RIGHTS_MAX_SEGMENTS)
				l->sms_rights_over++;
			l->sms_menu_multi += r.sms_multi;
			l->sms_info_over += r.info_over;
			if (r.sms_max > l->sms_menu_max_segments)
				l->sms_menu_max_segments = r.sms_max;
		}
		check_node_render(c, s, ENGINE_USSD, l->lang, n, &r);
		if (r.failed) {
			l->render_failures++;
			continue;
		}
		l->ussd_pages_over += r.ussd_over;
		l->ussd_screens += r.ussd_pages;
		if (l->ussd_longest.node[0] == '\0' ||
		    check_fuller(&r.ussd_fullest, &l->ussd_longest)) {
			l->ussd_longest = r.ussd_fullest;
			if (util_strcopy(l->ussd_longest.node, sizeof(l->ussd_longest.node),
				n->id) == -1)
				log_warnx("check: node id truncated");
		}
	}
}

/* 1 unverified, 2 stale, 0 fine, -1 another country. */
static int
check_contact_state(const struct content_contact *ct, const char *country, int64_t now_s,
    long *age_days)
{
	long d;

	*age_days = 0;
	if (country[0] != '\0' && strcmp(ct->country, country) != 0 && !ct->abroad)
		return -1;
	if (ct->verified[0] == '\0')
		return 1;
	d = content_date_days(ct->verified);
	*age_days = (long)(now_s / 86400) - d;
	return d >= 0 && *age_days > CHECK_STALE_DAYS ? 2 : 0;
}

/* Served: verified with a number (content_contacts_for serves it). */
static bool
check_served(const struct content_contact *ct)
{
	return ct->verified[0] != '\0' && ct->number[0] != '\0';
}

/* What a served contact lacks ("hours", "source", "how"), or NULL. */
static const char *
check_contact_missing(const struct content_contact *ct)
{
	if (!check_served(ct))
		return NULL;
	if (ct->hours == NULL || ct->hours[0] == '\0')
		return "hours";
	if (ct->source == NULL || ct->source[0] == '\0')
		return "source";
	if (ct->how == NULL || ct->how[0] == '\0')
		return "how (\"published\" or \"call-tested\")";
	return NULL;
}

/* Days since the source's date (source_date, else the verified date) when
 * over two years, else 0. */
static long
check_source_age(const struct content_contact *ct, int64_t now_s)
{
	const char *d =
	    ct->source_date != NULL && ct->source_date[0] != '\0' ? ct->source_date : ct->verified;
	long days = content_date_days_loose(d), age;

	if (!check_served(ct) || days < 0)
		return 0;
	age = (long)(now_s / 86400) - days;
	return age > CHECK_SOURCE_DAYS ? age : 0;
}

/* The receiving countries: every country a contact is listed for, in file
 * order (not a sending country's `abroad` line: it is served everywhere).
 * Returns how many (at most max). */
/* Adds country cc to out[*n] unless it is there already (or out is full). */
static void
check_add_country(const char **out, size_t *n, size_t max, const char *cc)
{
	for (size_t k = 0; k < *n; k++)
		if (strcmp(out[k], cc) == 0)
			return;
	if (*n < max)
		out[(*n)++] = cc;
}

static size_t
check_receiving(const struct content *c, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < content_ncontacts(c); i++)
		if (!content_contact_at(c, i)->abroad)
			check_add_country(out, &n, max, content_contact_at(c, i)->country);
	return n;
}

/* Calls back (or counts) each contacts node with nothing served in a
 * receiving country where it is shown (a per-country node only in its own);
 * error says whether it is one (the deployment's
 * country, or every country when none is set). */
static void
check_lists(const struct content *c, const struct engine_settings *s, struct check_report *r,
    FILE *fp)
{
	const char *cs[CHECK_COUNTRIES_MAX];
	size_t nc = check_receiving(c, cs, CHECK_COUNTRIES_MAX);

	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);

		if (n->kind != CONTENT_CONTACTS)
			continue;
		for (size_t k = 0; k < nc; k++) {
			const struct content_contact *one;
			bool error = s->country[0] == '\0' || strcmp(s->country, cs[k]) == 0;

			/* a per-country list (country = "MY") is never shown elsewhere */
			if (!content_node_serves(n, cs[k]) ||
			    content_contacts_for(n, cs[k], &one, 1) > 0)
				continue;
			if (r != NULL) {
				r->lists_empty += error;
				r->lists_empty_elsewhere += !error;
			}
			if (fp != NULL)
				fprintf(fp, "%s:%d: node %s has nothing served in %s%s\n", n->file,
				    n->line, n->id, cs[k],
				    error ? ": error (no page may point to an empty list)" :
					    " (not this deployment's country)");
		}
	}
}

/* ---- per-country nodes (issue 9, helppages) ---- */

/* The receiving countries (check_receiving) and every country a node is
 * for, in that order. Returns how many (at most max). */
static size_t
check_node_countries(const struct content *c, const char **out, size_t max)
{
	size_t n = check_receiving(c, out, max);

	for (size_t i = 0; i < content_nnodes(c); i++)
		if (content_node_at(c, i)->country[0] != '\0')
			check_add_country(out, &n, max, content_node_at(c, i)->country);
	return n;
}

/* Counts (r) or prints (fp) each menu with no child shown in a receiving
 * country (an error in the deployment's country, or in every country when
 * none is set; elsewhere a warning), and each per-country node without
 * 'sources' (an error: its facts differ by country, so it must say where
 * they come from). */
static void
check_country_nodes(const struct content *c, const struct engine_settings *s,
    struct check_report *r, FILE *fp)
{
	const char *cs[CHECK_COUNTRIES_MAX];
	size_t nc = check_node_countries(c, cs, CHECK_COUNTRIES_MAX);

	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);

		if (n->country[0] != '\0' && n->sources[0] == '\0') {
			if (r != NULL)
				r->country_unsourced++;
			if (fp != NULL)
				fprintf(fp,
				    "%s:%d: node %s is for %s but has no sources: error (name "
				    "where each fact comes from, with a date)\n",
				    n->file, n->line, n->id, n->country);
		}
		if (n->kind != CONTENT_MENU || !content_node_serves(n, s->country))
			continue;
		for (size_t k = 0; k < nc; k++) {
			const struct content_node *one;
			bool error = s->country[0] == '\0' || strcmp(s->country, cs[k]) == 0;

			if (!content_node_serves(n, cs[k]) ||
			    content_children_for(c, n, cs[k], &one, 1) > 0)
				continue;
			if (r != NULL) {
				r->menus_empty += error;
				r->menus_empty_elsewhere += !error;
			}
			if (fp != NULL)
				fprintf(fp, "%s:%d: menu %s shows nothing in %s%s\n", n->file,
				    n->line, n->id, cs[k],
				    error ? ": error (give it a general child or one for this "
					    "country)" :
					    " (not this deployment's country)");
		}
	}
}

struct check_stop_ctx {
	FILE *fp;
};

static void
check_stop_one(void *arg, const struct content_stop_conflict *sc)
{
	struct check_stop_ctx *x = arg;

	if (x->fp != NULL)
		fprintf(x->fp,
		    "%s:%d: STOP word '%s' (%s) is a word of %s (%s): error (a worker writing "
		    "it would lose their settings)\n",
		    sc->file, sc->line, sc->word, sc->lang[0] != '\0' ? sc->lang : "all languages",
		    sc->other_lang, sc->ctxt);
}

struct check_gloss_ctx {
	FILE *fp;
	size_t errors, drafts;
};

static void
check_gloss_one(void *arg, const struct content_glossary_drift *d)
{
	struct check_gloss_ctx *x = arg;

	x->errors += !d->fuzzy;
	x->drafts += d->fuzzy;
	if (x->fp != NULL)
		fprintf(x->fp,
		    "%s:%d: %s: \"%s\" is \"%s\" in the glossary, not found in the translation%s\n",
		    d->file, d->line, d->ctxt, d->term, d->approved,
		    d->fuzzy ? " (a draft: warning)" : ": error (a reviewed entry)");
}

int
check_run(const struct content *c, const struct engine_settings *s, int64_t now_s,
    struct check_report *out)
{
	struct check_stop_ctx sx = { NULL };
	struct check_gloss_ctx gx = { NULL, 0, 0 };
	int nstop;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < content_nlanguages(c) && out->nlangs < CHECK_MAX_LANGS; i++) {
		struct check_lang *l = &out->langs[out->nlangs++];

		if (util_strcopy(l->lang, sizeof(l->lang), content_language_at(c, i)->code) == -1)
			log_warnx("check: language code truncated");
		check_coverage(c, l->lang, l);
		check_pages(c, s, l);
		out->errors += l->render_failures + l->ussd_pages_over + l->sms_rights_over;
	}
	for (size_t i = 0; i < content_ncontacts(c); i++) {
		long age;
		int st = check_contact_state(content_contact_at(c, i), s->country, now_s, &age);

		if (st < 0)
			continue;
		out->contacts++;
		out->contacts_unverified += st == 1;
		out->contacts_stale += st == 2;
	}
	for (size_t i = 0; i < content_ncontacts(c); i++) {
		const struct content_contact *ct = content_contact_at(c, i);

		out->contacts_incomplete += check_contact_missing(ct) != NULL;
		out->contacts_old_source += check_source_age(ct, now_s) > 0;
	}
	check_lists(c, s, out, NULL);
	check_country_nodes(c, s, out, NULL);
	out->errors += out->menus_empty + out->country_unsourced;
	nstop = content_stop_conflicts(c, check_stop_one, &sx);
	if (nstop < 0)
		return -1;
	out->stop_conflicts = (size_t)nstop;
	if (content_glossary_drifts(c, check_gloss_one, &gx) < 0)
		return -1;
	out->glossary_drift = gx.errors;
	out->glossary_drafts = gx.drafts;
	out->errors +=
	    out->contacts_incomplete + out->lists_empty + out->stop_conflicts + out->glossary_drift;
	return 0;
}

/* One line per node that cannot be served as it is, in one language. */
static void
check_print_nodes(const struct content *c, const struct engine_settings *s, const char *lang,
    FILE *fp)
{
	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);
		struct check_node sms, ussd;

		if (!content_node_serves(n, s->country))
			continue;

		check_node_render(c, s, ENGINE_SMS, lang, n, &sms);
		check_node_render(c, s, ENGINE_USSD, lang, n, &ussd);
		if (sms.failed || ussd.failed)
			fprintf(fp, "%s:%d: node %s (%s) cannot be rendered on %s: error\n",
			    n->file, n->line, n->id, lang, sms.failed ? "SMS" : "USSD");
		if (ussd.ussd_over > 0)
			fprintf(fp,
			    "%s:%d: node %s (%s): %zu USSD page(s) over the limit, worst %zu units "
			    "(limit %zu): error\n",
			    n->file, n->line, n->id, lang, ussd.ussd_over, ussd.ussd_worst,
			    ussd.ussd_limit);
		if (sms.info_over > 0)
			fprintf(fp,
			    "%s:%d: node %s (%s): an SMS page needs %d segments (at most %d): "
			    "shorten it\n",
			    n->file, n->line, n->id, lang, sms.info_worst, s->max_info_segments);
		if (!sms.failed && check_rights_page(n)) {
			bool draft;
			int segs = check_rights_segments(c, s, lang, n, &draft);

			if (segs > CHECK_RIGHTS_MAX_SEGMENTS)
				fprintf(fp,
				    "%s:%d: node %s (%s%s): a rights page takes %d SMS segments in "
				    "all (at most %d): error, shorten it or split it\n",
				    n->file, n->line, n->id, lang, draft ? ", fuzzy draft" : "",
				    segs, CHECK_RIGHTS_MAX_SEGMENTS);
		}
	}
}

/* The USSD table: per language, the screens of the whole tree, how many
 * are over the limit, and the fullest one. */
static void
check_print_ussd(const struct engine_settings *s, const struct check_report *r, FILE *fp)
{
	fprintf(fp,
	    "\nUSSD screens (every node's pages; limit %zu GSM-7 septets or %zu UCS-2 units):\n",
	    s->ussd.gsm7, s->ussd.ucs2);
	fprintf(fp, "%-8s %8s %6s %9s %5s %-6s %s\n", "lang", "screens", "over", "longest", "fill",
	    "coding", "node");
	for (size_t i = 0; i < r->nlangs; i++) {
		const struct check_lang *l = &r->langs[i];
		const struct check_screen *w = &l->ussd_longest;
		char fill[24], page[32] = "";

		if (w->node[0] == '\0') {
			fprintf(fp, "%-8s %8zu %6zu %9s %5s %-6s %s\n", l->lang, l->ussd_screens,
			    l->ussd_pages_over, "-", "-", "-", "-");
			continue;
		}
		snprintf(fill, sizeof(fill), "%zu/%zu", w->units, w->limit);
		if (w->pages > 1)
			snprintf(page, sizeof(page), " (page %zu/%zu)", w->page + 1, w->pages);
		fprintf(fp, "%-8s %8zu %6zu %9s %4zu%% %-6s %s%s%s\n", l->lang, l->ussd_screens,
		    l->ussd_pages_over, fill, w->limit > 0 ? w->units * 100 / w->limit : 0,
		    w->coding == RENDER_GSM7 ? "GSM-7" : "UCS-2", w->node, page,
		    l->ussd_pages_over > 0 ? ": error, pages over the limit" : "");
	}
}

void
check_print(const struct content *c, const struct engine_settings *s, const struct check_report *r,
    int64_t now_s, FILE *fp)
{
	fprintf(fp, "%-8s %8s %6s %8s %10s %6s %10s %10s %8s\n", "lang", "coverage", "fuzzy",
	    "missing", "sms-menu>1", "worst", "info-over", "ussd-over", "failed");
	for (size_t i = 0; i < r->nlangs; i++) {
		const struct check_lang *l = &r->langs[i];
		double pct =
		    l->strings > 0 ? 100.0 * (double)l->translated / (double)l->strings : 100.0;

		fprintf(fp, "%-8s %7.1f%% %6zu %8zu %10zu %6d %10zu %10zu %8zu\n", l->lang, pct,
		    l->fuzzy, l->missing, l->sms_menu_multi, l->sms_menu_max_segments,
		    l->sms_info_over, l->ussd_pages_over, l->render_failures);
	}
	check_print_ussd(s, r, fp);
	for (size_t i = 0; i < r->nlangs; i++) {
		const struct check_lang *l = &r->langs[i];

		if (l->render_failures + l->ussd_pages_over + l->sms_info_over +
			l->sms_rights_over >
		    0)
			check_print_nodes(c, s, l->lang, fp);
	}
	for (size_t i = 0; i < content_ncontacts(c); i++) {
		const struct content_contact *ct = content_contact_at(c, i);
		long age;
		int st = check_contact_state(ct, s->country, now_s, &age);

		if (st == 1)
			fprintf(fp, "%s:%d: contact %s (%s) is not verified: not served\n",
			    ct->file, ct->line, ct->id, ct->name);
		else if (st == 2)
			fprintf(fp,
			    "%s:%d: contact %s (%s) was last verified %s, %ld days ago: "
			    "check it again\n",
			    ct->file, ct->line, ct->id, ct->name, ct->verified, age);
	}
	for (size_t i = 0; i < content_ncontacts(c); i++) {
		const struct content_contact *ct = content_contact_at(c, i);
		const char *miss = check_contact_missing(ct);
		long age = check_source_age(ct, now_s);

		if (miss != NULL)
			fprintf(fp,
			    "%s:%d: contact %s (%s) is served without %s: error (fill it in, or "
			    "leave verified \"\")\n",
			    ct->file, ct->line, ct->id, ct->name, miss);
		if (age > 0)
			fprintf(fp,
			    "%s:%d: contact %s (%s): its source (%s, %s) is %ld days old: find a "
			    "newer one\n",
			    ct->file, ct->line, ct->id, ct->name, ct->source,
			    ct->source_date[0] != '\0' ? ct->source_date : ct->verified, age);
	}
	check_lists(c, s, NULL, fp);
	check_country_nodes(c, s, NULL, fp);
	{
		struct check_stop_ctx sx = { fp };

		if (content_stop_conflicts(c, check_stop_one, &sx) < 0)
			fprintf(fp, "out of memory checking STOP words\n");
	}
	{
		struct check_gloss_ctx gx = { fp, 0, 0 };

		if (content_glossary_drifts(c, check_gloss_one, &gx) < 0)
			fprintf(fp, "out of memory checking the glossary\n");
	}
	fprintf(fp, "%zu contacts for %s, %zu not verified, %zu stale; %zu error(s)%s\n",
	    r->contacts, s->country[0] != '\0' ? s->country : "all countries",
	    r->contacts_unverified, r->contacts_stale, r->errors,
	    r->errors > 0 ? ": not ready to go live" : "");
}
