/* ctl_client.c - a blocking client for the kawan-modemsim control socket. */
#include "ctl_client.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/util.h"

int
ctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (util_strcopy(sa.sun_path, sizeof(sa.sun_path), path) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int
ctl_write_all(int fd, const char *p, size_t n)
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

/* Returns 0 (OK), 1 (ERR) once the reply's last line is final, else -1. */
static int
ctl_final(const struct sbuf *r)
{
	if (r->len == 0 || r->data[r->len - 1] != '\n')
		return -1;
	size_t start = r->len - 1;
	while (start > 0 && r->data[start - 1] != '\n')
		start--;
	const char *l = r->data + start;
	if (strncmp(l, "OK", 2) == 0 && (l[2] == ' ' || l[2] == '\n'))
		return 0;
	if (strncmp(l, "ERR", 3) == 0 && (l[3] == ' ' || l[3] == '\n'))
		return 1;
	return -1;
}

int
ctl_request(int fd, const char *line, struct sbuf *reply, int timeout_ms)
{
	sbuf_reset(reply);
	if (ctl_write_all(fd, line, strlen(line)) < 0 || ctl_write_all(fd, "\n", 1) < 0)
		return -1;
	int64_t deadline = util_mono_ms() + timeout_ms;
	for (;;) {
		int rc = ctl_final(reply);
		if (rc >= 0)
			return rc;
		int wait = -1;
		if (timeout_ms > 0) {
			int64_t left = deadline - util_mono_ms();
			if (left <= 0)
				return -1;
			wait = (int)left;
		}
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int pr = poll(&p, 1, wait);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			return -1;
		char buf[8192];
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0 || sbuf_add(reply, buf, (size_t)n) < 0)
			return -1;
	}
}

int
ctl_requestf(int fd, struct sbuf *reply, int timeout_ms, const char *fmt, ...)
{
	struct sbuf line;
	va_list ap;
	char tmp[256];
	sbuf_init(&line);
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(tmp)) {
		sbuf_add(&line, tmp, (size_t)n);
	} else {
		va_start(ap, fmt);
		char *big = NULL;
		if (vasprintf(&big, fmt, ap) >= 0)
			sbuf_adds(&line, big);
		va_end(ap);
		free(big);
	}
	int rc = line.data ? ctl_request(fd, line.data, reply, timeout_ms) : -1;
	sbuf_free(&line);
	return rc;
}

const char *
ctl_final_line(const struct sbuf *reply, char *buf, size_t bufsz)
{
	if (bufsz == 0)
		return buf;
	buf[0] = '\0';
	if (reply->len == 0)
		return buf;
	size_t end = reply->len;
	if (reply->data[end - 1] == '\n')
		end--;
	size_t start = end;
	while (start > 0 && reply->data[start - 1] != '\n')
		start--;
	size_t n = end - start < bufsz - 1 ? end - start : bufsz - 1;
	memcpy(buf, reply->data + start, n);
	buf[n] = '\0';
	return buf;
}

void
ctl_close(int fd)
{
	if (fd >= 0)
		close(fd);
}
