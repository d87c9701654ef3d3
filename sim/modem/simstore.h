/* simstore.h - the SIM's SMS slots (indices 1..capacity) and the network
 * queue of messages that wait for a free slot, like an SMSC retrying. */
#ifndef SIM_SIMSTORE_H
#define SIM_SIMSTORE_H

#include <stddef.h>

#define SIMSTORE_MAX 1000
#define SIMSTORE_UNREAD 0
#define SIMSTORE_READ 1
#define SIMSTORE_UNSENT 2 /* written by the gateway with AT+CMGW */
#define SIMSTORE_SENT 3   /* sent from storage with AT+CMSS */

struct simstore_msg {
	int used;
	int status;    /* SIMSTORE_UNREAD .. SIMSTORE_SENT (the +CMGL stat) */
	char *pdu_hex; /* owned */
	int tpdu_len;  /* what +CMGL/+CMGR report */
};

struct simstore_wait {
	char *pdu_hex; /* owned */
	int tpdu_len;
	struct simstore_wait *next;
};

struct simstore {
	int capacity;
	struct simstore_msg slots[SIMSTORE_MAX + 1]; /* slot 0 unused */
	struct simstore_wait *head, *tail;
	int nwaiting;
};

void simstore_init(struct simstore *s, int capacity);
void simstore_free(struct simstore *s);
/* Copies hex and queues it on the network side. Returns 0 or -1 (no memory). */
int simstore_queue(struct simstore *s, const char *hex, int tpdu_len)
    __attribute__((warn_unused_result));
/* Moves the oldest waiting message into the lowest free slot.
 * Returns its index, or 0 when nothing waits or no slot is free. */
int simstore_deliver_one(struct simstore *s);
/* Stores a copy of hex in the lowest free slot with status. Returns the
 * index, 0 when the SIM is full, -1 without memory. */
int simstore_write(struct simstore *s, const char *hex, int tpdu_len, int status);
/* Returns the message at index, or NULL when out of range or empty. */
struct simstore_msg *simstore_get(struct simstore *s, int index);
/* Frees one slot. Returns 0, or -1 when index is outside 1..capacity. */
int simstore_delete(struct simstore *s, int index);
int simstore_used(const struct simstore *s);
/* Clamped to 1..SIMSTORE_MAX; messages above a shrunk capacity stay readable. */
void simstore_set_capacity(struct simstore *s, int capacity);

#endif
