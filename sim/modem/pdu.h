/* pdu.h - SMS PDU codec (3GPP TS 23.040): encodes SMS-DELIVER, decodes
 * SMS-SUBMIT. Written independently of libgammu so it can act as a test
 * oracle for it. Pure functions; callers own every buffer. */
#ifndef SIM_PDU_H
#define SIM_PDU_H

#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

enum pdu_coding { PDU_GSM7 = 0, PDU_8BIT = 1, PDU_UCS2 = 2 };
#define PDU_CLASS_NONE (-1)
#define PDU_ADDR_MAX 24    /* 20 digits or 11 alphanumeric chars, UTF-8 */
#define PDU_UD_MAX 160     /* septets (GSM-7) or octets */
#define PDU_MAX_OCTETS 176 /* SMSC (12) + TPDU (164) */

struct pdu_time {
	int year, month, day, hour, min, sec; /* year: 0..99 */
	int tz_quarters;                      /* signed quarter hours from UTC */
};

/* An SMS-DELIVER to encode. Pointers are borrowed. */
struct pdu_deliver {
	const char *smsc; /* "+60..." or NULL for none (length 00) */
	const char *from; /* "+60...", digits, or alphanumeric text */
	int from_toa;     /* 0 = derive from `from` */
	uint8_t pid;
	enum pdu_coding coding;
	int msg_class; /* PDU_CLASS_NONE or 0..3 */
	struct pdu_time ts;
	int has_concat; /* 8-bit concatenation IE 00 03 ref total seq */
	uint8_t ref, total, seq;
	const uint8_t *ud; /* GSM-7: septets (one per byte); else octets */
	size_t ud_len;     /* units in ud */
};

/* A decoded SMS-SUBMIT. */
struct pdu_submit {
	char smsc[PDU_ADDR_MAX];
	uint8_t mr;
	char dest[PDU_ADDR_MAX];
	uint8_t dest_toa, pid, dcs;
	enum pdu_coding coding;
	int msg_class;
	int vpf; /* 0 none, 1 enhanced, 2 relative, 3 absolute */
	int srr; /* status report requested */
	int has_concat;
	unsigned ref; /* 8- or 16-bit reference */
	uint8_t total, seq;
	uint8_t payload[PDU_UD_MAX]; /* GSM-7: text septets; else octets after UDH */
	size_t payload_len;
};

/* Appends the hex (upper case) of the whole PDU, SMSC included, to out.
 * Returns the TPDU octet count (what AT+CMGL reports), or -1. */
int pdu_encode_deliver(const struct pdu_deliver *d, struct sbuf *out);
/* Appends an SMS-STATUS-REPORT (no SMSC) as hex for the message with
 * reference mr to dest, with TP-Status status (0x00 delivered, 0x40 and
 * up failed); returns the TPDU length (for +CDS: <length>), or -1. */
int pdu_encode_status_report(const char *dest, uint8_t mr, int status, const struct pdu_time *ts,
    struct sbuf *out);

/* pdu_submit.c: decodes an SMS-SUBMIT given as hex. tpdu_len is the AT+CMGS length
 * (which excludes the SMSC part) or -1 when unknown (then an SMSC length
 * octet is assumed to lead). Returns 0, or -1 with a reason in err. */
int pdu_submit_decode(const char *hex, size_t hexlen, int tpdu_len, struct pdu_submit *out,
    char *err, size_t errsz);

/* Appends the UTF-8 text of a decoded payload (8-bit data is appended raw). */
int pdu_submit_text(const struct pdu_submit *s, struct sbuf *out);

const char *pdu_coding_name(enum pdu_coding c);

#endif
