/* control.h - the line protocol tests use to drive the simulated modem
 * (INJECT, SENT, FAULT, UNPLUG, ...; see sim/README.md). */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include "modem.h"
#include "sbuf.h"

#define CONTROL_LINE_MAX 65536

struct control_hooks {
	/* Unplugs the device for ms milliseconds; NULL when unsupported (stdio). */
	int (*unplug)(void *arg, long ms);
	void *arg;
};

/* Answers one request line (no newline) into reply; every reply ends with
 * a line starting "OK" or "ERR". Returns 1 when the client asked to QUIT. */
int control_handle(struct modem *m, const struct control_hooks *h, const char *line,
    struct sbuf *reply);

#endif
