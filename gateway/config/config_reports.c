/* config_reports.c - the report settings, the officer rosters per
 * nationality (officers in alerting order, a supervisor) and the NGO desk.
 * PINs appear only as crypt(3) hashes; a plain PIN in the file is refused. */
#include "config/config_int.h"

#include <string.h>

static const char *const config_reports_keys[] = { "dedupe_window", "ack_timeout",
	"reminder_interval", "max_reminders", "notify_worker_on_ack", "pin_max_failures",
	"pin_lock", "retention_days", "alert_max_segments", "sos_default", "stats_min_count",
	"prefs_retention_days", "pin_lock_max", "status_max_misses", "status_window", NULL };
static const char *const config_roster_keys[] = { "nationality", "officers", "supervisor", "offer",
	NULL };
/* reports.sos_default, as CONFIG_TELL_* bits by index. */
static const char *const config_tell_names[] = { "none", "embassy", "ngo", "both" };
static const char *const config_officer_keys[] = { "name", "number", "pin_hash", NULL };

void
config_reports_defaults(struct kawan_config *c)
{
	c->reports.dedupe_window_ms = 1800000;
	c->reports.ack_timeout_ms = 300000;
	c->reports.reminder_interval_ms = 900000;
	c->reports.max_reminders = 12;
	c->reports.notify_worker_on_ack = 1;
	c->reports.pin_max_failures = 3;
	c->reports.pin_lock_ms = 900000;
	c->reports.pin_lock_max_ms = 86400000;
	c->reports.status_max_misses = 5;
	c->reports.status_window_ms = 86400000;
	c->reports.retention_days = 365;
	c->reports.stats_min_count = 5;
	c->reports.prefs_retention_days = 365;
	c->reports.alert_max_segments = 3;
	c->reports.sos_default = -1; /* resolved once the NGO desk is known */
}

static bool
config_number_ok(const char *s)
{
	size_t digits = 0;

	if (*s == '+')
		s++;
	for (; *s != '\0'; s++, digits++)
		if (*s < '0' || *s > '9')
			return false;
	return digits >= 3 && digits <= 20;
}

/* A crypt(3) hash: "$id$..." of printable characters, never bare digits. */
static bool
config_hash_ok(const char *s)
{
	if (s[0] != '$' || strlen(s) < 20)
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

static int
config_officer(struct config_ctx *ctx, const config_setting_t *g, struct config_officer *o)
{
	char where[160];

	config_qualname(g, where, sizeof(where));
	if (!config_setting_is_group(g)) {
		config_fail(ctx, g,
		    "'%s' must be a group { name = ...; number = ...; pin_hash = ...; }", where);
		return -1;
	}
	if (config_check_keys(ctx, g, config_officer_keys) == -1)
		return -1;
	for (size_t i = 0; config_officer_keys[i] != NULL; i++) {
		if (config_setting_get_member(g, config_officer_keys[i]) == NULL) {
			config_fail(ctx, g, "'%s' has no '%s'", where, config_officer_keys[i]);
			return -1;
		}
	}
	if (config_string(ctx, g, "name", o->name, sizeof(o->name), false) == -1 ||
	    config_string(ctx, g, "number", o->number, sizeof(o->number), false) == -1 ||
	    config_string(ctx, g, "pin_hash", o->pin_hash, sizeof(o->pin_hash), false) == -1)
		return -1;
	if (!config_number_ok(o->number)) {
		config_fail(ctx, config_setting_get_member(g, "number"),
		    "'%s': number '%s' must be digits with an optional leading +", where,
		    o->number);
		return -1;
	}
	if (strcmp(o->pin_hash, CONFIG_PIN_PLACEHOLDER) != 0 && !config_hash_ok(o->pin_hash)) {
		/* Never echo it: it may be a PIN typed in by mistake. */
		config_fail(ctx, config_setting_get_member(g, "pin_hash"),
		    "'%s': pin_hash must be a crypt(3) hash made with `kawanctl pin-hash`, "
		    "not a PIN",
		    where);
		return -1;
	}
	return 0;
}

/* A roster's offer = [ "ngo", "embassy", "both" ]: at least one, each once. */
static int
config_offer(struct config_ctx *ctx, const config_setting_t *g, const char *where, unsigned *out)
{
	static const char *const names[] = { "ngo", "embassy", "both" };
	const config_setting_t *m = config_setting_get_member(g, "offer");
	int n;

	*out = 0;
	if (m == NULL)
		return 0;
	if (!config_setting_is_array(m) && !config_setting_is_list(m)) {
		config_fail(ctx, m,
		    "'%s.offer' must be a list such as [ \"ngo\", \"embassy\", \"both\" ]", where);
		return -1;
	}
	n = config_setting_length(m);
	if (n < 1) {
		config_fail(ctx, m, "'%s.offer' must name at least one of ngo, embassy, both",
		    where);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(m, (unsigned)i);
		const char *v = config_setting_type(e) == CONFIG_TYPE_STRING ?
				    config_setting_get_string(e) :
				    NULL;
		size_t k;

		for (k = 0; v != NULL && k < sizeof(names) / sizeof(names[0]); k++)
			if (strcmp(v, names[k]) == 0)
				break;
		if (v == NULL || k == sizeof(names) / sizeof(names[0])) {
			config_fail(ctx, e, "'%s.offer': '%s' is not one of ngo, embassy, both",
			    where, v != NULL ? v : "(not a string)");
			return -1;
		}
		if (*out & (1u << k)) {
			config_fail(ctx, e, "'%s.offer': '%s' is given twice", where, v);
			return -1;
		}
		*out |= 1u << k;
	}
	return 0;
}

static int
config_roster(struct config_ctx *ctx, const config_setting_t *g, struct config_roster *r)
{
	const config_setting_t *list, *sup, *nat;
	char where[160], code[CONFIG_NAME_MAX];
	int n;

	config_qualname(g, where, sizeof(where));
	if (!config_setting_is_group(g)) {
		config_fail(ctx, g, "'%s' must be a group { nationality = ...; officers = (...); }",
		    where);
		return -1;
	}
	if (config_check_keys(ctx, g, config_roster_keys) == -1)
		return -1;
	nat = config_setting_get_member(g, "nationality");
	list = config_setting_get_member(g, "officers");
	if (nat == NULL || list == NULL) {
		config_fail(ctx, g, "'%s' needs a nationality and officers", where);
		return -1;
	}
	if (config_string(ctx, g, "nationality", code, sizeof(code), false) == -1)
		return -1;
	if (strlen(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z') {
		config_fail(ctx, nat,
		    "'%s': nationality '%s' must be two uppercase letters "
		    "(ISO 3166, e.g. MM)",
		    where, code);
		return -1;
	}
	memcpy(r->nationality, code, 3);
	if (!config_setting_is_list(list) && !config_setting_is_array(list)) {
		config_fail(ctx, list, "'%s.officers' must be a list ( { ... }, ... )", where);
		return -1;
	}
	n = config_setting_length(list);
	if (n < 1 || n > CONFIG_MAX_OFFICERS) {
		config_fail(ctx, list, "'%s.officers' must list 1 to %d officers", where,
		    CONFIG_MAX_OFFICERS);
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (config_officer(ctx, config_setting_get_elem(list, (unsigned)i),
			&r->officers[i]) == -1)
			return -1;
	r->nofficers = (size_t)n;
	sup = config_setting_get_member(g, "supervisor");
	if (sup != NULL && config_officer(ctx, sup, &r->supervisor) == -1)
		return -1;
	return config_offer(ctx, g, where, &r->offer);
}

/* Every roster number belongs to one person: officer commands are matched by it. */
static int
config_numbers_unique(struct config_ctx *ctx, const config_setting_t *list,
    const struct kawan_config *c)
{
	const struct config_officer *all[CONFIG_MAX_ROSTERS * (CONFIG_MAX_OFFICERS + 1) + 1];
	size_t n = 0;

	for (size_t i = 0; i < c->nrosters; i++) {
		for (size_t k = 0; k < c->rosters[i].nofficers; k++)
			all[n++] = &c->rosters[i].officers[k];
		if (c->rosters[i].supervisor.number[0] != '\0')
			all[n++] = &c->rosters[i].supervisor;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t k = i + 1; k < n; k++) {
			if (strcmp(all[i]->number, all[k]->number) == 0 &&
			    strcmp(all[i]->name, all[k]->name) != 0) {
				config_fail(ctx, list, "number %s is given to both %s and %s",
				    all[i]->number, all[i]->name, all[k]->name);
				return -1;
			}
		}
	}
	for (size_t i = 0; i < c->nrosters; i++) {
		for (size_t k = i + 1; k < c->nrosters; k++) {
			if (strcmp(c->rosters[i].nationality, c->rosters[k].nationality) == 0) {
				config_fail(ctx, list, "two rosters for nationality %s",
				    c->rosters[i].nationality);
				return -1;
			}
		}
	}
	return 0;
}

/* reports.sos_default: the NGO desk when there is one, else nobody; a
 * setting that can reach nobody is refused. */
static int
config_sos_default(struct config_ctx *ctx, const config_setting_t *g, struct kawan_config *c)
{
	struct config_reports *r = &c->reports;
	bool desk = c->ngo_desk.number[0] != '\0';

	if (r->sos_default < 0) {
		r->sos_default = desk ? CONFIG_TELL_NGO : 0;
		return 0;
	}
	if (r->sos_default == 0 || ((r->sos_default & CONFIG_TELL_NGO) && desk) ||
	    ((r->sos_default & CONFIG_TELL_EMBASSY) && c->nrosters > 0))
		return 0;
	config_fail(ctx, config_setting_get_member(g, "sos_default"),
	    "reports.sos_default '%s' reaches nobody: %s", config_tell_names[r->sos_default],
	    (r->sos_default & CONFIG_TELL_NGO) ? "no ngo_desk is configured" :
						 "no officers roster is configured");
	return -1;
}

int
config_reports(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	struct config_reports *r = &c->reports;
	const config_setting_t *list, *desk;
	config_setting_t *g;
	int n;

	if (config_group(ctx, root, "reports", config_reports_keys, &g) == -1 ||
	    config_duration(ctx, g, "dedupe_window", &r->dedupe_window_ms) == -1 ||
	    config_duration(ctx, g, "ack_timeout", &r->ack_timeout_ms) == -1 ||
	    config_duration(ctx, g, "reminder_interval", &r->reminder_interval_ms) == -1 ||
	    config_int(ctx, g, "max_reminders", 0, 1000, &r->max_reminders) == -1 ||
	    config_bool(ctx, g, "notify_worker_on_ack", &r->notify_worker_on_ack) == -1 ||
	    config_int(ctx, g, "pin_max_failures", 1, 100, &r->pin_max_failures) == -1 ||
	    config_duration(ctx, g, "pin_lock", &r->pin_lock_ms) == -1 ||
	    config_int(ctx, g, "retention_days", 1, 36500, &r->retention_days) == -1 ||
	    config_int(ctx, g, "alert_max_segments", 2, 6, &r->alert_max_segments) == -1 ||
	    config_int(ctx, g, "stats_min_count", 1, 1000, &r->stats_min_count) == -1 ||
	    config_int(ctx, g, "prefs_retention_days", 1, 36500, &r->prefs_retention_days) == -1 ||
	    config_duration(ctx, g, "pin_lock_max", &r->pin_lock_max_ms) == -1 ||
	    config_int(ctx, g, "status_max_misses", 1, 1000, &r->status_max_misses) == -1 ||
	    config_duration(ctx, g, "status_window", &r->status_window_ms) == -1)
		return -1;
	if (g != NULL && r->pin_lock_max_ms < r->pin_lock_ms) {
		config_fail(ctx, config_setting_get_member(g, "pin_lock_max"),
		    "'reports.pin_lock_max' must be at least reports.pin_lock");
		return -1;
	}
	if (g != NULL &&
	    config_enum(ctx, g, "sos_default", config_tell_names, 4, &r->sos_default) == -1)
		return -1;
	list = config_setting_get_member(root, "officers");
	if (list != NULL) {
		if (!config_setting_is_list(list)) {
			config_fail(ctx, list,
			    "'officers' must be a list of rosters ( { ... }, ... )");
			return -1;
		}
		n = config_setting_length(list);
		if (n > CONFIG_MAX_ROSTERS) {
			config_fail(ctx, list, "at most %d rosters", CONFIG_MAX_ROSTERS);
			return -1;
		}
		for (int i = 0; i < n; i++)
			if (config_roster(ctx, config_setting_get_elem(list, (unsigned)i),
				&c->rosters[i]) == -1)
				return -1;
		c->nrosters = (size_t)n;
		if (config_numbers_unique(ctx, list, c) == -1)
			return -1;
	}
	desk = config_setting_get_member(root, "ngo_desk");
	if (desk != NULL && config_officer(ctx, desk, &c->ngo_desk) == -1)
		return -1;
	return config_sos_default(ctx, g, c);
}
