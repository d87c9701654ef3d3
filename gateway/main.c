/* main.c - kawan-gateway: parse arguments, load and check the
 * configuration, then hand over to the daemon loop. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "content/content.h"
#include "core/log.h"
#include "daemon/daemon.h"
#include "reports/reports.h"

#define DEFAULT_CONFIG "/etc/kawan/kawan.cfg"

static void
usage(void)
{
	fprintf(stderr, "usage: kawan-gateway [-n] [-c file]\n"
			"  -c file  configuration (default " DEFAULT_CONFIG ")\n"
			"  -n       check the configuration and exit\n");
}

int
main(int argc, char **argv)
{
	static struct kawan_config cfg; /* large; static keeps it off the stack */
	const char *path = DEFAULT_CONFIG;
	char err[CONFIG_ERROR_MAX];
	enum log_level lvl;
	bool check_only = false;
	int ch;

	while ((ch = getopt(argc, argv, "c:nh")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			check_only = true;
			break;
		default:
			usage();
			return 2;
		}
	}
	if (optind != argc) {
		usage();
		return 2;
	}
	/* Every file the gateway (and libgammu, and SQLite) creates is private. */
	umask(077);
	log_init("kawan-gateway", LOG_LEVEL_INFO);
	if (config_load(path, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "kawan-gateway: %s\n", err);
		return 1;
	}
	/* Officers' PINs: none missing, none trivially guessable (config_pin.c). */
	if (config_pins_check(&cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "kawan-gateway: %s: %s\n", path, err);
		return 1;
	}
	if (daemon_priv_check(&cfg, check_only ? stderr : NULL) < 0)
		return 1;
	if (check_only) {
		static struct content_errors errs;
		struct content *c = NULL;
		char buf[16384];

		if (cfg.content.configured &&
		    content_load(cfg.content.menus, cfg.content.translations, &c, &errs) < 0) {
			content_errors_format(&errs, buf, sizeof(buf));
			fprintf(stderr, "%s", buf);
			fprintf(stderr, "kawan-gateway: content refused (%zu errors)\n",
			    errs.total);
			return 1;
		}
		/* Warnings (nationalities nobody can be alerted for): not errors. */
		(void)reports_config_warn(&cfg, c, stderr);
		content_free(c);
		printf("%s: configuration OK%s\n", path,
		    cfg.content.configured ? ", content OK" : "");
		return 0;
	}
	if (log_level_parse(cfg.log_level, &lvl) == 0)
		log_set_level(lvl);
	if (daemon_priv_drop(&cfg) < 0)
		return 1;
	return daemon_run(&cfg);
}
