/* reports_retention.c - the whole retention pass, as the gateway runs it
 * hourly and `kawanctl reports purge` runs it by hand: reports closed (or
 * idle) past reports.retention_days erased, the message queues' texts and
 * numbers blanked after the same period, menu sessions deleted once their
 * timeout is past, a number's preferences after
 * reports.prefs_retention_days without activity, then the WAL truncated so
 * no copy of what was erased stays in it. */
#include "reports/reports_int.h"

#include "core/log.h"
#include "store/store.h"

#define REPORTS_RETENTION_DAY_MS (24LL * 60 * 60 * 1000)

int
reports_retention_run(const struct reports_ctx *x, int64_t now_ms, struct reports_purged *out)
{
	const struct kawan_config *cfg = x->cfg;
	struct reports_purged p = { 0 };
	int64_t before = store_changes(x->st);
	int rc;

	p.reports = reports_retention(x, now_ms);
	if (p.reports < 0)
		return -1;
	p.messages = store_erase_messages_before(x->st,
	    now_ms - (int64_t)cfg->reports.retention_days * REPORTS_RETENTION_DAY_MS);
	if (p.messages < 0)
		return -1;
	p.sessions = store_session_expire(x->st, now_ms - cfg->content.sms_timeout_ms,
	    now_ms - cfg->content.ussd_timeout_ms);
	if (p.sessions < 0)
		return -1;
	p.prefs = store_prefs_expire(x->st,
	    now_ms - (int64_t)cfg->reports.prefs_retention_days * REPORTS_RETENTION_DAY_MS);
	if (p.prefs < 0)
		return -1;
	if (p.prefs > 0)
		log_info("retention: language and mode choices of %d number%s erased after %d "
			 "days without activity",
		    p.prefs, p.prefs == 1 ? "" : "s", cfg->reports.prefs_retention_days);
	if (store_changes(x->st) != before) {
		rc = store_wal_truncate(x->st);
		if (rc < 0)
			return -1;
		if (rc > 0)
			log_debug("retention: the WAL is in use; truncated at a later pass");
		p.wal_pending = rc > 0;
	}
	if (out != NULL)
		*out = p;
	return 0;
}
