/* ptydev.h - the modem's device node: a pseudo-terminal whose slave is
 * published as a symlink, so libgammu can open it with connection = at. */
#ifndef SIM_PTYDEV_H
#define SIM_PTYDEV_H

struct ptydev {
	int master; /* -1 when unplugged */
	int slave;  /* kept open so the gateway may close and reopen */
	char slave_path[64];
	char link[256]; /* borrowed path copied in */
};

/* Creates the pty (raw mode, non-blocking master) and the symlink.
 * Returns 0 or -1 (logged). */
int ptydev_open(struct ptydev *p, const char *link) __attribute__((warn_unused_result));
/* Closes both ends and removes the symlink; safe to call twice. */
void ptydev_close(struct ptydev *p);
/* Ends the exclusive mode (TIOCEXCL) a gateway set on the port. A real
 * serial port leaves it when the process that opened it dies; this one
 * stays open here (the slave), so the sim clears it itself, or a gateway
 * that dropped root could not open the port again after a restart. */
void ptydev_release(struct ptydev *p);

#endif
