/* config_health.c - the modems' health (issue 10 item 5): how often each
 * modem reads it (health_interval), the operators told about a low
 * balance (operators), and the balance check per modem or per network
 * (balance_ussd, balance_pattern, low_balance); the pure balance parser.
 * A pattern is compiled here at load, so a bad one is refused with
 * file:line; the modem thread compiles its own copy when it reads a
 * balance (a regex_t cannot be copied with the configuration). */
#include "config/config_int.h"

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

#define CONFIG_LOW_MAX 1000000.0 /* low_balance cap, in the SIM's currency */

void
config_health_balance_defaults(struct config_balance *b)
{
	memset(b, 0, sizeof(*b));
	b->low_cents = -1;
}

void
config_health_defaults(struct kawan_config *c)
{
	c->health_interval_ms = 300000;
	c->noperators = 0;
}

static bool
config_health_code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || s[n - 1] != '#')
		return false;
	for (size_t i = 0; i < n; i++)
		if (strchr("0123456789*#", s[i]) == NULL)
			return false;
	return true;
}

/* Copies of the pattern's tree regcomp may make at most (below). */
#define CONFIG_PATTERN_COPIES 1000

/* Whether pattern stays small once compiled. glibc's regcomp copies what
 * a '+' or an interval repeats (x+ is x x*, x{3} is x x x), so stacked or
 * nested ones multiply: "RM ++++...+" with 90 '+' takes gigabytes (found
 * by fuzz_config). Counted without looking at nesting: the product of
 * each '+' (2) and each {n,m} (largest bound + 1) stays within
 * CONFIG_PATTERN_COPIES; a balance pattern needs a handful. */
static bool
config_health_pattern_small(const char *p)
{
	unsigned long copies = 1;

	for (size_t i = 0; p[i] != '\0'; i++) {
		unsigned long f = 1;

		if (p[i] == '\\') {
			if (p[i + 1] == '\0')
				break;
			i++;
		} else if (p[i] == '[') {
			/* A bracket expression: its '+' and '{' are characters. */
			i++;
			if (p[i] == '^')
				i++;
			if (p[i] == ']')
				i++;
			while (p[i] != '\0' && p[i] != ']') {
				if (p[i] == '[' &&
				    (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
					char end = p[i + 1];

					for (i += 2;
					     p[i] != '\0' && !(p[i] == end && p[i + 1] == ']'); i++)
						;
					if (p[i] == '\0')
						break;
					i++;
				}
				i++;
			}
			if (p[i] == '\0')
				break;
		} else if (p[i] == '+') {
			f = 2;
		} else if (p[i] == '{') {
			/* {n}, {n,} or {n,m}: the largest bound + 1 copies;
			 * anything else is no interval (counted as nothing). */
			unsigned long n = 0, most = 0;
			size_t k = i + 1;
			int commas = 0;

			for (; (p[k] >= '0' && p[k] <= '9') || p[k] == ','; k++) {
				if (p[k] == ',') {
					commas++;
					n = 0;
					continue;
				}
				n = n * 10 + (unsigned long)(p[k] - '0');
				if (n > CONFIG_PATTERN_COPIES)
					return false;
				most = n > most ? n : most;
			}
			if (p[k] == '}' && k > i + 1 && commas <= 1) {
				f = most + 1;
				i = k;
			}
		}
		copies *= f;
		if (copies > CONFIG_PATTERN_COPIES)
			return false;
	}
	return true;
}

/* Whether pattern compiles as a POSIX extended regex with at least one
 * group; the reason into why otherwise. */
static bool
config_health_pattern_ok(const char *pattern, char *why, size_t whysz)
{
	regex_t re;
	int rc;
	bool ok;

	if (!config_health_pattern_small(pattern)) {
		(void)snprintf(why, whysz, "it repeats too much ('+' and {n,m} multiply)");
		return false;
	}
	rc = regcomp(&re, pattern, REG_EXTENDED);
	if (rc != 0) {
		regerror(rc, &re, why, whysz);
		return false;
	}
	ok = re.re_nsub >= 1;
	regfree(&re);
	if (!ok)
		(void)snprintf(why, whysz, "it has no group ( ... ) capturing the amount");
	return ok;
}

int
config_health_balance(struct config_ctx *ctx, const config_setting_t *g, const char *what,
    struct config_balance *b)
{
	config_setting_t *s;
	char why[128];
	int rc;

	if (config_string(ctx, g, "balance_ussd", b->ussd, sizeof(b->ussd), true) == -1 ||
	    config_string(ctx, g, "balance_pattern", b->pattern, sizeof(b->pattern), true) == -1)
		return -1;
	s = config_member(ctx, g, "low_balance", CONFIG_TYPE_FLOAT, &rc);
	if (rc == -1)
		return -1;
	if (s != NULL) {
		double v = config_setting_type(s) == CONFIG_TYPE_FLOAT ?
			       config_setting_get_float(s) :
			       (double)config_setting_get_int64(s);

		if (!isfinite(v) || v < 0.0 || v > CONFIG_LOW_MAX) {
			config_fail(ctx, s, "%s: low_balance must be an amount from 0 to %.0f",
			    what, CONFIG_LOW_MAX);
			return -1;
		}
		b->low_cents = (int64_t)llround(v * 100.0);
	}
	s = config_setting_get_member(g, "balance_ussd");
	if (b->ussd[0] != '\0' && !config_health_code_ok(b->ussd)) {
		config_fail(ctx, s, "%s: balance_ussd '%s' must be digits, '*' and '#', ending '#'",
		    what, b->ussd);
		return -1;
	}
	s = config_setting_get_member(g, "balance_pattern");
	if (b->pattern[0] != '\0' && !config_health_pattern_ok(b->pattern, why, sizeof(why))) {
		config_fail(ctx, s, "%s: balance_pattern is not a usable extended regex: %s", what,
		    why);
		return -1;
	}
	if (b->ussd[0] != '\0' && b->pattern[0] == '\0') {
		config_fail(ctx, config_setting_get_member(g, "balance_ussd"),
		    "%s: balance_ussd needs a balance_pattern to read the amount", what);
		return -1;
	}
	return 0;
}

static int
config_health_operators(struct config_ctx *ctx, const config_setting_t *root,
    struct kawan_config *c)
{
	const config_setting_t *list = config_setting_get_member(root, "operators");
	int n;

	if (list == NULL)
		return 0;
	if (!config_setting_is_array(list)) {
		config_fail(ctx, list, "'operators' must be an array of \"+E.164\" numbers");
		return -1;
	}
	n = config_setting_length(list);
	if (n > CONFIG_MAX_OPERATORS) {
		config_fail(ctx, list, "too many operators (%d; at most %d)", n,
		    CONFIG_MAX_OPERATORS);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		const char *p = config_setting_get_string(e);
		size_t len = p != NULL ? strlen(p) : 0;
		bool ok = p != NULL && p[0] == '+' && len >= 4 && len <= 16;

		for (size_t k = 1; ok && k < len; k++)
			ok = p[k] >= '0' && p[k] <= '9';
		if (!ok || util_strcopy(c->operators[i], sizeof(c->operators[i]), p) < 0) {
			config_fail(ctx, e != NULL ? e : list,
			    "operators: number %d must be '+' and 3 to 15 digits", i + 1);
			return -1;
		}
	}
	c->noperators = (size_t)n;
	return 0;
}

int
config_health(struct config_ctx *ctx, const config_setting_t *root, struct kawan_config *c)
{
	const config_setting_t *s;

	if (config_duration(ctx, root, "health_interval", &c->health_interval_ms) == -1)
		return -1;
	s = config_setting_get_member(root, "health_interval");
	if (c->health_interval_ms < 1000) {
		config_fail(ctx, s, "health_interval must be at least 1 second");
		return -1;
	}
	if (config_health_operators(ctx, root, c) == -1)
		return -1;
	/* A modem without a balance check of its own takes its network's. */
	for (size_t i = 0; i < c->nmodems; i++) {
		struct config_modem *md = &c->modems[i];
		int net = md->network[0] != '\0' ? config_network_find(c, md->network) : -1;

		if (md->balance.ussd[0] == '\0' && net >= 0)
			md->balance = c->networks[net].balance;
	}
	return 0;
}

int
config_amount_cents(const char *s, size_t len, int64_t *cents)
{
	int64_t whole = 0, frac = 0;
	size_t i = 0, nd = 0, nf = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9' && nd < 12) {
		whole = whole * 10 + (s[i++] - '0');
		nd++;
	}
	if (nd == 0)
		return -1;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			if (nf < 2)
				frac = frac * 10 + (s[i] - '0');
			nf++;
			i++;
		}
		if (nf == 0)
			return -1;
	}
	if (i != len)
		return -1;
	if (nf == 1)
		frac *= 10;
	*cents = whole * 100 + frac;
	return 0;
}

int
config_balance_parse(const char *pattern, const char *text, int64_t *cents)
{
	regex_t re;
	regmatch_t m[2];
	int rc;

	if (regcomp(&re, pattern, REG_EXTENDED) != 0)
		return -1;
	if (re.re_nsub < 1) {
		regfree(&re);
		return -1;
	}
	rc = regexec(&re, text, 2, m, 0);
	regfree(&re);
	if (rc != 0 || m[1].rm_so < 0)
		return 1;
	if (config_amount_cents(text + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so), cents) < 0)
		return 1;
	return 0;
}
