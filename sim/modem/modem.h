/* modem.h - the simulated GSM modem: AT bytes in, reply bytes out, plus
 * timers (ringing, USSD answers) and the control-side actions.
 *
 * Input states (modem_feed):
 *   COMMAND --"AT+CMGS=<n>\r" or "AT+CMGW=<n>\r"--> PDU (prompt "> " sent;
 *   at_sms_cmgs_begin)
 *   PDU --Ctrl-Z--> COMMAND (at_sms_cmgs_end), PDU --ESC--> COMMAND (cancel)
 * Unsolicited codes raised while in PDU state are held until COMMAND. */
#ifndef SIM_MODEM_H
#define SIM_MODEM_H

#include <stdint.h>

#include "events.h"
#include "sbuf.h"
#include "sentlog.h"
#include "simstore.h"

#define MODEM_LINE_MAX 1024
#define MODEM_OUT_MAX (4 * 1024 * 1024)

enum modem_charset { MODEM_CS_GSM, MODEM_CS_IRA, MODEM_CS_UCS2 };

struct modem_stats {
	long cmti, cmgs, cmgs_err, cmgr, cmgl, cmgd, calls, hangups, at;
};

struct modem_config {
	const char *pin;  /* NULL: no PIN */
	const char *smsc; /* NULL: default */
	int capacity;
	const char *imsi;     /* NULL: MODEM_DEFAULT_IMSI (AT+CIMI) */
	const char *iccid;    /* NULL: MODEM_DEFAULT_ICCID (AT+CCID, AT^ICCID) */
	const char *operator; /* NULL: MODEM_DEFAULT_OPERATOR (AT+COPS?) */
	const char *balance;  /* --balance: the AT+CUSD answer; NULL: MODEM_DEFAULT_USSD */
	int signal;           /* --signal: AT+CSQ rssi 1..31 or 99; 0 (unset): 20 */
};

#define MODEM_DLR_WAIT 32 /* status reports the network holds back at once */

struct modem {
	/* settings a power cycle resets */
	int echo, cmee, cmgf, cnmi_mt, clip, crc;
	enum modem_charset cs;
	int pin_ok;
	/* fixed identity and network */
	char pin[16], smsc[PDU_ADDR_MAX];
	char imsi[16], iccid[24], operator_name[64]; /* --imsi, --iccid, --operator */
	int csq;                                     /* AT+CSQ rssi (--signal, SIGNAL) */
	int creg_n, cgreg_n, cops_f;                 /* AT+CREG=n, AT+CGREG=n, AT+COPS=3,format */
	/* input */
	char line[MODEM_LINE_MAX];
	size_t linelen;
	int line_overflow;
	int in_pdu, pdu_len, pdu_overflow;
	int pdu_store; /* 0: PDU for AT+CMGS; else AT+CMGW with stat + 1 */
	struct sbuf pdu;
	/* output: bytes for the device, and codes held during a PDU prompt */
	struct sbuf out, held;
	int mute;
	/* faults */
	int cms_fault_n, cms_fault_code;
	int dlr_fail_n;      /* DLR FAIL <n>: the next n status reports say failed */
	long dlr_delay_ms;   /* DLR DELAY <ms>: reports come this long after the send */
	struct modem_dlr {   /* reports waiting for their time (DLR DELAY) */
		int64_t due; /* monotonic ms */
		char dest[PDU_ADDR_MAX];
		uint8_t mr;
	} dlr_wait[MODEM_DLR_WAIT];
	int dlr_nwait;
	long send_delay_ms;     /* FAULT DELAY: hold the next send's answer this long */
	int64_t out_hold_until; /* monotonic ms; 0: output flows (see modem_out_held) */
	/* state */
	struct simstore store;
	struct sentlog sent;
	struct events ev;
	struct modem_stats stats;
	uint8_t mr, inject_ref;
	char *ussd_reply; /* owned UTF-8 */
	int64_t ussd_due; /* monotonic ms, 0: none pending */
	char caller[PDU_ADDR_MAX];
	int rings_left;
	int64_t next_ring; /* monotonic ms, 0: not ringing */
};

int modem_init(struct modem *m, const struct modem_config *cfg) __attribute__((warn_unused_result));
void modem_free(struct modem *m);
/* Feeds bytes read from the device; replies are appended to m->out. */
void modem_feed(struct modem *m, const char *buf, size_t n);
/* Whether output must stay in m->out for now (FAULT DELAY holds the answer
 * to a send, and everything after it, until out_hold_until). */
int modem_out_held(const struct modem *m, int64_t now);
/* Milliseconds until the next timer (monotonic now given), or -1 for none. */
int modem_timeout(const struct modem *m, int64_t now);
void modem_tick(struct modem *m, int64_t now);
/* Power cycle: forget settings, input and pending output (UNPLUG). */
void modem_reset(struct modem *m);

/* Control-side actions. Text is UTF-8; coding is SMSTEXT_AUTO or a
 * pdu_coding; msg_class PDU_CLASS_NONE or 0/1. Return the part count / 0, or
 * -1 with a reason in err. */
int modem_inject_text(struct modem *m, const char *from, const char *text, size_t len, int coding,
    int msg_class, char *err, size_t errsz);
int modem_inject_pdu(struct modem *m, const char *hex, char *err, size_t errsz);
void modem_call(struct modem *m, const char *from, int64_t now);
int modem_set_ussd(struct modem *m, const char *text);
void modem_set_capacity(struct modem *m, int capacity);
/* Moves waiting messages into free slots, raising +CMTI for each. */
void modem_deliver(struct modem *m);

/* Used by the AT handlers (at_cmd.c, at_sms.c). */
void modem_reply(struct modem *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void modem_ok(struct modem *m);
void modem_error(struct modem *m);
void modem_cme(struct modem *m, int code);
void modem_cms(struct modem *m, int code);
/* A status report (+CDS) for the part just accepted with reference mr
 * to dest, when it asked for one: delivered, or failed after DLR FAIL. */
/* The network's status report for part mr to dest: +CDS now, or after
 * DLR DELAY (kept until then; a power cycle keeps it: it comes from the
 * network, not the modem). */
void modem_status_report(struct modem *m, const char *dest, uint8_t mr);
void modem_urc(struct modem *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void modem_hangup(struct modem *m, const char *how);

#endif
