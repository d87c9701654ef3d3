/* hverify.h - end-of-scenario checks shared by tests and benchmarks: every
 * injected SMS stored exactly once, byte for byte; every sender answered
 * exactly once. Each check prints every problem it finds (with times, so a
 * duplicate can be placed against a kill) and returns how many it found. */
#ifndef KAWAN_HVERIFY_H
#define KAWAN_HVERIFY_H

#include <stddef.h>

#include "harness.h"

/* One SMS a test injected: sender and UTF-8 text (both borrowed). */
struct hverify_msg {
	const char *from;
	const char *text;
};

/* The inbound table holds exactly n rows, one per msgs[i] with the same
 * sender and text, all state 'done' (when want_done). */
int hverify_inbound(struct harness *h, const struct hverify_msg *msgs, size_t n, int want_done);
/* SENT holds exactly n messages, one to each msgs[i].from; each with text
 * reply and coding (either may be NULL: not checked). */
int hverify_replies(struct harness *h, const struct hverify_msg *msgs, size_t n, const char *reply,
    const char *coding);
/* The same on modem k's SENT: exactly these n senders were answered through
 * modem k, once each. */
int hverify_replies_on(struct harness *h, int k, const struct hverify_msg *msgs, size_t n,
    const char *reply, const char *coding);
/* The outbound table holds exactly n rows, all 'sent'. */
int hverify_outbound(struct harness *h, size_t n);

#endif
