/* modem.h - the small interface every modem implementation offers (STYLE.md
 * habit 12): open, poll, fetch, delete, send, stage, close. The hardware
 * layer: it knows the configuration and core/, nothing of the store or the
 * message path above it. Only modem_gammu*.c include <gammu.h>; tests may
 * supply their own ops.
 *
 * One struct modem belongs to one thread (its channel's): nothing here is
 * safe to share. */
#ifndef KAWAN_MODEM_H
#define KAWAN_MODEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

#define MODEM_ADDR_MAX 40  /* an MSISDN with '+', or an alphanumeric sender */
#define MODEM_MAX_PARTS 16 /* longer concatenated SMS are stored part by part */
#define MODEM_MAX_OUT 10   /* the longest message we send, in parts */

/* Events reported by poll(). */
#define MODEM_EV_SMS 0x1    /* new SMS indicated (+CMTI): fetch soon */
#define MODEM_EV_CALL 0x2   /* an incoming call was seen and hung up */
#define MODEM_EV_WAKE 0x4   /* the wake descriptor was readable (not drained) */
#define MODEM_EV_REPORT 0x8 /* status reports arrived: in modem.reports */

#define MODEM_MAX_REPORTS 32 /* status reports held between two polls; more are dropped (logged) */

/* A status report (SMS-STATUS-REPORT, +CDS) as the network sent it. */
struct modem_report {
	char dest[MODEM_ADDR_MAX]; /* the recipient of the message it is about */
	int msg_ref;               /* that message's reference (TP-MR) */
	int status; /* TP-Status: 0x00-0x1F delivered, 0x20-0x3F trying, else failed */
};

/* How one part was read (a bit set). */
#define MODEM_PART_TRUNCATED 0x1 /* text did not fit and was cut */
#define MODEM_PART_BINARY 0x4    /* 8-bit payload; text holds a hex dump */
#define MODEM_PART_INVALID 0x8   /* undecodable; text is empty */

/* Results of send(): the modem accepted it, refused it (worth a retry
 * later), or the link is gone (reopen, then retry). */
enum modem_send_result {
	MODEM_SEND_OK = 0,
	MODEM_SEND_REFUSED = -1,
	MODEM_SEND_LINK_DOWN = -2,
	MODEM_SEND_GONE = -3,        /* a staged part is no longer in the modem's storage */
	MODEM_SEND_UNSUPPORTED = -4, /* the modem cannot store outgoing messages */
	MODEM_SEND_FULL = -5,        /* the modem's storage is full: nothing could be staged */
};

/* Where one SMS part sits in the modem's storage (libgammu folder and location). */
struct modem_slot {
	int folder;
	int location;
};

/* One SMS-DELIVER part as read from the storage, not joined: joining
 * concatenated parts is inbound/concat.c's, above this layer. */
struct modem_part {
	char sender[MODEM_ADDR_MAX];
	char *text;         /* UTF-8 of this part alone, owned; modem_parts_free() */
	int64_t sent_at_ms; /* SMSC timestamp, 0 when unknown */
	int flags;          /* MODEM_PART_* */
	int ref;            /* concatenation reference, -1 for a single SMS */
	int total, seq;     /* parts in the message, this part's number (1 ..) */
	struct modem_slot slot;
};

/* What a modem tells of its radio (issue 10 health): read by health(). */
struct modem_health {
	int signal_dbm;         /* -1 unknown */
	int signal_pct;         /* 0..100, -1 unknown */
	char reg[16];           /* home, roaming, searching, denied, none, unknown */
	char operator_name[64]; /* UTF-8, "" unknown */
	char network_code[12];  /* "502 12", "" unknown */
};

#define MODEM_USSD_MAX 512 /* a USSD answer in UTF-8, with room */

struct modem;

struct modem_ops {
	/* Connects and initialises (PIN, SMS indications). 0 or -1. */
	int (*open)(struct modem *m);
	/* Waits at most timeout_ms for the modem to speak or wake_fd (-1 for
	 * none) to become readable; ORs MODEM_EV_* into *events. Returns 0, or
	 * -1 when the link is lost. */
	int (*poll)(struct modem *m, int timeout_ms, int wake_fd, unsigned *events);
	/* Reads every SMS-DELIVER part in the storage. *out is an array the
	 * caller frees with modem_parts_free(). 0, or -1 (link lost). */
	int (*fetch)(struct modem *m, struct modem_part **out, size_t *n);
	/* Deletes the parts at slots, best effort: a slot already empty is no
	 * error. 0, or -1 when any delete failed. */
	int (*delete)(struct modem *m, const struct modem_slot *slots, size_t n);
	/* Sends text (UTF-8) to dest with AT+CMGS; msg_class -1 normal, 0 flash.
	 * Blocks until the modem answers. *msg_ref gets the last part's reference. */
	enum modem_send_result (*send)(struct modem *m, const char *dest, const char *text,
	    int msg_class, int *msg_ref);
	/* How many parts send() would make of text (1..MODEM_MAX_OUT), or -1;
	 * the encoding only, the modem is not asked. NULL: cannot tell. */
	int (*parts)(struct modem *m, const char *dest, const char *text, int msg_class);
	/* Staged sending (config send_mode = storage). stage() writes text's
	 * parts to the modem's storage (AT+CMGW) and fills slots (room for max)
	 * with where they are; MODEM_SEND_OK, or another result (nothing stays
	 * staged then). */
	enum modem_send_result (*stage)(struct modem *m, const char *dest, const char *text,
	    int msg_class, struct modem_slot *slots, size_t max, size_t *n);
	/* Sends each staged part the modem does not already mark as sent
	 * (AT+CMSS). Parts marked sent are skipped, which is what makes a
	 * retry after a crash send nothing twice. */
	enum modem_send_result (
	    *send_staged)(struct modem *m, const struct modem_slot *slots, size_t n, int *msg_ref);
	/* Lists every stored outgoing message (staged by us, maybe orphaned by
	 * a crash). *slots is malloc'd; the caller frees it. 0 or -1. */
	int (*list_staged)(struct modem *m, struct modem_slot **slots, size_t *n);
	void (*close)(struct modem *m);
	void (*destroy)(struct modem *m);
	/* The SIM in the open modem (issue 10): its IMSI (digits) and ICCID
	 * ("" when the modem does not tell) into the caller's buffers. 0, or
	 * -1 when the IMSI could not be read. NULL: the modem cannot tell. */
	int (*identity)(struct modem *m, char *imsi, size_t imsisz, char *iccid, size_t iccidsz);
	/* The reset ladder (issue 10): connects just long enough to ask the
	 * modem to reset itself (libgammu GSM_Reset), then closes. 0 asked, 1
	 * skipped (the modem does not answer enough to be asked), -1 refused.
	 * The modem is closed afterwards. NULL: the modem cannot. */
	int (*reset)(struct modem *m);
	/* Health (issue 10): signal, registration and operator into *out
	 * (fields it could not read are -1 / "unknown" / ""). 0, or -1 when
	 * the link is lost. NULL: the modem cannot tell. */
	int (*health)(struct modem *m, struct modem_health *out);
	/* Dials USSD code (a balance check) and waits at most timeout_ms for
	 * the network's answer, into reply (UTF-8). 0 answered, 1 no answer
	 * (refused or timed out), -1 the link is lost. NULL: cannot. */
	int (*ussd)(struct modem *m, const char *code, int timeout_ms, char *reply, size_t replysz);
};

struct modem {
	const struct modem_ops *ops;
	struct config_modem cfg;        /* a copy; the modem owns it */
	void *impl;                     /* the implementation's state */
	char last_call[MODEM_ADDR_MAX]; /* number of the last call hung up */
	bool cannot_stage;              /* storage sending refused as unsupported: send directly */
	/* Delivery reports: want_report is set by the sender before send()
	 * (the next message asks for a status report); poll() appends the
	 * reports that came to reports[] and sets MODEM_EV_REPORT; the owner
	 * takes them and sets nreports to 0. */
	bool want_report;
	struct modem_report reports[MODEM_MAX_REPORTS];
	size_t nreports;
	/* Parts the last send() put on the air (quotas, issue 10); 0 unknown. */
	int sent_parts;
};

/* Creates a libgammu modem for cfg (copied). NULL on allocation failure. */
struct modem *modem_gammu_new(const struct config_modem *cfg);

/* Frees an array from fetch(). */
void modem_parts_free(struct modem_part *parts, size_t n);

#endif
