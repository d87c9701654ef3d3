/* modem_gammu_int.h - what the libgammu modem's files share: its state
 * and the GSM_Error translation. Only modem_gammu*.c include this. */
#ifndef KAWAN_MODEM_GAMMU_INT_H
#define KAWAN_MODEM_GAMMU_INT_H

#include <stdbool.h>

#include <gammu.h>

#include "modem/modem.h"

#define GM_SEND_TIMEOUT_MS 30000 /* wait for +CMGS after the PDU */

struct gm_state {
	GSM_StateMachine *sm;
	int fd; /* the device's descriptor, -1 if unknown */
	bool connected;
	unsigned events; /* MODEM_EV_* set by callbacks */
	int send_status; /* -1 waiting, 0 accepted, >0 modem error */
	int send_ref;
	bool call_pending;
	char call_from[MODEM_ADDR_MAX];
	struct modem_report reports[MODEM_MAX_REPORTS]; /* set by the SMS callback */
	size_t nreports;
	size_t reports_dropped;
	GSM_SMSC smsc;
	bool have_smsc;
	/* One 260 KiB libgammu message buffer, allocated once: a fresh one per
	 * send cost an mmap, page faults and a munmap every message. The
	 * functions using it never nest. */
	GSM_MultiSMSMessage *scratch;
	/* A USSD answer copied by the callback (modem_gammu_health.c). */
	bool ussd_got;
	char ussd_text[MODEM_USSD_MAX];
};

/* ERR_NONE is 1: this is the one test of success. */
bool gm_ok(GSM_Error e);
/* Errors that mean the link itself is gone, not just one refused request. */
bool gm_link_error(GSM_Error e);
/* A libgammu UTF-16BE number as UTF-8 ("" when it does not convert). */
void gm_number_to_utf8(const unsigned char *ucs, char *out, size_t outsz);

/* modem_gammu_read.c: the storage, read and cleared. */
int gm_fetch(struct modem *m, struct modem_part **out, size_t *n);
int gm_delete(struct modem *m, const struct modem_slot *slots, size_t n);
int gm_list_staged(struct modem *m, struct modem_slot **slots, size_t *n);

/* modem_gammu_send.c: AT+CMGS, AT+CMGW and AT+CMSS. */
enum modem_send_result gm_send(struct modem *m, const char *dest, const char *text, int msg_class,
    int *msg_ref);
int gm_parts(struct modem *m, const char *dest, const char *text, int msg_class);
enum modem_send_result gm_stage(struct modem *m, const char *dest, const char *text, int msg_class,
    struct modem_slot *slots, size_t max, size_t *n);
enum modem_send_result gm_send_staged(struct modem *m, const struct modem_slot *slots, size_t n,
    int *msg_ref);

/* modem_gammu_ident.c: the SIM's IMSI (the ICCID stays ""). */
int gm_identity(struct modem *m, char *imsi, size_t imsisz, char *iccid, size_t iccidsz);

/* modem_gammu_health.c: signal, network, operator; USSD. */
int gm_health(struct modem *m, struct modem_health *out);
int gm_ussd(struct modem *m, const char *code, int timeout_ms, char *reply, size_t replysz);

#endif
