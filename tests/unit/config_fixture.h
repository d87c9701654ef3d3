/* config_fixture.h - a configuration file for the unit tests: a kawan.cfg
 * in a mkdtemp folder, written from a string and loaded, and the check
 * that a load fails with "file:line: ...what...". Used by every test of
 * config_load (test_config, test_config_pool, test_quota, test_health):
 * cfx_cfg_setup / cfx_cfg_teardown as the group's setup and teardown. */
#ifndef KAWAN_CONFIG_FIXTURE_H
#define KAWAN_CONFIG_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

static char tmpdir[64];
static char cfgpath[128];
static char err[CONFIG_ERROR_MAX];

static inline int
cfx_cfg_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kawan-config-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(cfgpath, sizeof(cfgpath), "%s/kawan.cfg", tmpdir);
	return 0;
}

static inline int
cfx_cfg_teardown(void **state)
{
	(void)state;
	unlink(cfgpath);
	rmdir(tmpdir);
	return 0;
}

static inline void
write_cfg(const char *text)
{
	FILE *fp = fopen(cfgpath, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

/* Writes text as the configuration and loads it into c (err: its error). */
static inline int
load_text(const char *text, struct kawan_config *c)
{
	write_cfg(text);
	err[0] = '\0';
	return config_load(cfgpath, c, err, sizeof(err));
}

/* Loads text, expects failure with "cfgpath:line: ...what...". line 0 means
 * the message has no line: "cfgpath: ...what...". */
static inline void
expect_error(const char *text, int line, const char *what)
{
	static struct kawan_config c;
	char prefix[192];

	assert_int_equal(load_text(text, &c), -1);
	if (line > 0)
		snprintf(prefix, sizeof(prefix), "%s:%d: ", cfgpath, line);
	else
		snprintf(prefix, sizeof(prefix), "%s: ", cfgpath);
	if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, what) == NULL) {
		print_error("got error   '%s'\nwanted      '%s...%s...'\n", err, prefix, what);
		fail();
	}
}

#endif
