/* inbound.c - SIM -> SQLite: validate, cap, commit, and only then delete
 * from the SIM (DESIGN.md invariant 1). A crash between commit and delete
 * re-reads the message next sweep; its dedupe key makes that a no-op. */
#include "inbound/inbound.h"

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

int
inbound_sweep(struct store *st, struct modem *m, const struct kawan_config *cfg,
    struct inbound_counts *counts)
{
	struct modem_sms *msgs = NULL;
	size_t n = 0;
	int rc = 0;

	memset(counts, 0, sizeof(*counts));
	if (m->ops->fetch(m, cfg->inbound.partial_timeout_ms, &msgs, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (inbound_store_one(st, cfg, &msgs[i], counts) < 0)
			continue;   /* not committed: it stays on the SIM for the next sweep */
		/* Committed (synchronous=FULL): only now may the SIM forget it. */
		if (m->ops->remove(m, &msgs[i]) < 0) {
			rc = -1;
			break;
		}
	}
	modem_sms_free_all(msgs, n);
	return rc;
}
