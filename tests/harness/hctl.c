/* hctl.c - kawan-modemsim's control socket for the tests (through the
 * sim's ctl_client, as kawan-phone uses it), and reply parsers. */
#include "hctl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_client.h" /* sim/modem/: the one client of the control socket */

int
hctl_cmd(const char *path, const char *cmd, int timeout_ms, struct hbuf *reply)
{
	struct sbuf r;
	int fd, rc;

	if (timeout_ms <= 0)
		return -1; /* ctl_request would wait forever */
	fd = ctl_connect(path);
	if (fd < 0) {
		if (errno == ENAMETOOLONG)
			fprintf(stderr, "harness: control socket path too long: %s\n", path);
		return -1;
	}
	sbuf_init(&r);
	rc = ctl_request(fd, cmd, &r, timeout_ms);
	if (rc < 0)
		fprintf(stderr, "harness: control command '%.60s' failed or timed out\n", cmd);
	if (r.len > 0 && hbuf_add(reply, r.data, r.len) < 0)
		rc = -1;
	sbuf_free(&r);
	ctl_close(fd);
	return rc;
}

void
hctl_sent_free(struct hctl_sent *msgs, size_t n)
{
	if (msgs == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(msgs[i].text);
	free(msgs);
}

static int
hctl_parse_sent_line(const char *line, size_t len, struct hctl_sent *m)
{
	char hex[16384];
	char fmt[128];
	long long t1, t2;
	struct hbuf text;

	if (len >= sizeof(hex))
		return -1;
	snprintf(fmt, sizeof(fmt), "MSG %%u %%%zus %%%zus %%%zus %%d %%%zus %%lld %%lld",
	    sizeof(m->dest) - 1, sizeof(m->coding) - 1, sizeof(m->msg_class) - 1, sizeof(hex) - 1);
	memset(m, 0, sizeof(*m));
	/* the format is built from sizes above, not from input */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (sscanf(line, fmt, &m->id, m->dest, m->coding, m->msg_class, &m->nparts, hex, &t1,
		&t2) != 8)
		return -1;
#pragma GCC diagnostic pop
	m->t_first_ms = t1;
	m->t_last_ms = t2;
	hbuf_init(&text);
	if (strcmp(hex, "-") != 0 && hbuf_unhex(&text, hex, strlen(hex)) < 0)
		return -1;
	if (hbuf_add(&text, "", 0) < 0) {
		hbuf_free(&text);
		return -1;
	}
	m->text = text.data;
	return 0;
}

int
hctl_parse_sent(const char *reply, struct hctl_sent **out, size_t *n)
{
	struct hctl_sent *msgs = NULL;
	size_t count = 0, cap = 0;
	const char *p = reply;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (strncmp(p, "MSG ", 4) == 0) {
			if (count == cap) {
				size_t ncap = cap ? cap * 2 : 64;
				struct hctl_sent *q = realloc(msgs, ncap * sizeof(*q));
				if (q == NULL)
					goto fail;
				msgs = q;
				cap = ncap;
			}
			if (hctl_parse_sent_line(p, len, &msgs[count]) < 0) {
				fprintf(stderr, "harness: bad SENT line: %.*s\n", (int)len, p);
				goto fail;
			}
			count++;
		}
		p = nl ? nl + 1 : NULL;
	}
	*out = msgs;
	*n = count;
	return 0;
fail:
	hctl_sent_free(msgs, count);
	return -1;
}

int
hctl_parse_events(const char *reply, struct hctl_event **out, size_t *n)
{
	struct hctl_event *ev = NULL;
	size_t count = 0, cap = 0;
	const char *p = reply;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, "EV ", 3) == 0) {
			struct hctl_event e;
			unsigned long long seq;
			int used = 0;

			memset(&e, 0, sizeof(e));
			if (sscanf(p, "EV %llu %lf %15s %n", &seq, &e.t_ms, e.kind, &used) < 3)
				goto fail;
			e.seq = seq;
			if (used > 0) {
				size_t dl = nl ? (size_t)(nl - (p + used)) : strlen(p + used);
				if (dl >= sizeof(e.detail))
					dl = sizeof(e.detail) - 1;
				memcpy(e.detail, p + used, dl);
			}
			if (count == cap) {
				size_t ncap = cap ? cap * 2 : 256;
				struct hctl_event *q = realloc(ev, ncap * sizeof(*q));
				if (q == NULL)
					goto fail;
				ev = q;
				cap = ncap;
			}
			ev[count++] = e;
		}
		p = nl ? nl + 1 : NULL;
	}
	*out = ev;
	*n = count;
	return 0;
fail:
	free(ev);
	return -1;
}

int
hctl_parse_stat(const char *reply, const char *key, long *out)
{
	size_t klen = strlen(key);

	for (const char *p = strstr(reply, key); p != NULL; p = strstr(p + 1, key)) {
		const char *v = p + klen;
		char *end;
		long val;

		if (p > reply && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		if (*v != '=' && *v != ':' && *v != ' ')
			continue;
		v++;
		while (*v == ' ')
			v++;
		val = strtol(v, &end, 10);
		if (end == v)
			continue;
		*out = val;
		return 0;
	}
	return -1;
}
