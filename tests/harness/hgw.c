/* hgw.c - the gateway with extra configuration, and per-number waits on
 * what the sim saw sent (see hgw.h). */
#include "hgw.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int
hgw_cfg_string(struct hbuf *b, const char *s)
{
	if (hbuf_add(b, "\"", 1) < 0)
		return -1;
	for (; *s != '\0'; s++) {
		if ((*s == '"' || *s == '\\') && hbuf_add(b, "\\", 1) < 0)
			return -1;
		if (hbuf_add(b, s, 1) < 0)
			return -1;
	}
	return hbuf_add(b, "\"", 1);
}

int
hgw_cfg_content(struct hbuf *b, const char *menus, const char *translations, const char *more)
{
	if (hbuf_adds(b, "content = { menus = ") < 0 || hgw_cfg_string(b, menus) < 0 ||
	    hbuf_adds(b, "; translations = ") < 0 || hgw_cfg_string(b, translations) < 0 ||
	    hbuf_adds(b, "; serve_fuzzy = true; ") < 0 ||
	    (more != NULL && (hbuf_adds(b, more) < 0 || hbuf_adds(b, " ") < 0)))
		return -1;
	return hbuf_adds(b, "};\n");
}

int
hgw_write_config(struct harness *h, const char *extra)
{
	struct hbuf b;
	int rc;

	hbuf_init(&b);
	rc = harness_config_text(h, &b);
	if (rc == 0 && extra != NULL)
		rc = hbuf_adds(&b, "\n") < 0 || hbuf_adds(&b, extra) < 0 ? -1 : 0;
	if (rc == 0)
		rc = harness_write_file(h, "kawan.cfg", b.data, NULL, 0);
	hbuf_free(&b);
	return rc;
}

int
hgw_start(struct harness *h, const char *extra)
{
	char path[HARNESS_PATH_MAX];
	char *argv[] = { path, "-c", h->cfg, NULL };
	struct stat st;
	FILE *log;

	if (h->gw_pid > 0) {
		harness_fail(h, "gateway already running (pid %d)", (int)h->gw_pid);
		return -1;
	}
	if (harness_path(h, "kgw-under-test", path, sizeof(path)) < 0 ||
	    hgw_write_config(h, extra) < 0) {
		harness_fail(h, "cannot write %s", h->cfg);
		return -1;
	}
	h->gw_starts++;
	log = fopen(h->gwlog, "a");
	if (log != NULL) {
		fprintf(log, "=== harness: gateway start #%d at %lld ms\n", h->gw_starts,
		    (long long)hproc_wall_ms());
		fclose(log);
	}
	h->gwlog_start = stat(h->gwlog, &st) == 0 ? (long)st.st_size : 0;
	h->gw_pid = hproc_spawn(argv, h->gwlog, h->gwlog);
	if (h->gw_pid < 0) {
		h->gw_pid = 0;
		harness_fail(h, "cannot start %s", path);
		return -1;
	}
	return 0;
}

long
hgw_count_to_on(struct harness *h, int modem, const char *dest)
{
	struct hctl_sent *m = NULL;
	size_t n = 0;
	long k = 0;

	if (harness_sent_on(h, modem, &m, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		k += strcmp(m[i].dest, dest) == 0;
	hctl_sent_free(m, n);
	return k;
}

long
hgw_count_to(struct harness *h, const char *dest)
{
	return hgw_count_to_on(h, 1, dest);
}

long
hgw_count_to_all(struct harness *h, const char *dest)
{
	long total = 0;

	for (int k = 1; k <= h->opts.nmodems; k++) {
		long c = hgw_count_to_on(h, k, dest);

		if (c < 0)
			return -1;
		total += c;
	}
	return total;
}

struct hgw_nth {
	int modem;
	const char *dest;
	long k;
	struct hctl_sent *out;
};

static int
hgw_nth_pred(struct harness *h, void *arg)
{
	struct hgw_nth *a = arg;
	struct hctl_sent *m = NULL;
	size_t n = 0;
	long k = 0;
	int found = 0;

	if (harness_sent_on(h, a->modem, &m, &n) < 0)
		return 0;
	for (size_t i = 0; i < n && !found; i++) {
		if (strcmp(m[i].dest, a->dest) != 0 || ++k < a->k)
			continue;
		*a->out = m[i];
		a->out->text = strdup(m[i].text != NULL ? m[i].text : "");
		found = a->out->text != NULL ? 1 : 0;
	}
	hctl_sent_free(m, n);
	return found;
}

int
hgw_wait_nth_on(struct harness *h, int modem, const char *dest, long k, int timeout_ms,
    struct hctl_sent *out)
{
	struct hgw_nth a = { modem, dest, k, out };
	char what[112];

	memset(out, 0, sizeof(*out));
	if (modem == 1 && h->opts.nmodems <= 1)
		snprintf(what, sizeof(what), "message %ld to %s", k, dest);
	else
		snprintf(what, sizeof(what), "message %ld to %s through modem%d", k, dest, modem);
	return harness_wait(h, timeout_ms, what, hgw_nth_pred, &a);
}

int
hgw_wait_nth(struct harness *h, const char *dest, long k, int timeout_ms, struct hctl_sent *out)
{
	return hgw_wait_nth_on(h, 1, dest, k, timeout_ms, out);
}

int
hgw_converse(struct harness *h, const char *from, const char *text, int timeout_ms,
    struct hctl_sent *out)
{
	long before = hgw_count_to(h, from);

	memset(out, 0, sizeof(*out));
	if (before < 0 || harness_inject(h, from, text) < 0)
		return -1;
	return hgw_wait_nth(h, from, before + 1, timeout_ms, out);
}

void
hgw_msg_free(struct hctl_sent *m)
{
	free(m->text);
	m->text = NULL;
}
