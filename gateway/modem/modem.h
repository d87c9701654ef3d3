/* modem.h - the small interface every modem implementation offers (STYLE.md
 * habit 12): open, poll, fetch, remove, send, close. Only modem_gammu.c
 * includes <gammu.h>; tests may supply their own ops. */
#ifndef KAWAN_MODEM_H
#define KAWAN_MODEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "store/store.h"

#define MODEM_MAX_PARTS 16      /* longer concatenated SMS are stored partial */

/* Events reported by poll(). */
#define MODEM_EV_SMS   0x1      /* new SMS indicated (+CMTI): fetch soon */
#define MODEM_EV_CALL  0x2      /* an incoming call was seen and hung up */

/* Results of send(): the modem accepted it, refused it (worth a retry
 * later), or the link is gone (reopen, then retry). */
enum modem_send_result {
	MODEM_SEND_OK = 0,
	MODEM_SEND_REFUSED = -1,
	MODEM_SEND_LINK_DOWN = -2,
	MODEM_SEND_GONE = -3,       /* a staged part is no longer in the modem's storage */
	MODEM_SEND_UNSUPPORTED = -4,/* the modem cannot store outgoing messages */
};

/* One inbound message as read from the SIM: its parts joined. */
struct modem_sms {
	char sender[STORE_ADDR_MAX];
	char *text;                 /* UTF-8, owned; freed by modem_sms_free_all() */
	int64_t sent_at_ms;         /* SMSC timestamp, 0 when unknown */
	int flags;                  /* STORE_IN_* */
	char key[STORE_KEY_MAX];    /* stable across re-reads of the same stored SMS */
	size_t nparts;
	int folder[MODEM_MAX_PARTS];
	int location[MODEM_MAX_PARTS];
};

struct modem;

struct modem_ops {
	/* Connects and initialises (PIN, SMS indications). 0 or -1. */
	int (*open)(struct modem *m);
	/* Waits at most timeout_ms for the modem to speak; ORs MODEM_EV_* into
	 * *events. Returns 0, or -1 when the link is lost. */
	int (*poll)(struct modem *m, int timeout_ms, unsigned *events);
	/* Reads every message ready to store: complete ones, and incomplete
	 * ones older than partial_timeout_ms. *out is an array the caller frees
	 * with modem_sms_free_all(). Returns 0 or -1 (link lost). */
	int (*fetch)(struct modem *m, int64_t partial_timeout_ms, struct modem_sms **out, size_t *n);
	/* Deletes every part of msg from the SIM. 0 or -1. */
	int (*remove)(struct modem *m, const struct modem_sms *msg);
	/* Sends text (UTF-8) to dest; msg_class -1 normal, 0 flash. Blocks
	 * until the modem answers. *msg_ref gets the last part's reference. */
	enum modem_send_result (*send)(struct modem *m, const char *dest, const char *text,
	    int msg_class, int *msg_ref);
	/* Staged sending (config send_mode = storage). stage() writes text's
	 * parts to the modem's storage (AT+CMGW) and fills slots (room for max)
	 * with where they are; 0 on success, else a modem_send_result. */
	int (*stage)(struct modem *m, const char *dest, const char *text, int msg_class,
	    struct store_slot *slots, size_t max, size_t *n);
	/* Sends each staged part the modem does not already mark as sent
	 * (AT+CMSS). Parts marked sent are skipped, which is what makes a
	 * retry after a crash send nothing twice. */
	enum modem_send_result (*send_staged)(struct modem *m, const struct store_slot *slots,
	    size_t n, int *msg_ref);
	/* Deletes staged parts from the modem's storage. 0 or -1. */
	int (*unstage)(struct modem *m, const struct store_slot *slots, size_t n);
	/* Lists every stored outgoing message (staged by us, maybe orphaned by
	 * a crash). *slots is malloc'd; the caller frees it. 0 or -1. */
	int (*list_staged)(struct modem *m, struct store_slot **slots, size_t *n);
	void (*close)(struct modem *m);
	void (*destroy)(struct modem *m);
};

struct modem {
	const struct modem_ops *ops;
	struct config_modem cfg;    /* a copy; the modem owns it */
	void *impl;                 /* the implementation's state */
	char last_call[STORE_ADDR_MAX]; /* number of the last call hung up */
	bool cannot_stage;          /* storage sending refused as unsupported: send directly */
};

/* Creates a libgammu modem for cfg (copied). NULL on allocation failure. */
struct modem *modem_gammu_new(const struct config_modem *cfg);

/* Frees an array from fetch(). */
void modem_sms_free_all(struct modem_sms *msgs, size_t n);

#endif
