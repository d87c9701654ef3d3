/* fuzz_config.c - the gateway's configuration file (gateway/config: the
 * libconfig text and every group's checks), read by config_load from a
 * file holding the input.
 *
 * Invariants: a file that loads gives a whole configuration (1 to
 * CONFIG_MAX_MODEMS modems with names, every count within its array,
 * every string terminated); one that does not gives a non-empty error
 * naming the file. */
#include <sys/socket.h>

#include "config/config.h"

#include "fuzz.h"

#define FUZZ_CFG_MAX 16384

static char path[256];

static void
remove_file(void)
{
	unlink(path);
}

/* A string field: terminated inside its array. */
#define FUZZ_TERM(field) FUZZ_CHECK(memchr((field), '\0', sizeof(field)) != NULL)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kawan_config c;
	char err[CONFIG_ERROR_MAX];

	if (size > FUZZ_CFG_MAX)
		return 0;
	if (path[0] == '\0') {
		fuzz_quiet();
		snprintf(path, sizeof(path), "%s/kawan.cfg", fuzz_dir());
		atexit(remove_file);
	}
	fuzz_write_file(path, data, size);
	memset(&c, 0xa5, sizeof(c)); /* nothing may rely on zeroed storage */
	memset(err, 0, sizeof(err));
	if (config_load(path, &c, err, sizeof(err)) != 0) {
		FUZZ_TERM(err);
		FUZZ_CHECK(err[0] != '\0' && strncmp(err, path, strlen(path)) == 0);
		return 0;
	}
	FUZZ_CHECK(c.nmodems >= 1 && c.nmodems <= CONFIG_MAX_MODEMS);
	FUZZ_CHECK(c.nrosters <= CONFIG_MAX_ROSTERS && c.nnetworks <= CONFIG_MAX_NETWORKS);
	FUZZ_CHECK(c.noperators <= CONFIG_MAX_OPERATORS);
	FUZZ_CHECK(
	    c.ussd.ncodes <= CONFIG_USSD_MAX_CODES && c.ussd.nallow <= CONFIG_USSD_MAX_ALLOW);
	FUZZ_TERM(c.database);
	FUZZ_TERM(c.log_level);
	FUZZ_TERM(c.country);
	FUZZ_TERM(c.router.reply_text);
	FUZZ_TERM(c.content.menus);
	FUZZ_TERM(c.content.translations);
	FUZZ_TERM(c.ussd.listen);
	FUZZ_TERM(c.ussd.host);
	FUZZ_TERM(c.ussd.path);
	FUZZ_TERM(c.ussd.secret);
	for (size_t i = 0; i < c.nmodems; i++) {
		FUZZ_TERM(c.modems[i].name);
		FUZZ_TERM(c.modems[i].device);
		FUZZ_TERM(c.modems[i].connection);
		FUZZ_TERM(c.modems[i].pin);
		FUZZ_TERM(c.modems[i].imsi);
		FUZZ_CHECK(c.modems[i].name[0] != '\0');
		FUZZ_CHECK(config_modem_find(&c, c.modems[i].name) == (int)i);
	}
	for (size_t i = 0; i < c.nrosters; i++) {
		FUZZ_CHECK(c.rosters[i].nofficers <= CONFIG_MAX_OFFICERS);
		FUZZ_TERM(c.rosters[i].nationality);
		for (size_t k = 0; k < c.rosters[i].nofficers; k++) {
			FUZZ_TERM(c.rosters[i].officers[k].number);
			FUZZ_TERM(c.rosters[i].officers[k].pin_hash);
		}
	}
	for (size_t i = 0; i < c.nnetworks; i++) {
		FUZZ_CHECK(c.networks[i].nprefixes <= CONFIG_MAX_PREFIXES);
		FUZZ_CHECK(config_network_find(&c, c.networks[i].name) == (int)i);
	}
	for (size_t i = 0; i < c.ussd.ncodes; i++)
		FUZZ_TERM(c.ussd.service_codes[i]);
	for (size_t i = 0; i < c.ussd.nallow; i++)
		FUZZ_CHECK(
		    c.ussd.allow[i].prefix >= 0 &&
		    c.ussd.allow[i].prefix <= (c.ussd.allow[i].family == AF_INET ? 32 : 128));
	return 0;
}
