/* ctl_figures.c - `kawanctl content figures`: the figures menus/README.md
 * records (issue 9). Per language and script variant, over the information
 * pages the deployment's country serves, with drafts served (what a
 * worker will read once they are reviewed): pages, SMS segments per page
 * (the most and the sum over every page), USSD screens per page (the most
 * and the sum), strings reviewed / drafted / missing, glossary terms. Per
 * receiving country: every served contact with how and when it was
 * verified. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "content/content.h"
#include "ctl/ctl.h"
#include "session/engine.h"

struct ctl_fig {
	size_t pages;
	int sms_max, sms_total;
	size_t ussd_max, ussd_total;
};

/* The pages of node n (lang, variant) on ch: SMS segments or USSD screens. */
static int
ctl_fig_node(const struct content *c, const struct engine_settings *s, enum engine_channel ch,
    const char *lang, bool variant, const struct content_node *n)
{
	struct engine_reply rep;
	int total = 0;

	memset(&rep, 0, sizeof(rep));
	if (engine_render_node(c, s, ch, lang, variant, n->id, &rep) == -1) {
		engine_reply_free(&rep);
		return -1;
	}
	for (size_t i = 0; i < rep.pages.n; i++)
		total += ch == ENGINE_SMS ? rep.pages.v[i].segments : 1;
	engine_reply_free(&rep);
	return total;
}

static int
ctl_fig_lang(const struct content *c, const struct engine_settings *s, const char *lang,
    bool variant, struct ctl_fig *f)
{
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < content_nnodes(c); i++) {
		const struct content_node *n = content_node_at(c, i);
		int sms, ussd;

		if (n->kind != CONTENT_PAGE || !content_node_serves(n, s->country))
			continue;
		sms = ctl_fig_node(c, s, ENGINE_SMS, lang, variant, n);
		ussd = ctl_fig_node(c, s, ENGINE_USSD, lang, variant, n);
		if (sms < 0 || ussd < 0) {
			fprintf(stderr, "kawanctl: %s cannot be rendered in %s\n", n->id, lang);
			return -1;
		}
		f->pages++;
		f->sms_total += sms;
		f->sms_max = sms > f->sms_max ? sms : f->sms_max;
		f->ussd_total += (size_t)ussd;
		f->ussd_max = (size_t)ussd > f->ussd_max ? (size_t)ussd : f->ussd_max;
	}
	return 0;
}

static void
ctl_fig_contacts(const struct content *c)
{
	const char *seen[64];
	size_t nseen = 0;

	printf("\nServed contacts per country (how verified, on what day; 'abroad': a home "
	       "country's line shown in every deployment):\n");
	for (size_t i = 0; i < content_ncontacts(c); i++) {
		const char *cc = content_contact_at(c, i)->country;
		bool dup = false;
		size_t served = 0, all = 0;

		for (size_t k = 0; k < nseen && !dup; k++)
			dup = strcmp(seen[k], cc) == 0;
		if (dup || nseen == sizeof(seen) / sizeof(seen[0]))
			continue;
		seen[nseen++] = cc;
		for (size_t k = 0; k < content_ncontacts(c); k++) {
			const struct content_contact *ct = content_contact_at(c, k);

			if (strcmp(ct->country, cc) != 0)
				continue;
			all++;
			served += ct->verified[0] != '\0';
		}
		printf("%s: %zu served of %zu\n", cc, served, all);
		for (size_t k = 0; k < content_ncontacts(c); k++) {
			const struct content_contact *ct = content_contact_at(c, k);

			if (strcmp(ct->country, cc) == 0 && ct->verified[0] != '\0')
				printf("  %-24s %-18s %s %s%s\n", ct->id, ct->number, ct->how,
				    ct->verified, ct->abroad ? " abroad" : "");
		}
	}
}

int
ctl_figures(const struct ctl_opts *o, const struct content *c)
{
	struct engine_settings s;
	struct check_report *r = calloc(1, sizeof(*r));
	int rc = 0;

	if (r == NULL)
		return 1;
	ctl_engine_settings(o, &s);
	s.serve_fuzzy = true;
	if (check_run(c, &s, 0, r) < 0) {
		free(r);
		return 1;
	}
	printf("Information pages served in %s, drafts served (SMS segments and USSD screens "
	       "per page):\n",
	    s.country[0] != '\0' ? s.country : "every country");
	printf("%-9s %5s %7s %9s %8s %10s %8s %7s %7s %8s\n", "lang", "pages", "sms-max",
	    "sms-total", "ussd-max", "ussd-total", "reviewed", "drafted", "missing", "glossary");
	for (size_t i = 0; i < content_nlanguages(c) && rc == 0; i++) {
		const struct content_language *l = content_language_at(c, i);
		const struct check_lang *cl = NULL;

		for (size_t k = 0; k < r->nlangs; k++)
			if (strcmp(r->langs[k].lang, l->code) == 0)
				cl = &r->langs[k];
		for (int v = 0; v <= (l->variant[0] != '\0') && rc == 0; v++) {
			struct ctl_fig f;
			char name[32];

			(void)snprintf(name, sizeof(name), "%s%s%s", l->code, v ? "-" : "",
			    v ? l->variant : "");
			if (ctl_fig_lang(c, &s, l->code, v == 1, &f) < 0) {
				rc = 1;
				break;
			}
			printf("%-9s %5zu %7d %9d %8zu %10zu %8zu %7zu %7zu %8zu\n", name, f.pages,
			    f.sms_max, f.sms_total, f.ussd_max, f.ussd_total,
			    cl != NULL ? cl->translated : 0, cl != NULL ? cl->fuzzy : 0,
			    cl != NULL ? cl->missing : 0, content_nglossary_for(c, l->code));
		}
	}
	if (rc == 0)
		ctl_fig_contacts(c);
	free(r);
	return rc;
}
