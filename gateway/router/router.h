/* router.h - decides what each stored inbound message gets, and commits
 * that answer to the outbound queue together with marking it routed. */
#ifndef KAWAN_ROUTER_H
#define KAWAN_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "store/store.h"

struct router_decision {
	bool reply;                    /* false: nothing to send back */
	const char *text;              /* borrowed from the configuration */
	int msg_class;                 /* -1 normal, 0 flash */
	const char *why;               /* for the log when reply is false */
};

/* Pure: what in gets, given cfg. Borrows both; out borrows from cfg. */
void router_decide(const struct kawan_config *cfg, const struct store_inbound *in,
    struct router_decision *out);

/* Routes every stored, unrouted message: in one transaction each, the
 * reply is queued and the message marked done, so a crash either does
 * both or neither. Returns how many were routed, or -1 on a store error. */
int router_dispatch(struct store *st, const struct kawan_config *cfg) __attribute__((warn_unused_result));

/* True when addr is a number an SMS can be sent to. */
bool router_addr_dialable(const char *addr);

#endif
