/* wake.h - a waker: one thread commits, then wakes the thread that must act
 * (DESIGN.md "Threads and channels"). An eventfd: wakes are counted, never
 * lost, and many wakes before the sleeper looks are one wake-up. */
#ifndef KAWAN_WAKE_H
#define KAWAN_WAKE_H

struct waker {
	int fd; /* eventfd, -1 when closed */
};

/* Opens w. 0 or -1 (logged). */
int wake_open(struct waker *w) __attribute__((warn_unused_result));
void wake_close(struct waker *w);
/* Wakes whoever sleeps on w (async-signal-safe, any thread). */
void wake_up(struct waker *w);
/* Clears pending wakes; true when there was at least one. */
int wake_drain(struct waker *w);
/* Sleeps until woken or timeout_ms passed (-1: no timeout); drains. Returns
 * 1 when woken, 0 on timeout or an interrupting signal. */
int wake_wait(struct waker *w, int timeout_ms);

#endif
