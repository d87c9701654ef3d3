/* config.h - the gateway's configuration, read from one libconfig file and
 * checked whole before use; errors name file:line and what is wrong. */
#ifndef KAWAN_CONFIG_H
#define KAWAN_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_MODEMS 8
#define CONFIG_NAME_MAX 32
#define CONFIG_PATH_MAX 512
#define CONFIG_PIN_MAX 16
#define CONFIG_TEXT_MAX 1024
#define CONFIG_ERROR_MAX 512

#define CONFIG_USSD_DIAL_MAX 32 /* a balance code: "*124#" */
#define CONFIG_PATTERN_MAX 160  /* a balance_pattern */
#define CONFIG_MAX_OPERATORS 8  /* operators = [ ... ] */

/* The airtime balance over USSD from a modem (issue 10 health,
 * config_health.c): the code it dials, the POSIX extended regex whose
 * first group captures the amount, and the amount below which the
 * operators get one SMS. ussd "" : no balance check. */
struct config_balance {
	char ussd[CONFIG_USSD_DIAL_MAX];
	char pattern[CONFIG_PATTERN_MAX];
	int64_t low_cents; /* low_balance x 100; -1 none */
};

enum config_modem_role { MODEM_ROLE_BOTH = 0, MODEM_ROLE_RECEIVE, MODEM_ROLE_SEND };

/* How replies leave the modem. STORAGE writes each part to the SIM
 * (AT+CMGW) and sends it from there (AT+CMSS), so after a crash the SIM's
 * "sent" mark tells whether it went: exactly once. DIRECT uses AT+CMGS, for
 * modems that do not mark stored messages sent: a crash between the
 * modem's OK and our commit sends that reply again. */
enum config_send_mode { SEND_MODE_STORAGE = 0, SEND_MODE_DIRECT };

struct config_modem {
	char name[CONFIG_NAME_MAX];   /* unique, [A-Za-z0-9_-]+ */
	char device[CONFIG_PATH_MAX]; /* serial device, pty link, or (proxyat) a command */
	char
	    connection[CONFIG_NAME_MAX]; /* libgammu connection: "at", "at115200", "proxyat", ... */
	char pin[CONFIG_PIN_MAX];        /* SIM PIN, 4-8 digits, or "" for none */
	enum config_modem_role role;
	enum config_send_mode send_mode; /* default storage */
	int poll_interval_ms; /* inbox sweep fallback when no +CMTI comes; default 30000 */
	int reopen_min_ms;    /* reopen backoff after the modem fails; default 1000 */
	int reopen_max_ms;    /* cap of that backoff; default 60000 */
	char gammu_log[CONFIG_PATH_MAX]; /* libgammu debug log file, "" for none */
	/* The pool (issue 10, config_pool.c). */
	char imsi[16];                 /* "" : the modem is its device; else the SIM with this IMSI,
			* on whichever of the pool's devices it shows up */
	char network[CONFIG_NAME_MAX]; /* a networks[] name, "" for none */
	int failover_after_ms;         /* down this long: its queued replies move; default 300000 */
	/* Quotas and the reset ladder (issue 10, config_quota.c). */
	int max_parts_per_hour;  /* SMS parts sent in the last hour at most; 0 no cap */
	int max_parts_per_day;   /* in the last 24 h; 0 no cap */
	int alerts_exceed_quota; /* 1: officer alerts (urgent rows) may pass the caps; default 1 */
	int reset_after;         /* failed reopens on each rung of the reset ladder; default 5 */
	char reset_command[CONFIG_PATH_MAX]; /* run with the device as argument, "" none */
	/* Health (config_health.c): its own balance check, else its network's. */
	struct config_balance balance;
};

#define CONFIG_MAX_NETWORKS 8
#define CONFIG_MAX_PREFIXES 16

/* A mobile network: its name and the number prefixes of its subscribers
 * ("+6012", ...); the longest matching prefix wins. */
struct config_network {
	char name[CONFIG_NAME_MAX];
	char prefixes[CONFIG_MAX_PREFIXES][16];
	size_t nprefixes;
	struct config_balance balance; /* for its modems without their own */
};

struct config_outbound {
	int max_attempts; /* send attempts before a message is 'failed'; default 8 */
	int retry_min_ms; /* first retry delay, doubled each attempt; default 5000 */
	int retry_max_ms; /* cap of that delay; default 600000 */
	/* after a crash while the modem sent a message that asked for a
	 * status report (AT+CMGS), how long to wait for the report of a copy
	 * that did leave before sending it again; default 60000 */
	int report_wait_ms;
};

struct config_inbound {
	int partial_timeout_ms; /* store an incomplete concatenated SMS after this; default 600000 */
	int max_text_bytes;     /* longer inbound text is cut and flagged; default 4096 */
};

struct config_content {
	int configured; /* 1 when the file has a content group; else the gateway answers router.reply_text */
	char menus
	    [CONFIG_PATH_MAX]; /* menus directory; relative paths are from the config file's folder */
	char translations[CONFIG_PATH_MAX]; /* PO catalogs directory */
	int serve_fuzzy; /* 1: serve translations still marked fuzzy; default 0 */
	char key_back[4], key_home[4], key_more[4]; /* "0", "00", "98" */
	int ussd_timeout_ms;                        /* default 180000 */
	int sms_timeout_ms;                         /* default 1800000 */
	int ussd_gsm7, ussd_ucs2;                   /* USSD page limit; default 182 / 80 */
	int max_info_segments; /* SMS information page, in segments; default 3 */
};

#define CONFIG_MAX_ROSTERS 16
#define CONFIG_MAX_OFFICERS 8
#define CONFIG_HASH_MAX 128

/* A duty officer, supervisor or NGO desk: who gets alerts and may send
 * ACK/NOTE/CLOSE/LIST. The PIN is stored only as a crypt(3) hash
 * (`kawanctl pin-hash` makes one). */
struct config_officer {
	char name[CONFIG_NAME_MAX * 2];
	char number[CONFIG_NAME_MAX]; /* +E.164, as the modem reports senders */
	char pin_hash[CONFIG_HASH_MAX];
};

/* Whom a report may be told to (bits): the embassy (a roster's officers
 * and supervisor) and the NGO helpline (the ngo_desk). */
#define CONFIG_TELL_EMBASSY 0x1
#define CONFIG_TELL_NGO 0x2
#define CONFIG_TELL_BOTH (CONFIG_TELL_EMBASSY | CONFIG_TELL_NGO)

/* The choices a roster offers its workers (bits of config_roster.offer). */
#define CONFIG_OFFER_NGO 0x1     /* "ngo": the NGO helpline only */
#define CONFIG_OFFER_EMBASSY 0x2 /* "embassy": the embassy only */
#define CONFIG_OFFER_BOTH 0x4    /* "both" */

/* The officers of one nationality, in alerting order, and their supervisor. */
struct config_roster {
	char nationality
	    [3]; /* ISO 3166 alpha-2 of the sending state: ID, PH, MM, KH, LA, VN, TL, ... */
	struct config_officer officers[CONFIG_MAX_OFFICERS];
	size_t nofficers;
	struct config_officer supervisor; /* number "" when none */
	unsigned offer; /* CONFIG_OFFER_* bits: whom its workers may choose to tell
			 * (offer = [ "ngo", "embassy", "both" ]); 0 when the file
			 * gives none: whatever the roster and the desk make possible.
			 * A report is told only to those both the worker and an
			 * offered choice allow (reports_escalate.c). */
};

struct config_reports {
	int dedupe_window_ms; /* a repeated SOS within this updates the open report; default 1800000 */
	int ack_timeout_ms; /* unacknowledged this long: alert the next in line; default 300000 */
	int reminder_interval_ms; /* after everyone was alerted: remind this often; default 900000 */
	int max_reminders;        /* then stop reminding (the report stays open); default 12 */
	int notify_worker_on_ack; /* tell the worker when an officer acknowledges; default 1 */
	int pin_max_failures;     /* wrong PINs before a number is locked; default 3 */
	int pin_lock_ms;          /* how long the first lock lasts; default 900000 */
	int pin_lock_max_ms;      /* each further lock lasts 4 times the one before, at most this;
			      * default 86400000 (15 min, 1 h, 4 h, 16 h, 24 h, 24 h, ...) */
	int status_max_misses;    /* STATUS with a reference the sender did not make, per number
				* and status_window: more get status_unknown whatever
				* the reference; default 5 */
	int status_window_ms;     /* default 86400000 */
	int retention_days;       /* erase personal data this long after closing; default 365 */
	int stats_min_count;      /* kawanctl stats shows counts below this as "<N"; default 5 */
	int prefs_retention_days; /* a number's language and mode choices are erased after
				   * this long without a message from it; default 365 */
	int alert_max_segments;   /* an officer alert fits in this many SMS segments; default 3 */
	int sos_default; /* CONFIG_TELL_* bits alerted at once when HELP/SOS opens a report,
			  * before the worker has chosen whom to tell ("ngo", "embassy",
			  * "both", "none"); default "ngo" when an ngo_desk is configured,
			  * else "none" (nobody until the worker chooses) */
};

#define CONFIG_USSD_MAX_CODES 8
#define CONFIG_USSD_MAX_ALLOW 16
#define CONFIG_USSD_CODE_MAX 32
#define CONFIG_USSD_SECRET_MAX 128

/* A client network allowed to call the USSD link: family AF_INET or
 * AF_INET6, the address in network order (4 or 16 bytes used), and the
 * prefix length in bits. */
struct config_cidr {
	int family;
	unsigned char addr[16];
	int prefix;
};

/* The operator USSD link (an HTTP service the operator or aggregator calls
 * for each screen). Absent group: no USSD link. */
struct config_ussd {
	int enabled;                      /* 1 when the file has a ussd group */
	char listen[CONFIG_NAME_MAX * 2]; /* as written: "127.0.0.1:8080", "[::1]:8080" */
	char host[CONFIG_NAME_MAX * 2];   /* the address part, without brackets */
	int port;                         /* 0: any free port (tests) */
	char path[CONFIG_NAME_MAX * 2];   /* "/ussd" */
	char service_codes[CONFIG_USSD_MAX_CODES][CONFIG_USSD_CODE_MAX]; /* "*123#" */
	size_t ncodes;
	char secret[CONFIG_USSD_SECRET_MAX]; /* "" for none */
	struct config_cidr allow[CONFIG_USSD_MAX_ALLOW];
	size_t nallow;                  /* 0: nobody may call (default 127.0.0.1 and ::1) */
	int max_sessions;               /* sessions held in memory; default 10000 */
	char tls_cert[CONFIG_PATH_MAX]; /* PEM files; HTTPS when both are set */
	char tls_key[CONFIG_PATH_MAX];
	int rate_per_minute; /* hops per phoneNumber per minute; default 60 */
	int threads;         /* HTTP worker threads; default 2 */
	int max_hops;        /* answers in one session's text; default 64 */
};

struct config_router {
	char reply_text
	    [CONFIG_TEXT_MAX]; /* the reply to every message until the menu engine lands (UTF-8) */
	/* Automatic answers one number gets per minute (issue 11); the rest
	 * are held and the burst answered once with its last page. 0: no cap. */
	int max_answers_per_minute;     /* default 6 */
	int officer_answers_per_minute; /* officers', supervisors', NGO desk's numbers; default 30 */
};

/* Missed calls (issue 10): a caller gets the home menu by SMS. */
struct config_calls {
	int menu_per_day; /* menus per number per 24 h; 0: calls get nothing; default 3 */
};

/* Which messages ask the network for a status report (delivery_reports). */
#define CONFIG_DLR_NONE 0   /* "none" */
#define CONFIG_DLR_ALERTS 1 /* "alerts": officer alerts and reminders (urgent rows); default */
#define CONFIG_DLR_ALL 2    /* "all": replies too */

struct kawan_config {
	char source[CONFIG_PATH_MAX];    /* the file this was read from */
	char database[CONFIG_PATH_MAX];  /* SQLite file; default /var/lib/kawan/kawan.db */
	char log_level[CONFIG_NAME_MAX]; /* error|warn|info|debug; default info */
	char country[3]; /* ISO 3166 alpha-2 receiving country, e.g. "MY"; default "MY" */
	struct config_modem modems[CONFIG_MAX_MODEMS];
	size_t nmodems; /* at least 1 */
	struct config_outbound outbound;
	struct config_inbound inbound;
	struct config_router router;
	struct config_content content;
	struct config_reports reports;
	struct config_roster rosters[CONFIG_MAX_ROSTERS];
	size_t nrosters;
	struct config_officer
	    ngo_desk; /* fall-back for nationalities with nobody on a roster; number "" when none */
	struct config_ussd ussd;
	struct config_calls calls;
	int delivery_reports; /* CONFIG_DLR_* */
	struct config_network networks[CONFIG_MAX_NETWORKS];
	size_t nnetworks;
	/* Health (config_health.c). */
	int health_interval_ms; /* each modem reads its health this often; default 300000 */
	char operators[CONFIG_MAX_OPERATORS]
		      [CONFIG_NAME_MAX]; /* +E.164: the box's operators, told by SMS
							 * when a modem is dead or its balance low */
	size_t noperators;
	/* Least privilege (config_priv.c). */
	char user[CONFIG_NAME_MAX]; /* started as root: drop to this account; "" none
					     * (then root is refused) */
	/* kawanctl reports export -o FILE: "" creates FILE 0600 (owner only);
	 * a group name creates it 0640 in that group (the admins). */
	char export_group[CONFIG_NAME_MAX];
};

/* True when addr (4 bytes for AF_INET, 16 for AF_INET6, network order)
 * lies in net; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches IPv4
 * nets. */
bool config_cidr_match(const struct config_cidr *net, int family, const unsigned char *addr);

/* Reads and checks path into *out (caller's storage; nothing to free).
 * On error returns -1 and writes "file:line: what is wrong" (or
 * "file: what is wrong" where libconfig gives no line) into err. */
int config_load(const char *path, struct kawan_config *out, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* The pool's lookups (config_pool.c), pure. Each returns an index into
 * c->networks or c->modems, or -1 for none. */
int config_network_find(const struct kawan_config *c, const char *name);
/* The network whose longest prefix starts number. */
int config_network_of(const struct kawan_config *c, const char *number);
int config_modem_find(const struct kawan_config *c, const char *name);
/* True when a and b open the same link the same way (name, device,
 * connection, PIN, gammu_log, IMSI): a change elsewhere (polling, backoff,
 * role, quotas, ladder, balance, network) needs no reconnect. */
bool config_modem_link_same(const struct config_modem *a, const struct config_modem *b);
int config_modem_by_imsi(const struct kawan_config *c, const char *imsi);
/* The modem that should send a message to dest in place of modem from
 * (NULL: none; from itself is never picked): one that is up (up[i] for
 * c->modems[i]) and may send (role both or send), of dest's network first,
 * then of from's network, then any; equals are spread by salt. */
int config_pool_pick(const struct kawan_config *c, const bool *up, const char *dest,
    const char *from, unsigned salt);

/* Health (config_health.c), pure. The amount in text that pattern's first
 * group captures ("3.50", "3,50", "12"), in cents, into *cents. 0 found,
 * 1 no match or no amount, -1 pattern does not compile. */
int config_balance_parse(const char *pattern, const char *text, int64_t *cents)
    __attribute__((warn_unused_result));
/* "3.50" / "3,50" / "12" as cents; 0, or -1 when it is no amount. */
int config_amount_cents(const char *s, size_t len, int64_t *cents)
    __attribute__((warn_unused_result));

/* Officers' PINs (config_pin.c). A PIN is CONFIG_OFFICER_PIN_MIN to _MAX
 * digits. The examples ship CONFIG_PIN_PLACEHOLDER as pin_hash: accepted
 * by config_load (so kawanctl works), refused by config_pins_check. */
#define CONFIG_OFFICER_PIN_MIN 6
#define CONFIG_OFFICER_PIN_MAX 12
#define CONFIG_PIN_PLACEHOLDER "!run kawanctl pin-hash"
/* Why pin is not acceptable as an officer's PIN (too short or long, not
 * digits, one digit repeated, an ascending or descending run, a repeated
 * pair or triple, on the most-used lists), or NULL when it is. Pure. */
const char *config_pin_weak(const char *pin);
/* True when pin matches the crypt(3) hash (compared in constant time). */
bool config_pin_match(const char *pin, const char *hash);
/* The gateway's start-up (and reload) check: every officer's, supervisor's
 * and the NGO desk's pin_hash is set (not the placeholder) and is not the
 * hash of a trivially guessable PIN (tries each; slow by design, a few
 * hundred crypt calls per distinct hash). 0, or -1 with the person named
 * in err (never the PIN). */
int config_pins_check(const struct kawan_config *c, char *err, size_t errsz)
    __attribute__((warn_unused_result));

/* Where an officer's command in text carries its PIN: the third word of
 * ACK, NOTE and CLOSE (any case), the second of LIST; words split at
 * space, tab, CR and LF. true with the byte offset and length; false when
 * text is no such command or lacks that word. Pure. (reports/ parses the
 * same grammar; inbound/ masks the span before the SMS is stored.) */
bool config_pin_span(const char *text, size_t *off, size_t *len);

/* Fills out with every default (no modems); for tools that run without a file. */
void config_default(struct kawan_config *out);

/* Least privilege (config_priv.c), pure. True when the file holds secrets
 * others must not read: an officer's PIN hash or the USSD secret. */
bool config_has_secrets(const struct kawan_config *c);
/* The index of the first modem with a gammu_log (it records the SIM PIN
 * and every message), or -1. */
int config_gammu_log_modem(const struct kawan_config *c);

#endif
