/* inbound.c - SIM -> SQLite: validate, cap, commit, and only then delete
 * from the SIM (DESIGN.md invariant 1). A crash between commit and delete
 * re-reads the message next sweep; its dedupe key makes that a no-op. */
#include "inbound/inbound.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

int
inbound_clip_utf8(char *text, size_t max_bytes)
{
	size_t len = strlen(text);

	if (len <= max_bytes)
		return 0;
	/* Step back over continuation bytes so a sequence is never split. */
	while (max_bytes > 0 && ((unsigned char)text[max_bytes] & 0xc0) == 0x80)
		max_bytes--;
	text[max_bytes] = '\0';
	return 1;
}

/* Sender addresses we accept: '+' and digits, or a short alphanumeric
 * name (operator messages). Anything else is stored under "unknown". */
static int
inbound_sender_ok(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len >= STORE_ADDR_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(c == '+' && i == 0) && !(c >= '0' && c <= '9') &&
		    !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && c != ' ' &&
		    c != '-' && c != '.')
			return 0;
	}
	return 1;
}

static int
inbound_store_one(struct store *st, const struct kawan_config *cfg, struct modem_sms *msg,
    struct inbound_counts *counts)
{
	int64_t id;
	int rc;

	if (!inbound_sender_ok(msg->sender)) {
		log_warnx("inbound: unusable sender address, stored as 'unknown'");
		if (util_strcopy(msg->sender, sizeof(msg->sender), "unknown") < 0)
			return -1;
		counts->rejected++;
	}
	if (!util_utf8_valid(msg->text, strlen(msg->text))) {
		/* charset.c only emits valid UTF-8; this guards the invariant. */
		log_warnx("inbound: text from %s is not valid UTF-8; stored empty and flagged", msg->sender);
		msg->flags |= STORE_IN_INVALID;
		msg->text[0] = '\0';
	}
	if (inbound_clip_utf8(msg->text, (size_t)cfg->inbound.max_text_bytes)) {
		log_warnx("inbound: text from %s cut to %d bytes", msg->sender,
		    cfg->inbound.max_text_bytes);
		msg->flags |= STORE_IN_TRUNCATED;
	}
	rc = store_inbound_add(st, "sms", msg->sender, msg->text, msg->sent_at_ms,
	    util_now_ms(), msg->flags, msg->key, &id);
	if (rc < 0) {
		log_warnx("inbound: cannot store SMS from %s: %s (left on the SIM)",
		    msg->sender, store_errmsg(st));
		return -1;
	}
	if (rc == 1) {
		counts->duplicates++;
		log_info("inbound: SMS from %s already stored as #%lld", msg->sender, (long long)id);
	} else {
		counts->stored++;
		log_info("inbound: stored #%lld from %s (%zu part%s%s)", (long long)id,
		    msg->sender, msg->nparts, msg->nparts == 1 ? "" : "s",
		    (msg->flags & STORE_IN_PARTIAL) ? ", incomplete" : "");
	}
	return 0;
}

/* Stores all of msgs in one transaction. 0, or -1 (rolled back, counts
 * restored) when any of them could not be stored. */
static int
inbound_store_batch(struct store *st, const struct kawan_config *cfg, struct modem_sms *msgs,
    size_t n, struct inbound_counts *counts)
{
	struct inbound_counts saved = *counts;

	if (store_begin(st) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (inbound_store_one(st, cfg, &msgs[i], counts) < 0)
			goto fail;
	}
	if (store_commit(st) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	*counts = saved;
	return -1;
}

int
inbound_sweep(struct store *st, struct modem *m, const struct kawan_config *cfg,
    struct inbound_counts *counts)
{
	struct modem_sms *msgs = NULL;
	size_t n = 0;
	int rc = 0;

	bool *stored;

	memset(counts, 0, sizeof(*counts));
	if (m->ops->fetch(m, cfg->inbound.partial_timeout_ms, &msgs, &n) < 0)
		return -1;
	stored = calloc(n > 0 ? n : 1, sizeof(*stored));
	if (stored == NULL) {
		modem_sms_free_all(msgs, n);
		return 0;   /* nothing deleted: the next sweep tries again */
	}
	/* One commit for the whole sweep (a burst costs one fsync, not one
	 * each); should any row fail, each message is committed on its own. */
	if (n > 1 && inbound_store_batch(st, cfg, msgs, n, counts) == 0) {
		for (size_t i = 0; i < n; i++)
			stored[i] = true;
	} else {
		for (size_t i = 0; i < n; i++)
			stored[i] = inbound_store_one(st, cfg, &msgs[i], counts) == 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (!stored[i])
			continue;   /* not committed: it stays on the SIM for the next sweep */
		/* Committed (synchronous=FULL): only now may the SIM forget it. */
		if (m->ops->remove(m, &msgs[i]) == 0)
			continue;
		if (msgs[i].flags & STORE_IN_INVALID) {
			/* libgammu reads a slot before deleting it, and cannot read this
			 * one: it stays (recorded once), rather than stall the inbox. */
			log_warnx("inbound: an undecodable SMS stays in SIM slot %d; delete it by "
			    "hand (e.g. AT+CMGD=%d) to free the slot", msgs[i].location[0],
			    msgs[i].location[0]);
			continue;
		}
		rc = -1;
		break;
	}
	free(stored);
	modem_sms_free_all(msgs, n);
	return rc;
}
