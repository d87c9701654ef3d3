/* ptydev.c - a pseudo-terminal published as a symlink for libgammu. */
#include "ptydev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

int
ptydev_open(struct ptydev *p, const char *link)
{
	p->master = -1;
	p->slave = -1;
	if (util_strcopy(p->link, sizeof(p->link), link) < 0) {
		log_warnx("ptydev: link path too long");
		return -1;
	}
	p->master = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (p->master < 0 || grantpt(p->master) < 0 || unlockpt(p->master) < 0 ||
	    ptsname_r(p->master, p->slave_path, sizeof(p->slave_path)) != 0) {
		log_warn("ptydev: cannot create a pseudo-terminal");
		goto fail;
	}
	p->slave = open(p->slave_path, O_RDWR | O_NOCTTY);
	if (p->slave < 0) {
		log_warn("ptydev: open %s", p->slave_path);
		goto fail;
	}
	struct termios t;
	/* A simulated modem: open to any user, so a gateway that dropped root
	 * (tests run as root) can open it as a real modem through dialout. */
	if (geteuid() == 0 && fchmod(p->slave, 0666) < 0)
		log_warn("ptydev: chmod %s", p->slave_path);
	if (tcgetattr(p->slave, &t) == 0) {
		cfmakeraw(&t);
		cfsetispeed(&t, B115200);
		cfsetospeed(&t, B115200);
		if (tcsetattr(p->slave, TCSANOW, &t) < 0)
			log_warn("ptydev: tcsetattr");
	}
	if (unlink(p->link) < 0 && errno != ENOENT)
		log_warn("ptydev: unlink %s", p->link);
	if (symlink(p->slave_path, p->link) < 0) {
		log_warn("ptydev: symlink %s -> %s", p->link, p->slave_path);
		goto fail;
	}
	return 0;
fail:
	ptydev_close(p);
	return -1;
}

void
ptydev_close(struct ptydev *p)
{
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
	if (p->master >= 0 || p->slave >= 0) {
		char target[64];
		ssize_t n = readlink(p->link, target, sizeof(target) - 1);
		/* remove the link only while it still points at our pty */
		if (n > 0) {
			target[n] = '\0';
			if (strcmp(target, p->slave_path) == 0 && unlink(p->link) < 0)
				log_warn("ptydev: unlink %s", p->link);
		}
	}
	p->master = -1;
	p->slave = -1;
}

void
ptydev_release(struct ptydev *p)
{
	if (p->slave >= 0)
		(void)ioctl(p->slave, TIOCNXCL);
}
