/* ctl.h - kawanctl, the operator's and editors' command line: shared
 * option handling and the command groups. */
#ifndef KAWAN_CTL_H
#define KAWAN_CTL_H

#include <stdbool.h>

#include "config/config.h"
#include "session/engine.h"

struct ctl_opts {
	const char *config_path;        /* -c; default /etc/kawan/kawan.cfg */
	bool config_given;
	struct kawan_config cfg;        /* loaded, or defaults when no file */
	const char *menus;              /* --menus overrides cfg.content.menus */
	const char *translations;       /* --translations */
	const char *country;            /* --country */
	const char *lang;               /* --lang */
	const char *channel;            /* --channel ussd|sms */
	bool zawgyi;                    /* --zawgyi */
	bool fuzzy;                     /* --fuzzy: serve fuzzy entries */
};

/* Engine settings from the configuration and the options. */
void ctl_engine_settings(const struct ctl_opts *o, struct engine_settings *s);

/* `kawanctl content ...`: argv[0] is the subcommand. Returns the exit status. */
int ctl_content(struct ctl_opts *o, int argc, char **argv);

#endif
