/* inbound_events.c - a modem's missed calls and status reports into the
 * store, on the modem's thread: a call becomes an event row the router
 * answers once (the home menu by SMS); a report sets the delivery of the
 * message it is about. Nothing here decides who gets what. */
#include "inbound/inbound.h"

#include <string.h>

#include "core/log.h"
#include "core/mask.h"

int
inbound_call(struct store *st, struct modem *m, int64_t now_ms)
{
	int64_t id = 0;
	int rc;

	if (m->last_call[0] == '\0') {
		log_info("modem %s: a call from a withheld number gets nothing", m->cfg.name);
		return 0;
	}
	rc = store_call_add(st, m->cfg.name, m->last_call, now_ms, &id);
	if (rc < 0) {
		log_warnx("modem %s: cannot store the call from %s: %s", m->cfg.name,
		    MASK_NUMBER(m->last_call), store_errmsg(st));
		return -1;
	}
	log_info("modem %s: call from %s stored as #%lld", m->cfg.name, MASK_NUMBER(m->last_call),
	    (long long)id);
	m->last_call[0] = '\0';
	return rc == 0 ? 1 : 0;
}

int
inbound_reports(struct store *st, struct modem *m, int64_t now_ms)
{
	size_t done = 0;
	int failed = 0;

	for (; done < m->nreports; done++) {
		const struct modem_report *r = &m->reports[done];
		enum store_dlr d = STORE_DLR_NONE;
		int64_t id = 0;
		int rc = store_dlr_record(st, m->cfg.name, r->dest, r->msg_ref, r->status, now_ms,
		    &id, &d);

		if (rc < 0)
			break;
		if (rc == 1) {
			log_info("modem %s: status report for ref %d to %s (0x%02x) matches no "
				 "message waiting for one",
			    m->cfg.name, r->msg_ref, MASK_NUMBER(r->dest), r->status);
			continue;
		}
		log_info("modem %s: #%lld to %s: %s (status 0x%02x)", m->cfg.name, (long long)id,
		    MASK_NUMBER(r->dest),
		    d == STORE_DLR_PENDING ? "network still trying" : store_dlr_name(d), r->status);
		if (d == STORE_DLR_FAILED)
			failed++;
	}
	if (done < m->nreports) {
		memmove(m->reports, m->reports + done,
		    (m->nreports - done) * sizeof(m->reports[0]));
		m->nreports -= done;
		log_warnx("modem %s: cannot record status reports: %s", m->cfg.name,
		    store_errmsg(st));
		return -1;
	}
	m->nreports = 0;
	return failed;
}
