/* fake_modem.h - an in-memory modem (the test side of modem.h's vtable)
 * for unit tests of the inbound, router and outbound stages. */
#ifndef KAWAN_FAKE_MODEM_H
#define KAWAN_FAKE_MODEM_H

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modem/modem.h"

#define FAKE_MAX 64

struct fake_modem {
	struct modem m;
	struct modem_part sim[FAKE_MAX]; /* what the "SIM" holds */
	bool present[FAKE_MAX];
	int fetch_fail;  /* fetch() returns -1 while > 0 */
	int send_refuse; /* send() refuses this many times */
	int send_down;   /* send() reports link down this many times */
	int sent;
	char last_dest[MODEM_ADDR_MAX];
	char last_text[1024];
	int removed;
	/* Staged sending: the "SIM outbox". */
	bool out_present[FAKE_MAX];
	bool out_sent[FAKE_MAX];
	char out_text[FAKE_MAX][256];
	int cmss;             /* AT+CMSS count: parts actually sent */
	int crash_after_cmss; /* send_staged reports link down after sending */
	bool no_storage;      /* stage() answers unsupported */
	bool storage_full;    /* stage() answers memory full */
	int direct_sent;      /* send() (AT+CMGS) successes */
	/* Called when the modem has accepted a message, before the caller
	 * hears of it (e.g. to lock the database at the worst moment). */
	void (*on_accept)(void *arg);
	void *on_accept_arg;
	int opens;     /* open() calls */
	int open_fail; /* open() fails this many times */
};

/* For a channel thread: open, poll (sleeps on the wake descriptor), close. */
static int
fake_open(struct modem *m)
{
	struct fake_modem *f = (struct fake_modem *)m;

	f->opens++;
	if (f->open_fail > 0) {
		f->open_fail--;
		return -1;
	}
	return 0;
}

static int
fake_poll(struct modem *m, int timeout_ms, int wake_fd, unsigned *events)
{
	struct pollfd pfd = { .fd = wake_fd, .events = POLLIN };

	(void)m;
	if (wake_fd >= 0 && poll(&pfd, 1, timeout_ms) > 0 && (pfd.revents & POLLIN))
		*events |= MODEM_EV_WAKE;
	return 0;
}

static void
fake_close(struct modem *m)
{
	(void)m;
}

static int
fake_fetch(struct modem *m, struct modem_part **out, size_t *n)
{
	struct fake_modem *f = (struct fake_modem *)m;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (f->fetch_fail > 0) {
		f->fetch_fail--;
		return -1;
	}
	*out = calloc(FAKE_MAX, sizeof(**out));
	if (*out == NULL)
		return -1; /* out of memory (the fault sweeps): as a failed read */
	for (size_t i = 0; i < FAKE_MAX; i++) {
		if (!f->present[i])
			continue;
		(*out)[k] = f->sim[i];
		(*out)[k].text = strdup(f->sim[i].text);
		if ((*out)[k].text == NULL) {
			modem_parts_free(*out, k);
			*out = NULL;
			return -1;
		}
		(*out)[k].slot.folder = 1;
		(*out)[k].slot.location = (int)i;
		k++;
	}
	*n = k;
	return 0;
}

/* Deletes inbox (folder 1) or outbox (folder 2) slots. */
static int
fake_delete(struct modem *m, const struct modem_slot *slots, size_t n)
{
	struct fake_modem *f = (struct fake_modem *)m;

	for (size_t i = 0; i < n; i++) {
		int loc = slots[i].location;

		if (slots[i].folder == 2) {
			f->out_present[loc] = false;
			continue;
		}
		free(f->sim[loc].text);
		f->sim[loc].text = NULL;
		f->present[loc] = false;
		f->removed++;
	}
	return 0;
}

/* As libgammu splits GSM-7 text: one part up to 160 bytes, else 153 a part. */
static int
fake_parts(struct modem *m, const char *dest, const char *text, int msg_class)
{
	size_t n = strlen(text);

	(void)m;
	(void)dest;
	(void)msg_class;
	return n <= 160 ? 1 : (int)((n + 152) / 153);
}

static enum modem_send_result
fake_send(struct modem *m, const char *dest, const char *text, int msg_class, int *ref)
{
	struct fake_modem *f = (struct fake_modem *)m;

	(void)msg_class;
	if (f->send_down > 0) {
		f->send_down--;
		return MODEM_SEND_LINK_DOWN;
	}
	if (f->send_refuse > 0) {
		f->send_refuse--;
		return MODEM_SEND_REFUSED;
	}
	f->sent++;
	f->direct_sent++;
	*ref = f->sent;
	if (f->on_accept != NULL)
		f->on_accept(f->on_accept_arg);
	snprintf(f->last_dest, sizeof(f->last_dest), "%s", dest);
	snprintf(f->last_text, sizeof(f->last_text), "%s", text);
	return MODEM_SEND_OK;
}

static enum modem_send_result
fake_stage(struct modem *m, const char *dest, const char *text, int msg_class,
    struct modem_slot *slots, size_t max, size_t *n)
{
	struct fake_modem *f = (struct fake_modem *)m;

	(void)dest;
	(void)msg_class;
	(void)max;
	*n = 0;
	if (f->no_storage)
		return MODEM_SEND_UNSUPPORTED;
	if (f->storage_full)
		return MODEM_SEND_FULL;
	if (f->send_down > 0) {
		f->send_down--;
		return MODEM_SEND_LINK_DOWN;
	}
	for (int i = 1; i < FAKE_MAX; i++) {
		if (f->out_present[i])
			continue;
		f->out_present[i] = true;
		f->out_sent[i] = false;
		snprintf(f->out_text[i], sizeof(f->out_text[i]), "%s", text);
		slots[0].folder = 2;
		slots[0].location = i;
		*n = 1;
		return MODEM_SEND_OK;
	}
	return MODEM_SEND_REFUSED;
}

static enum modem_send_result
fake_send_staged(struct modem *m, const struct modem_slot *slots, size_t n, int *ref)
{
	struct fake_modem *f = (struct fake_modem *)m;

	for (size_t i = 0; i < n; i++) {
		int loc = slots[i].location;

		if (!f->out_present[loc])
			return MODEM_SEND_GONE;
		if (f->out_sent[loc])
			continue;
		if (f->send_refuse > 0) {
			f->send_refuse--;
			return MODEM_SEND_REFUSED;
		}
		f->out_sent[loc] = true;
		f->cmss++;
		*ref = f->cmss;
		if (f->on_accept != NULL)
			f->on_accept(f->on_accept_arg);
		if (f->crash_after_cmss > 0) {
			f->crash_after_cmss--;
			return MODEM_SEND_LINK_DOWN; /* the OK never reached us */
		}
	}
	return MODEM_SEND_OK;
}

static int
fake_list_staged(struct modem *m, struct modem_slot **slots, size_t *n)
{
	struct fake_modem *f = (struct fake_modem *)m;

	*slots = calloc(FAKE_MAX, sizeof(**slots));
	*n = 0;
	for (int i = 0; i < FAKE_MAX; i++) {
		if (!f->out_present[i])
			continue;
		(*slots)[*n].folder = 2;
		(*slots)[*n].location = i;
		(*n)++;
	}
	return 0;
}

static void fake_destroy(struct modem *m);

static const struct modem_ops fake_ops = {
	.open = fake_open,
	.poll = fake_poll,
	.close = fake_close,
	.destroy = fake_destroy,
	.fetch = fake_fetch,
	.delete = fake_delete,
	.send = fake_send,
	.parts = fake_parts,
	.stage = fake_stage,
	.send_staged = fake_send_staged,
	.list_staged = fake_list_staged,
};

static inline void
fake_init(struct fake_modem *f)
{
	memset(f, 0, sizeof(*f));
	f->m.ops = &fake_ops;
	snprintf(f->m.cfg.name, sizeof(f->m.cfg.name), "fake");
}

/* Puts one part of a concatenated SMS (ref -1: a single SMS) in slot. */
static inline void
fake_put_part(struct fake_modem *f, int slot, const char *sender, const char *text, int ref,
    int total, int seq)
{
	f->present[slot] = true;
	memset(&f->sim[slot], 0, sizeof(f->sim[slot]));
	snprintf(f->sim[slot].sender, sizeof(f->sim[slot].sender), "%s", sender);
	f->sim[slot].text = strdup(text);
	f->sim[slot].ref = ref;
	f->sim[slot].total = total;
	f->sim[slot].seq = seq;
	f->sim[slot].sent_at_ms = 1700000000000;
}

/* Puts a single SMS in slot. Its dedupe key comes from what is read (sender,
 * time, slot, text), as on a real SIM; key only names the case in tests. */
static inline void
fake_put(struct fake_modem *f, int slot, const char *sender, const char *text, const char *key)
{
	(void)key;
	fake_put_part(f, slot, sender, text, -1, 1, 1);
}

static inline void
fake_free(struct fake_modem *f)
{
	for (size_t i = 0; i < FAKE_MAX; i++)
		free(f->sim[i].text);
}

/* A test that hands fakes to a channel (which destroys its modem) sets
 * this to see each fake's counters as it is destroyed. */
static void (*fake_on_destroy)(const struct fake_modem *f);

/* destroy(): for fakes made with calloc by a test's modem factory. */
static void
fake_destroy(struct modem *m)
{
	struct fake_modem *f = (struct fake_modem *)m;

	if (fake_on_destroy != NULL)
		fake_on_destroy(f);
	fake_free(f);
	free(f);
}

#endif
