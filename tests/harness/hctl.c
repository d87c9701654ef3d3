/* hctl.c - client of kawan-modemsim's control socket, and reply parsers. */
#include "hctl.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hproc.h"

static int
hctl_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "harness: control socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
hctl_send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* 0: reply ends with a final OK line, 1: with ERR, 2: not yet complete. */
static int
hctl_final(const struct hbuf *b, size_t start)
{
	const char *line, *end;

	if (b->len <= start || b->data[b->len - 1] != '\n')
		return 2;
	/* the last complete line */
	end = b->data + b->len - 1;
	line = end;
	while (line > b->data + start && line[-1] != '\n')
		line--;
	if (strncmp(line, "OK", 2) == 0)
		return 0;
	if (strncmp(line, "ERR", 3) == 0)
		return 1;
	return 2;
}

int
hctl_cmd(const char *path, const char *cmd, int timeout_ms, struct hbuf *reply)
{
	int64_t deadline = hproc_mono_ms() + timeout_ms;
	size_t start = reply->len;
	int fd, rc = -1;

	fd = hctl_connect(path);
	if (fd < 0)
		return -1;
	if (hctl_send_all(fd, cmd, strlen(cmd)) < 0 || hctl_send_all(fd, "\n", 1) < 0)
		goto done;
	for (;;) {
		char chunk[8192];
		struct pollfd pfd = { fd, POLLIN, 0 };
		int64_t left = deadline - hproc_mono_ms();
		ssize_t r;

		if (left <= 0) {
			fprintf(stderr, "harness: control command '%.60s' timed out\n", cmd);
			goto done;
		}
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			goto done;
		r = recv(fd, chunk, sizeof(chunk), 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			goto done;
		if (r == 0) {
			rc = hctl_final(reply, start);
			if (rc == 2)
				rc = -1;
			goto done;
		}
		if (hbuf_add(reply, chunk, (size_t)r) < 0)
			goto done;
		rc = hctl_final(reply, start);
		if (rc != 2)
			goto done;
		rc = -1;
	}
done:
	close(fd);
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
