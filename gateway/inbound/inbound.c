/* inbound.c - SIM -> SQLite: validate, cap, commit, and only then delete
 * from the SIM (DESIGN.md invariant 1). A crash between commit and delete
 * re-reads the part next sweep; its dedupe key makes that a no-op.
 *
 * A part of a concatenated SMS is committed as a fragment at once, so an
 * incomplete message never holds a slot of the SIM's storage (65 cheap
 * "part 1 of 2" used to fill it and block every worker's SMS and every
 * staged reply):
 *
 *   part read --store_fragment_add()--> waiting --last part--> joined: one inbound row
 *   waiting --partial_timeout, inbound_expire()--> joined: inbound row flagged partial
 */
#include "inbound/inbound.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mask.h"
#include "core/util.h"
#include "inbound/concat.h"
#include "session/engine.h"

_Static_assert(MODEM_PART_TRUNCATED == STORE_IN_TRUNCATED && MODEM_PART_BINARY == STORE_IN_BINARY &&
		   MODEM_PART_INVALID == STORE_IN_INVALID,
    "a part's flags are stored as they are");
_Static_assert(MODEM_ADDR_MAX == STORE_ADDR_MAX, "a sender fits the store");
_Static_assert(CONFIG_NAME_MAX <= STORE_MODEM_MAX, "a modem name fits the store");
_Static_assert(CONCAT_KEY_MAX <= STORE_KEY_MAX, "a key fits the store");

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

		if (!(c == '+' && i == 0) && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= 'a' && c <= 'z') && c != ' ' && c != '-' && c != '.')
			return 0;
	}
	return 1;
}

static void
inbound_check_sender(char *sender, size_t sz, struct inbound_counts *counts)
{
	if (inbound_sender_ok(sender))
		return;
	log_warnx("inbound: unusable sender address, stored as 'unknown'");
	if (util_strcopy(sender, sz, "unknown") < 0)
		sender[0] = '\0';
	counts->rejected++;
}

/* One whole (or given-up) message into the inbound queue; text is the
 * caller's and may be repaired or cut in place. *id_out gets its row. */
static int
inbound_add_message(struct store *st, const struct kawan_config *cfg, const char *modem,
    const char *sender, char *text, int64_t sent_at_ms, int flags, const char *key, size_t nparts,
    struct inbound_counts *counts, int64_t *id_out)
{
	int rc;

	if (!util_utf8_valid(text, strlen(text))) {
		/* charset.c only emits valid UTF-8; this guards the invariant. */
		log_warnx("inbound: text from %s is not valid UTF-8; stored empty and flagged",
		    MASK_NUMBER(sender));
		flags |= STORE_IN_INVALID;
		text[0] = '\0';
	}
	if (inbound_clip_utf8(text, (size_t)cfg->inbound.max_text_bytes)) {
		log_warnx("inbound: text from %s cut to %d bytes", MASK_NUMBER(sender),
		    cfg->inbound.max_text_bytes);
		flags |= STORE_IN_TRUNCATED;
	}
	rc = store_inbound_add_via(st, engine_channel_name(ENGINE_SMS), modem, sender, text,
	    sent_at_ms, util_now_ms(), flags, key, id_out);
	if (rc < 0) {
		log_warnx("inbound: cannot store SMS from %s: %s (left on the SIM)",
		    MASK_NUMBER(sender), store_errmsg(st));
		return -1;
	}
	if (rc == 1) {
		counts->duplicates++;
		log_info("inbound: SMS from %s already stored as #%lld", MASK_NUMBER(sender),
		    (long long)*id_out);
	} else {
		counts->stored++;
		log_info("inbound: stored #%lld from %s via %s (%zu part%s%s)", (long long)*id_out,
		    MASK_NUMBER(sender), modem, nparts, nparts == 1 ? "" : "s",
		    (flags & STORE_IN_PARTIAL) ? ", incomplete" : "");
	}
	return 0;
}

/* Joins the waiting fragments of probe's message into one inbound row when
 * every part is there, or (force) with what is there, flagged partial.
 * Returns 1 joined, 0 still waiting, -1 store error. */
static int
inbound_join(struct store *st, const struct kawan_config *cfg, const struct store_fragment *probe,
    bool force, struct inbound_counts *counts)
{
	struct concat_piece pieces[MODEM_MAX_PARTS];
	struct store_fragment *g = NULL, *used[MODEM_MAX_PARTS];
	size_t n = 0, np = 0;
	char key[CONCAT_KEY_MAX], *text = NULL;
	int flags = 0, missing = 0, rc = -1;
	int64_t id = 0;

	if (store_fragment_group(st, probe, &g, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && np < MODEM_MAX_PARTS; i++) {
		if (np > 0 && used[np - 1]->seq == g[i].seq)
			continue; /* a second copy of one part: it waits (and expires) on its own */
		used[np] = &g[i];
		pieces[np].seq = g[i].seq;
		pieces[np].text = g[i].text;
		flags |= g[i].flags;
		np++;
	}
	rc = 0;
	if (np == 0 || ((int)np < probe->total && !force))
		goto done;
	rc = -1;
	text = concat_join(pieces, np, probe->total, &missing);
	if (text == NULL)
		goto done;
	/* Part 1 was masked when it was stored; this catches the rest. */
	if (inbound_redact(cfg, used[0]->sender, &text, &flags) < 0)
		goto done;
	if (missing > 0)
		flags |= STORE_IN_PARTIAL;
	if (concat_key(key, sizeof(key), used[0]->sender, used[0]->sent_at_ms, probe->ref,
		probe->total, 0, used[0]->location, text) < 0 ||
	    inbound_add_message(st, cfg, probe->modem, used[0]->sender, text, used[0]->sent_at_ms,
		flags, key, np, counts, &id) < 0)
		goto done;
	for (size_t i = 0; i < np; i++)
		if (store_fragment_joined(st, used[i]->id, id) < 0)
			goto done;
	rc = 1;
done:
	free(text);
	store_fragments_free(g, n);
	return rc;
}

/* Stores one part read from modem m, inside the caller's transaction. */
static int
inbound_store_part(struct store *st, const struct modem *m, const struct kawan_config *cfg,
    struct modem_part *p, struct inbound_counts *counts)
{
	struct store_fragment f;
	char key[CONCAT_KEY_MAX];
	int64_t id = 0;
	int rc;

	inbound_check_sender(p->sender, sizeof(p->sender), counts);
	if (!concat_is_fragment(p)) {
		int flags = p->flags;

		if (p->ref >= 0 && p->total > MODEM_MAX_PARTS)
			flags |= STORE_IN_PARTIAL; /* too many parts to join: each stands alone */
		/* An officer's PIN is masked before the key and the row are made. */
		if (inbound_redact(cfg, p->sender, &p->text, &flags) < 0)
			return -1;
		if (concat_key(key, sizeof(key), p->sender, p->sent_at_ms, p->ref, p->total, 0,
			p->slot.location, p->text) < 0)
			return -1;
		return inbound_add_message(st, cfg, m->cfg.name, p->sender, p->text, p->sent_at_ms,
		    flags, key, 1, counts, &id);
	}
	memset(&f, 0, sizeof(f));
	f.flags = p->flags;
	/* The first part carries an officer command's PIN: masked before it is kept. */
	if (p->seq == 1 && inbound_redact(cfg, p->sender, &p->text, &f.flags) < 0)
		return -1;
	if (util_strcopy(f.modem, sizeof(f.modem), m->cfg.name) < 0 ||
	    util_strcopy(f.sender, sizeof(f.sender), p->sender) < 0 ||
	    concat_key(key, sizeof(key), p->sender, p->sent_at_ms, p->ref, p->total, p->seq,
		p->slot.location, p->text) < 0)
		return -1;
	f.ref = p->ref;
	f.total = p->total;
	f.seq = p->seq;
	f.text = p->text;
	f.sent_at_ms = p->sent_at_ms;
	f.location = p->slot.location;
	f.received_at_ms = util_now_ms();
	rc = store_fragment_add(st, &f, key);
	if (rc < 0) {
		log_warnx("inbound: cannot store a part from %s: %s (left on the SIM)",
		    MASK_NUMBER(p->sender), store_errmsg(st));
		return -1;
	}
	if (rc == 1) {
		counts->duplicates++;
		return 0;
	}
	counts->fragments++;
	log_info("inbound: part %d of %d from %s kept until the rest comes", p->seq, p->total,
	    MASK_NUMBER(p->sender));
	return inbound_join(st, cfg, &f, false, counts) < 0 ? -1 : 0;
}

/* One part in its own transaction. */
static int
inbound_store_alone(struct store *st, const struct modem *m, const struct kawan_config *cfg,
    struct modem_part *p, struct inbound_counts *counts)
{
	if (store_begin(st) < 0)
		return -1;
	if (inbound_store_part(st, m, cfg, p, counts) < 0 || store_commit(st) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* Stores all of parts in one transaction. 0, or -1 (rolled back, counts
 * restored) when any of them could not be stored. */
static int
inbound_store_batch(struct store *st, const struct modem *m, const struct kawan_config *cfg,
    struct modem_part *parts, size_t n, struct inbound_counts *counts)
{
	struct inbound_counts saved = *counts;

	if (store_begin(st) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (inbound_store_part(st, m, cfg, &parts[i], counts) < 0)
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
	struct modem_part *parts = NULL;
	size_t n = 0;
	int rc = 0;
	bool *stored;

	memset(counts, 0, sizeof(*counts));
	store_fault_clear(st);
	if (m->ops->fetch(m, &parts, &n) < 0)
		return -1;
	if (n == 0) {
		modem_parts_free(parts, 0); /* an implementation may hand back an empty array */
		return 0;
	}
	stored = calloc(n, sizeof(*stored));
	if (stored == NULL) {
		modem_parts_free(parts, n);
		counts->unstored = n;
		counts->fault = STORE_FAULT_OTHER;
		return 0; /* nothing deleted: the next sweep tries again */
	}
	/* One commit for the whole sweep (a burst costs one fsync, not one
	 * each); should any part fail, each is committed on its own. */
	if (n > 1 && inbound_store_batch(st, m, cfg, parts, n, counts) == 0) {
		for (size_t i = 0; i < n; i++)
			stored[i] = true;
	} else {
		for (size_t i = 0; i < n; i++) {
			stored[i] = inbound_store_alone(st, m, cfg, &parts[i], counts) == 0;
			if (!stored[i])
				counts->unstored++;
		}
		if (counts->unstored > 0) {
			counts->fault = store_last_fault(st);
			if (counts->fault == STORE_FAULT_NONE)
				counts->fault = STORE_FAULT_OTHER; /* not the store's: memory */
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!stored[i])
			continue; /* not committed: it stays on the SIM for the next sweep */
		/* Committed (synchronous=FULL): only now may the SIM forget it. */
		if (m->ops->delete (m, &parts[i].slot, 1) == 0)
			continue;
		if (parts[i].flags & MODEM_PART_INVALID) {
			/* libgammu reads a slot before deleting it, and cannot read this
			 * one: it stays (recorded once), rather than stall the inbox. */
			log_warnx("inbound: an undecodable SMS stays in SIM slot %d; delete it by "
				  "hand (e.g. AT+CMGD=%d) to free the slot",
			    parts[i].slot.location, parts[i].slot.location);
			continue;
		}
		rc = -1;
		break;
	}
	free(stored);
	modem_parts_free(parts, n);
	return rc;
}

int
inbound_expire(struct store *st, const struct kawan_config *cfg, int64_t now_ms)
{
	int64_t cutoff = now_ms - cfg->inbound.partial_timeout_ms;
	struct inbound_counts counts;
	int done = 0;

	memset(&counts, 0, sizeof(counts));
	/* Bounded, so a flood of fragments cannot hold the core thread. */
	for (int i = 0; i < 256; i++) {
		struct store_fragment f;
		int rc = store_fragment_oldest(st, cutoff, &f);

		if (rc == 1)
			break;
		if (rc < 0)
			return -1;
		if (store_begin(st) < 0) {
			store_fragment_clear(&f);
			return -1;
		}
		rc = inbound_join(st, cfg, &f, true, &counts);
		store_fragment_clear(&f);
		if (rc < 0 || store_commit(st) < 0) {
			store_rollback(st);
			return -1;
		}
		done++;
	}
	return done;
}
