/* config_pin.c - officers' PINs: what a PIN may be (6 to 12 digits, not
 * trivially guessable), the constant-time check of a PIN against its
 * crypt(3) hash, and the start-up check that refuses a pin_hash of a
 * trivially guessable PIN (the example configuration once shipped the
 * hash of 1234) or the examples' placeholder; and where an officer's
 * command carries its PIN, so it is masked before the SMS is stored. */
#include "config/config.h"

#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#include <strings.h>

/* PINs people pick first (lists of leaked PINs) that are not runs or
 * repeats of one digit, which config_pin_weak finds by rule. */
static const char *const config_pin_common[] = { "123123", "121212", "112233", "111222", "123321",
	"159753", "147258", "258369", "102030", "101010", "131313", "252525", "696969", "789456",
	"123654", "520520", "112358", "007007", "100200", "998877", "147852", "963852", "741852",
	"202020", "212121", "232323", "123789", "654123", "246810", "135790", NULL };

/* Short PINs whose hashes the examples or old deployments may still carry
 * (the check below tries them as well as the 6-digit rule breakers). */
static const char *const config_pin_old[] = { "1234", "0000", "1111", "4321", "12345678",
	"87654321", "11111111", "00000000", "1234567", NULL };

/* Digits d0 d0+step d0+2step ... (mod 10) of length n. */
static void
config_pin_run(char *out, int first, int step, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('0' + ((first + step * (int)i) % 10 + 10) % 10);
	out[n] = '\0';
}

const char *
config_pin_weak(const char *pin)
{
	size_t n = strlen(pin);
	bool same = true, up = true, down = true;

	if (n < CONFIG_OFFICER_PIN_MIN)
		return "it is shorter than 6 digits";
	if (n > CONFIG_OFFICER_PIN_MAX)
		return "it is longer than 12 digits";
	for (size_t i = 0; i < n; i++) {
		if (pin[i] < '0' || pin[i] > '9')
			return "a PIN is digits (0-9) only";
		if (i == 0)
			continue;
		same = same && pin[i] == pin[0];
		up = up && pin[i] == (char)('0' + (pin[i - 1] - '0' + 1) % 10);
		down = down && pin[i] == (char)('0' + (pin[i - 1] - '0' + 9) % 10);
	}
	if (same)
		return "it is one digit repeated";
	if (up)
		return "it is an ascending run (like 123456)";
	if (down)
		return "it is a descending run (like 654321)";
	for (size_t i = 0; config_pin_common[i] != NULL; i++)
		if (strcmp(pin, config_pin_common[i]) == 0)
			return "it is on the lists of most-used PINs";
	/* A short pattern repeated (121212, 123123, 12341234) is as easy to guess. */
	for (size_t p = 2; p <= n / 2; p++) {
		bool rep = n % p == 0;

		for (size_t i = p; rep && i < n; i++)
			rep = pin[i] == pin[i - p];
		if (rep)
			return "it repeats a short pattern (like 121212)";
	}
	return NULL;
}

bool
config_pin_match(const char *pin, const char *hash)
{
	struct crypt_data *cd;
	const char *out;
	size_t hlen;
	volatile unsigned char diff = 0;
	bool ok;

	if (pin == NULL || hash == NULL || hash[0] != '$' || strlen(pin) > 64)
		return false;
	cd = calloc(1, sizeof(*cd)); /* about 32 KiB: not on the stack */
	if (cd == NULL) {
		log_warn("config: calloc");
		return false;
	}
	out = crypt_r(pin, hash, cd);
	hlen = strlen(hash);
	if (out == NULL || out[0] == '*' || strlen(out) != hlen) {
		explicit_bzero(cd, sizeof(*cd));
		free(cd);
		return false;
	}
	for (size_t i = 0; i < hlen; i++)
		diff |= (unsigned char)(out[i] ^ hash[i]);
	ok = diff == 0;
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

/* True when cand is pin's hash; cand is copied into pin (for the caller). */
static bool
config_pin_try(char *pin, size_t pinsz, const char *cand, const char *hash)
{
	size_t n = strlen(cand);

	if (n >= pinsz)
		return false;
	memcpy(pin, cand, n + 1);
	return config_pin_match(pin, hash);
}

/* Tries every trivially guessable PIN against hash (repeats and runs of 6
 * to 8 digits, the common list, old short PINs): the kind of the one that
 * matches, written into found, or NULL. */
static const char *
config_pin_trivial_hash(const char *hash, char *found, size_t foundsz)
{
	static const int steps[] = { 0, 1, -1 };
	char pin[CONFIG_OFFICER_PIN_MAX + 1];

	for (size_t n = 6; n <= 8; n++) {
		for (int d = 0; d < 10; d++) {
			for (size_t s = 0; s < 3; s++) {
				config_pin_run(pin, d, steps[s], n);
				if (config_pin_match(pin, hash))
					goto hit;
			}
		}
	}
	for (size_t i = 0; config_pin_common[i] != NULL; i++)
		if (config_pin_try(pin, sizeof(pin), config_pin_common[i], hash))
			goto hit;
	for (size_t i = 0; config_pin_old[i] != NULL; i++)
		if (config_pin_try(pin, sizeof(pin), config_pin_old[i], hash))
			goto hit;
	explicit_bzero(pin, sizeof(pin));
	return NULL;
hit:
	/* Say which kind, not which PIN: the log may be read by others. */
	(void)snprintf(found, foundsz, "%s",
	    strlen(pin) < CONFIG_OFFICER_PIN_MIN ? "a PIN shorter than 6 digits" :
						   "a trivially guessable PIN");
	explicit_bzero(pin, sizeof(pin));
	return found;
}

/* One person's pin_hash: 0 fine, -1 refused (err written). done[] holds
 * the hashes already found fine (the same hash is tried once). */
static int
config_pin_check_one(const struct config_officer *o, const char *role, const char **done,
    size_t *ndone, char *err, size_t errsz)
{
	char kind[64];

	if (o->number[0] == '\0')
		return 0;
	if (strncmp(o->pin_hash, CONFIG_PIN_PLACEHOLDER, strlen(CONFIG_PIN_PLACEHOLDER)) == 0) {
		(void)snprintf(err, errsz,
		    "%s '%s' (%s) has no PIN yet (the example's placeholder): run `kawanctl "
		    "pin-hash`, choose a PIN of 6 or more digits, and paste the line it prints "
		    "as pin_hash",
		    role, o->name, o->number);
		return -1;
	}
	for (size_t i = 0; i < *ndone; i++)
		if (strcmp(done[i], o->pin_hash) == 0)
			return 0;
	if (config_pin_trivial_hash(o->pin_hash, kind, sizeof(kind)) != NULL) {
		(void)snprintf(err, errsz,
		    "%s '%s' (%s): pin_hash is the hash of %s: anyone can guess it; run "
		    "`kawanctl pin-hash` and choose a PIN of 6 or more digits",
		    role, o->name, o->number, kind);
		return -1;
	}
	done[(*ndone)++] = o->pin_hash;
	return 0;
}

int
config_pins_check(const struct kawan_config *c, char *err, size_t errsz)
{
	const char *done[CONFIG_MAX_ROSTERS * (CONFIG_MAX_OFFICERS + 1) + 1];
	size_t ndone = 0;

	for (size_t i = 0; i < c->nrosters && i < CONFIG_MAX_ROSTERS; i++) {
		const struct config_roster *r = &c->rosters[i];

		for (size_t k = 0; k < r->nofficers && k < CONFIG_MAX_OFFICERS; k++)
			if (config_pin_check_one(&r->officers[k], "officer", done, &ndone, err,
				errsz) < 0)
				return -1;
		if (config_pin_check_one(&r->supervisor, "supervisor", done, &ndone, err, errsz) <
		    0)
			return -1;
	}
	return config_pin_check_one(&c->ngo_desk, "NGO desk", done, &ndone, err, errsz);
}

static bool
config_pin_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool
config_pin_span(const char *text, size_t *off, size_t *len)
{
	static const struct {
		const char *cmd;
		int word; /* the PIN is this word, 0 the command */
	} cmds[] = { { "ACK", 2 }, { "NOTE", 2 }, { "CLOSE", 2 }, { "LIST", 1 } };
	size_t start[3] = { 0 }, wlen[3] = { 0 }, i = 0;
	int n = 0, want = -1;

	if (text == NULL)
		return false;
	while (n < 3) {
		while (config_pin_space(text[i]))
			i++;
		if (text[i] == '\0')
			break;
		start[n] = i;
		while (text[i] != '\0' && !config_pin_space(text[i]))
			i++;
		wlen[n] = i - start[n];
		if (n == 0) {
			for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
				if (wlen[0] == strlen(cmds[k].cmd) &&
				    strncasecmp(text + start[0], cmds[k].cmd, wlen[0]) == 0)
					want = cmds[k].word;
			if (want < 0)
				return false;
		}
		if (n == want) {
			*off = start[n];
			*len = wlen[n];
			return true;
		}
		n++;
	}
	return false;
}
