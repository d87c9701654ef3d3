/* hctl.h - client of kawan-modemsim's control socket (sim/README.md):
 * one command line out, reply lines back until a final "OK..." or
 * "ERR ..." line; and parsers for the SENT, STATS and EVENTS replies. */
#ifndef KAWAN_HCTL_H
#define KAWAN_HCTL_H

#include <stddef.h>
#include <stdint.h>

#include "hbuf.h"

/* One message the gateway sent, as SENT lists it:
 * "MSG <id> <dest> <coding> <class> <nparts> <hex-utf8|-> <t_first_ms> <t_last_ms>" */
struct hctl_sent {
	unsigned id;
	char dest[48];
	char coding[16];   /* "gsm7", "ucs2", "8bit" */
	char msg_class[8]; /* "none", "0", "1" */
	int nparts;
	char *text; /* UTF-8, owned */
	int64_t t_first_ms, t_last_ms;
};

/* One modem event: "EV <seq> <ms.uuu> <KIND> <detail>". */
struct hctl_event {
	uint64_t seq;
	double t_ms; /* wall clock, ms since the epoch */
	char kind[16];
	char detail[64];
};

/* Sends cmd (one line, no newline) to the socket at path on a connection
 * of its own (sim/modem/ctl_client.h) and appends the whole reply to
 * *reply (the caller's). Returns 0 when the final line is "OK...", 1 when
 * "ERR ...", -1 on a socket error or after timeout_ms (> 0). */
int hctl_cmd(const char *path, const char *cmd, int timeout_ms, struct hbuf *reply)
    __attribute__((warn_unused_result));

/* Parses a SENT reply into a new array (*out, freed with hctl_sent_free). */
int hctl_parse_sent(const char *reply, struct hctl_sent **out, size_t *n)
    __attribute__((warn_unused_result));
void hctl_sent_free(struct hctl_sent *msgs, size_t n);
/* Parses an EVENTS reply into a new array (*out, freed with free()). */
int hctl_parse_events(const char *reply, struct hctl_event **out, size_t *n)
    __attribute__((warn_unused_result));
/* Finds a number named key in a STATS reply ("key=N", "key: N" or "key N"). */
int hctl_parse_stat(const char *reply, const char *key, long *out)
    __attribute__((warn_unused_result));

#endif
