/* ctl_client.h - a blocking client for the kawan-modemsim control socket,
 * shared by kawan-phone, the test harness and benchmarks. */
#ifndef SIM_CTL_CLIENT_H
#define SIM_CTL_CLIENT_H

#include <stddef.h>

#include "sbuf.h"

/* Connects to the socket at path; returns the fd or -1 (errno set). */
int ctl_connect(const char *path);
/* Sends line (a "\n" is added) and reads the whole reply into reply (reset
 * first; caller owns it) up to and including the final OK/ERR line.
 * Returns 0 when the final line starts with "OK", 1 when with "ERR",
 * -1 on I/O errors or a timeout of timeout_ms (<= 0: wait forever). */
int ctl_request(int fd, const char *line, struct sbuf *reply, int timeout_ms);
/* Like ctl_request but formats the line. */
int ctl_requestf(int fd, struct sbuf *reply, int timeout_ms, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The last line of a reply (the OK/ERR line), without its newline, in buf. */
const char *ctl_final_line(const struct sbuf *reply, char *buf, size_t bufsz);
void ctl_close(int fd);

#endif
