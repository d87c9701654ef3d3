/* wake.c - an eventfd that one thread writes after a commit and another
 * sleeps on in poll(). */
#include "core/wake.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/log.h"

int
wake_open(struct waker *w)
{
	w->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->fd < 0) {
		log_warn("eventfd");
		return -1;
	}
	return 0;
}

void
wake_close(struct waker *w)
{
	if (w->fd >= 0)
		(void)close(w->fd);
	w->fd = -1;
}

void
wake_up(struct waker *w)
{
	uint64_t one = 1;
	int saved = errno;

	/* EAGAIN only when the counter is near 2^64: it is awake anyway. */
	if (write(w->fd, &one, sizeof(one)) < 0) {
		/* nothing to do: the sleeper is already due to wake */
	}
	errno = saved;
}

int
wake_drain(struct waker *w)
{
	uint64_t n = 0;

	return read(w->fd, &n, sizeof(n)) == (ssize_t)sizeof(n) && n > 0;
}

int
wake_wait(struct waker *w, int timeout_ms)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };
	int n = poll(&pfd, 1, timeout_ms);

	if (n <= 0)
		return 0;
	return wake_drain(w);
}
