/* main.c - kawan-modemsim: a simulated GSM modem on a pseudo-terminal (or
 * stdin/stdout) driven by tests through a Unix control socket. One poll loop. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "core/log.h"
#include "core/util.h"
#include "modem.h"
#include "ptydev.h"

#define MAIN_MAX_CLIENTS 32

struct main_client {
	int fd;
	int closing;
	struct sbuf in, out;
};

struct main_sim {
	struct modem m;
	struct ptydev pty;
	int stdio;
	const char *link, *sock_path, *events_path;
	int listen_fd;
	int64_t replug_at; /* monotonic ms; 0: plugged or stdio */
	struct main_client clients[MAIN_MAX_CLIENTS];
};

static volatile sig_atomic_t main_stop;

static void
main_on_signal(int sig)
{
	(void)sig;
	main_stop = 1;
}

static void
main_usage(void)
{
	fprintf(stderr, "usage: kawan-modemsim --link PATH | --stdio, --control SOCK [--pin 1234]\n"
			"       [--capacity N] [--smsc +60...] [--log FILE] [--events FILE] [-v]\n"
			"       [--imsi DIGITS] [--iccid DIGITS] [--operator NAME]\n"
			"       [--balance TEXT] [--signal 1..31|99]\n");
	exit(2);
}

static int
main_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (util_strcopy(sa.sun_path, sizeof(sa.sun_path), path) < 0)
		fatalx("control socket path too long: %s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fatal("socket");
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0)
		fatal("bind/listen %s", path);
	return fd;
}

static int
main_dev_in(const struct main_sim *s)
{
	return s->stdio ? STDIN_FILENO : s->pty.master;
}

static int
main_dev_out(const struct main_sim *s)
{
	return s->stdio ? STDOUT_FILENO : s->pty.master;
}

static int
main_unplug(void *arg, long ms)
{
	struct main_sim *s = arg;
	if (s->pty.master >= 0)
		ptydev_close(&s->pty);
	modem_reset(&s->m);
	events_add(&s->m.ev, "UNPLUG", "%ld", ms);
	s->replug_at = util_mono_ms() + ms;
	if (s->replug_at == 0)
		s->replug_at = 1;
	log_info("modemsim: unplugged for %ld ms", ms);
	return 0;
}

static void
main_replug(struct main_sim *s)
{
	s->replug_at = 0;
	modem_reset(&s->m);
	if (ptydev_open(&s->pty, s->link) < 0) {
		log_warnx("modemsim: replug failed, retrying in 1 s");
		s->replug_at = util_mono_ms() + 1000;
		return;
	}
	events_add(&s->m.ev, "PLUG", "%s", s->pty.slave_path);
	log_info("modemsim: plugged in again as %s", s->pty.slave_path);
}

static void
main_dev_read(struct main_sim *s)
{
	char buf[4096];
	ssize_t n = read(main_dev_in(s), buf, sizeof(buf));
	if (n > 0) {
		modem_feed(&s->m, buf, (size_t)n);
		return;
	}
	if (n == 0 && s->stdio) {
		log_info("modemsim: stdin closed");
		main_stop = 1;
	} else if (n < 0 && errno != EAGAIN && errno != EINTR && errno != EIO) {
		log_warn("modemsim: device read");
	}
}

static void
main_dev_write(struct main_sim *s)
{
	struct sbuf *o = &s->m.out;
	if (o->len == 0 || (!s->stdio && s->pty.master < 0) ||
	    modem_out_held(&s->m, util_mono_ms()))
		return;
	ssize_t n = write(main_dev_out(s), o->data, o->len);
	if (n > 0)
		sbuf_consume(o, (size_t)n);
	else if (n < 0 && errno != EAGAIN && errno != EINTR)
		log_warn("modemsim: device write");
}

static void
main_client_close(struct main_client *c)
{
	close(c->fd);
	sbuf_free(&c->in);
	sbuf_free(&c->out);
	c->fd = -1;
}

static void
main_accept(struct main_sim *s)
{
	int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	for (int i = 0; i < MAIN_MAX_CLIENTS; i++) {
		struct main_client *c = &s->clients[i];
		if (c->fd >= 0)
			continue;
		c->fd = fd;
		c->closing = 0;
		sbuf_init(&c->in);
		sbuf_init(&c->out);
		return;
	}
	log_warnx("modemsim: too many control clients");
	close(fd);
}

static void
main_client_lines(struct main_sim *s, struct main_client *c)
{
	struct control_hooks h = { .unplug = s->stdio ? NULL : main_unplug, .arg = s };
	char *nl;
	while (!c->closing && (nl = memchr(c->in.data, '\n', c->in.len)) != NULL) {
		*nl = '\0';
		if (nl > c->in.data && nl[-1] == '\r')
			nl[-1] = '\0';
		c->closing = control_handle(&s->m, &h, c->in.data, &c->out);
		sbuf_consume(&c->in, (size_t)(nl - c->in.data) + 1);
	}
	if (c->in.len > CONTROL_LINE_MAX) {
		sbuf_adds(&c->out, "ERR line too long\n");
		sbuf_reset(&c->in);
	}
}

static void
main_client_io(struct main_sim *s, struct main_client *c, short rev)
{
	if (rev & (POLLIN | POLLHUP | POLLERR)) {
		char buf[8192];
		ssize_t n = read(c->fd, buf, sizeof(buf));
		if (n <= 0 && !(n < 0 && errno == EAGAIN)) {
			main_client_close(c);
			return;
		}
		if (n > 0 && sbuf_add(&c->in, buf, (size_t)n) == 0)
			main_client_lines(s, c);
	}
	if (c->out.len) {
		ssize_t n = write(c->fd, c->out.data, c->out.len);
		if (n > 0)
			sbuf_consume(&c->out, (size_t)n);
		else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			main_client_close(c);
			return;
		}
	}
	if (c->closing && c->out.len == 0)
		main_client_close(c);
}

#define MAIN_RELEASE_MS 200

static int
main_timeout(const struct main_sim *s)
{
	int64_t now = util_mono_ms();
	int t = modem_timeout(&s->m, now);
	/* Run as root (the tests), the port's exclusive mode is cleared at
	 * least this often (main_poll_once): see ptydev_release. */
	if (geteuid() == 0 && !s->stdio && (t < 0 || t > MAIN_RELEASE_MS))
		t = MAIN_RELEASE_MS;
	if (s->replug_at) {
		int r = s->replug_at <= now ? 0 : (int)(s->replug_at - now);
		if (t < 0 || r < t)
			t = r;
	}
	return t;
}

static void
main_poll_once(struct main_sim *s)
{
	struct pollfd p[MAIN_MAX_CLIENTS + 2];
	int idx[MAIN_MAX_CLIENTS];
	nfds_t n = 0;
	int dev = main_dev_in(s) >= 0;
	if (geteuid() == 0 && !s->stdio)
		ptydev_release(&s->pty);
	int out = s->m.out.len && !modem_out_held(&s->m, util_mono_ms());
	if (dev) {
		p[n++] = (struct pollfd){ .fd = main_dev_in(s), .events = POLLIN };
		if (out && s->stdio)
			p[n++] = (struct pollfd){ .fd = STDOUT_FILENO, .events = POLLOUT };
		else if (out)
			p[0].events |= POLLOUT;
	}
	nfds_t lst = n;
	p[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
	nfds_t first_client = n;
	for (int i = 0; i < MAIN_MAX_CLIENTS; i++) {
		struct main_client *c = &s->clients[i];
		if (c->fd < 0)
			continue;
		idx[n - first_client] = i;
		p[n++] = (struct pollfd){ .fd = c->fd,
			.events = (short)(POLLIN | (c->out.len ? POLLOUT : 0)) };
	}
	if (poll(p, n, main_timeout(s)) < 0 && errno != EINTR)
		fatal("poll");
	if (dev && (p[0].revents & POLLIN))
		main_dev_read(s);
	if (p[lst].revents & POLLIN)
		main_accept(s);
	for (nfds_t k = first_client; k < n; k++) {
		struct main_client *c = &s->clients[idx[k - first_client]];
		if (c->fd >= 0 && (p[k].revents || c->out.len))
			main_client_io(s, c, p[k].revents);
	}
	modem_tick(&s->m, util_mono_ms());
	if (s->replug_at && s->replug_at <= util_mono_ms())
		main_replug(s);
	main_dev_write(s);
}

static void
main_dump_events(const struct main_sim *s)
{
	if (!s->events_path)
		return;
	struct sbuf b;
	sbuf_init(&b);
	events_dump(&s->m.ev, 0, &b);
	FILE *f = fopen(s->events_path, "w");
	if (!f || (b.len && fwrite(b.data, 1, b.len, f) != b.len))
		log_warn("modemsim: writing %s", s->events_path);
	if (f)
		fclose(f);
	sbuf_free(&b);
}

static void
main_args(int argc, char **argv, struct main_sim *s, struct modem_config *cfg)
{
	static const struct option opts[] = {
		{ "link", required_argument, NULL, 'l' },
		{ "stdio", no_argument, NULL, 's' },
		{ "control", required_argument, NULL, 'c' },
		{ "pin", required_argument, NULL, 'p' },
		{ "capacity", required_argument, NULL, 'n' },
		{ "smsc", required_argument, NULL, 'm' },
		{ "log", required_argument, NULL, 'L' },
		{ "events", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "imsi", required_argument, NULL, 'I' },
		{ "iccid", required_argument, NULL, 'C' },
		{ "operator", required_argument, NULL, 'O' },
		{ "balance", required_argument, NULL, 'B' },
		{ "signal", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	long v;
	while ((c = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			s->link = optarg;
			break;
		case 's':
			s->stdio = 1;
			break;
		case 'c':
			s->sock_path = optarg;
			break;
		case 'p':
			cfg->pin = optarg;
			break;
		case 'm':
			cfg->smsc = optarg;
			break;
		case 'e':
			s->events_path = optarg;
			break;
		case 'I':
			cfg->imsi = optarg;
			break;
		case 'C':
			cfg->iccid = optarg;
			break;
		case 'O':
			cfg->operator= optarg;
			break;
		case 'B':
			cfg->balance = optarg;
			break;
		case 'S':
			if (util_parse_long(optarg, 1, 99, &v) < 0 || (v > 31 && v != 99))
				fatalx("--signal must be 1..31 or 99");
			cfg->signal = (int)v;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_DEBUG);
			break;
		case 'n':
			if (util_parse_long(optarg, 1, SIMSTORE_MAX, &v) < 0)
				fatalx("--capacity must be 1..%d", SIMSTORE_MAX);
			cfg->capacity = (int)v;
			break;
		case 'L':
			if (!freopen(optarg, "a", stderr))
				fatal("--log %s", optarg);
			setvbuf(stderr, NULL, _IOLBF, 0);
			break;
		default:
			main_usage();
		}
	}
	if (!s->sock_path || (!s->link) == (!s->stdio) || optind != argc)
		main_usage();
}

int
main(int argc, char **argv)
{
	static struct main_sim s; /* large (SIM slots); static keeps it off the stack */
	struct modem_config cfg = { .pin = NULL, .smsc = NULL, .capacity = 30 };
	log_init("kawan-modemsim", LOG_LEVEL_INFO);
	s.pty.master = s.pty.slave = -1;
	for (int i = 0; i < MAIN_MAX_CLIENTS; i++)
		s.clients[i].fd = -1;
	main_args(argc, argv, &s, &cfg);
	if (modem_init(&s.m, &cfg) < 0)
		fatalx("bad --pin, --smsc, --imsi, --iccid or --operator");
	struct sigaction sa = { .sa_handler = main_on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (!s.stdio && ptydev_open(&s.pty, s.link) < 0)
		fatalx("cannot create the modem device at %s", s.link);
	s.listen_fd = main_listen(s.sock_path);
	if (s.stdio) {
		fprintf(stderr, "READY stdio\n");
	} else {
		printf("READY %s\n", s.pty.slave_path);
		fflush(stdout);
	}
	while (!main_stop)
		main_poll_once(&s);
	main_dump_events(&s);
	ptydev_close(&s.pty);
	close(s.listen_fd);
	unlink(s.sock_path);
	for (int i = 0; i < MAIN_MAX_CLIENTS; i++) {
		if (s.clients[i].fd >= 0)
			main_client_close(&s.clients[i]);
	}
	modem_free(&s.m);
	return 0;
}
