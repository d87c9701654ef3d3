/* kawanctl.c - entry point: global options, configuration, and dispatch to
 * the command groups (content; reports, stats and pin-hash). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "ctl/ctl.h"
#include "router/router.h"

#define CTL_DEFAULT_CONFIG "/etc/kawan/kawan.cfg"

static void
ctl_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: kawanctl [-c kawan.cfg] command ...\n"
	    "\n"
	    "content check                   check menus and translations; per-language table;\n"
	    "                                exit 1 when something must be fixed\n"
	    "content preview NODE --lang L --channel ussd|sms [--variant]\n"
	    "                                every page of NODE exactly as the phone shows it\n"
	    "content simulate --lang L --channel ussd|sms\n"
	    "                                an interactive phone over the engine (no modem)\n"
	    "content pot                     the translation template (POT) on stdout\n"
	    "content figures [--country XX]  pages, SMS and USSD per language, served contacts\n"
	    "content review LANG [--format csv|html] [-o FILE]\n"
	    "                                the catalog as a sheet for a native reviewer\n"
	    "\n"
	    "options for content commands: --menus DIR --translations DIR --country XX --fuzzy\n"
	    "(defaults come from the configuration file when it exists)\n"
	    "\n"
	    "reports list [--status new|alerted|acked|closed|open] [--nationality XX]\n"
	    "             [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
	    "                                distress reports as a table (dates are local, --to inclusive)\n"
	    "reports show REF                every field, the whole message, and the audit trail\n"
	    "reports ack REF                 acknowledge as kawanctl:<your login>\n"
	    "reports note REF TEXT...        add a note to the audit trail\n"
	    "reports close REF OUTCOME...    close with an outcome\n"
	    "reports export --format csv|json [-o FILE] [list filters]\n"
	    "                                every field and the audit count on stdout, or in\n"
	    "                                a new FILE made 0600 (0640 to export_group)\n"
	    "reports purge                   erase personal data of reports closed longer than\n"
	    "                                reports.retention_days ago; prints how many\n"
	    "stats --year Y                  anonymised yearly figures (Declaration Art. 18, 22)\n"
	    "\n"
	    "options for reports and stats: --db PATH (default: database in the configuration)\n"
	    "\n"
	    "pin-hash                        read a 6-12 digit PIN on stdin, print its crypt(3)\n"
	    "                                hash for an officer's pin_hash\n"
	    "modems [--json] [--db PATH]     each modem's SIM, state, signal, network, parts sent,\n"
	    "                                balance and last error (read-only)\n");
}

void
ctl_engine_settings(const struct ctl_opts *o, struct engine_settings *s)
{
	router_engine_settings(&o->cfg, s);
	if (o->country != NULL && util_strcopy(s->country, sizeof(s->country), o->country) < 0)
		fprintf(stderr, "kawanctl: --country takes two letters; using %s\n", s->country);
	if (o->fuzzy)
		s->serve_fuzzy = true;
}

/* Loads -c, or the default file when it exists; otherwise the built-in
 * defaults with the content of this source tree (menus/, translations/). */
static int
ctl_load_config(struct ctl_opts *o)
{
	char err[CONFIG_ERROR_MAX];

	if (!o->config_given && access(o->config_path, R_OK) != 0) {
		config_default(&o->cfg);
		if (util_strcopy(o->cfg.content.menus, sizeof(o->cfg.content.menus), "menus") < 0 ||
		    util_strcopy(o->cfg.content.translations, sizeof(o->cfg.content.translations),
			"translations") < 0)
			return -1;
		return 0;
	}
	if (config_load(o->config_path, &o->cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "kawanctl: %s\n", err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct ctl_opts o;
	int i = 1;

	umask(077); /* exports, reviews and anything else it writes: owner only */
	log_init("kawanctl", LOG_LEVEL_WARN);
	o.config_path = CTL_DEFAULT_CONFIG;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			o.config_path = argv[i + 1];
			o.config_given = true;
			i += 2;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			ctl_usage(stdout);
			return 0;
		} else {
			ctl_usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		ctl_usage(stderr);
		return 2;
	}
	/* pin-hash needs no configuration: it makes what the file lacks. */
	if (strcmp(argv[i], "pin-hash") == 0)
		return ctl_pin_hash(&o, argc - i - 1, argv + i + 1);
	if (ctl_load_config(&o) < 0)
		return 1;
	if (strcmp(argv[i], "content") == 0)
		return ctl_content(&o, argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "reports") == 0)
		return ctl_reports(&o, argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "stats") == 0)
		return ctl_stats(&o, argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "modems") == 0)
		return ctl_modems(&o, argc - i - 1, argv + i + 1);
	fprintf(stderr, "kawanctl: unknown command '%s'\n", argv[i]);
	ctl_usage(stderr);
	return 2;
}
