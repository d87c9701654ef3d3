/* inbound_redact.c - an officer's command never reaches the database with
 * its PIN (issue 11): when the sender is a roster number (an officer, a
 * supervisor, the NGO desk) and the text is ACK, NOTE, CLOSE or LIST, the
 * PIN is checked against that person's hash here, in the modem thread,
 * and replaced by "****" before the row is committed (and so before the
 * SIM copy is deleted: invariant 1 keeps its order). The verdict travels
 * in the row's flags (STORE_IN_REDACTED, STORE_IN_PIN_OK); the core
 * thread counts it against the lockout (reports_officer.c). The dedupe
 * key is made from the masked text, so it holds no hash of the PIN. */
#include "inbound/inbound.h"

#include <stdlib.h>
#include <string.h>

#define INBOUND_PIN_MASK "****"

/* The pin_hash of the person with number sender, or NULL. */
static const char *
inbound_redact_hash(const struct kawan_config *cfg, const char *sender)
{
	if (sender == NULL || sender[0] == '\0')
		return NULL;
	for (size_t i = 0; i < cfg->nrosters && i < CONFIG_MAX_ROSTERS; i++) {
		const struct config_roster *ro = &cfg->rosters[i];

		for (size_t k = 0; k < ro->nofficers && k < CONFIG_MAX_OFFICERS; k++)
			if (strcmp(ro->officers[k].number, sender) == 0)
				return ro->officers[k].pin_hash;
		if (strcmp(ro->supervisor.number, sender) == 0)
			return ro->supervisor.pin_hash;
	}
	if (strcmp(cfg->ngo_desk.number, sender) == 0)
		return cfg->ngo_desk.pin_hash;
	return NULL;
}

int
inbound_redact(const struct kawan_config *cfg, const char *sender, char **text, int *flags)
{
	const char *hash = inbound_redact_hash(cfg, sender);
	size_t off, len, tail, mask = strlen(INBOUND_PIN_MASK);
	char *out, *pin;
	bool right;

	if (hash == NULL || *text == NULL || (*flags & STORE_IN_REDACTED) ||
	    !config_pin_span(*text, &off, &len))
		return 0;
	pin = malloc(len + 1);
	tail = strlen(*text + off + len);
	out = malloc(off + mask + tail + 1);
	if (pin == NULL || out == NULL) {
		free(pin);
		free(out);
		return -1;
	}
	memcpy(pin, *text + off, len);
	pin[len] = '\0';
	right = config_pin_match(pin, hash);
	explicit_bzero(pin, len);
	free(pin);
	memcpy(out, *text, off);
	memcpy(out + off, INBOUND_PIN_MASK, mask);
	memcpy(out + off + mask, *text + off + len, tail + 1);
	explicit_bzero(*text, strlen(*text));
	free(*text);
	*text = out;
	*flags |= STORE_IN_REDACTED | (right ? STORE_IN_PIN_OK : 0);
	return 1;
}
