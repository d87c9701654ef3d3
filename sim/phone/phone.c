/* phone.c - kawan-phone: a terminal "feature phone" for the demo. Lines typed
 * become SMS injected into kawan-modemsim; SMS the gateway sends back to the
 * current number are shown as boxed messages; /ussd dials the gateway's
 * USSD link (phone_ussd.c). With --ussd alone it dials once and exits. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "ctl_client.h"
#include "phone_box.h"
#include "phone_ussd.h"
#include "textcode.h"

#define PHONE_POLL_MS 200
#define PHONE_TIMEOUT_MS 5000

struct phone {
	int fd;
	char from[32];
	unsigned last_id;
	int tty; /* colours only on a terminal */
	struct sbuf reply;
	struct phone_ussd ussd; /* ussd.url NULL: no USSD link */
	const char *code;       /* the service code /ussd dials by default */
};

static void
phone_help(const struct phone *ph)
{
	printf("Type a message and press Enter to send it as an SMS.\n"
	       "  /from +6598765432   switch to another phone number\n"
	       "  /ussd [%s]%*s dial a USSD code (answer each screen; empty or\n"
	       "                      /cancel closes it), then back to SMS\n"
	       "  /help               this help\n"
	       "  /quit               leave\n",
	    ph->code, (int)(strlen(ph->code) < 11 ? 11 - strlen(ph->code) : 0), "");
	if (ph->ussd.url == NULL)
		printf("(no USSD link: start kawan-phone with --ussd URL for /ussd)\n");
}

static void
phone_show(const struct phone *ph, const char *coding, int nparts, const char *text)
{
	phone_box("From: Kawan", text);
	phone_box_note(ph->tty, "%s, %d part%s", coding, nparts, nparts == 1 ? "" : "s");
}

/* Fields of "MSG id dest coding class nparts hex t1 t2". Returns 0 or -1. */
static int
phone_parse_msg(char *line, unsigned *id, char **dest, char **coding, int *nparts, char **hex)
{
	char *f[9];
	int n = 0;
	char *s = line;
	while (n < 9 && s && *s) {
		f[n++] = s;
		s = strchr(s, ' ');
		if (s)
			*s++ = '\0';
	}
	long v, parts;
	if (n < 9 || strcmp(f[0], "MSG") != 0 || util_parse_long(f[1], 1, 0x7FFFFFFFL, &v) < 0 ||
	    util_parse_long(f[5], 1, 255, &parts) < 0)
		return -1;
	*id = (unsigned)v;
	*dest = f[2];
	*coding = f[3];
	*nparts = (int)parts;
	*hex = f[6];
	return 0;
}

static int
phone_same_number(const char *a, const char *b)
{
	while (*a == '+')
		a++;
	while (*b == '+')
		b++;
	return strcmp(a, b) == 0;
}

static void
phone_show_hex(const struct phone *ph, const char *coding, int nparts, const char *hex)
{
	size_t n = strcmp(hex, "-") == 0 ? 0 : strlen(hex);
	char *text = malloc(n / 2 + 1);
	if (!text)
		return;
	int k = textcode_hex_decode(hex, n, (uint8_t *)text, n / 2);
	text[k < 0 ? 0 : k] = '\0';
	phone_show(ph, coding, nparts, text);
	free(text);
}

/* Fetches new sent messages; shows those to our number unless quiet. */
static int
phone_poll_sent(struct phone *ph, int quiet)
{
	if (ctl_requestf(ph->fd, &ph->reply, PHONE_TIMEOUT_MS, "SENT %u", ph->last_id) != 0)
		return -1;
	char *line = ph->reply.data;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		unsigned id;
		char *dest, *coding, *hex;
		int nparts;
		if (phone_parse_msg(line, &id, &dest, &coding, &nparts, &hex) == 0) {
			if (id > ph->last_id)
				ph->last_id = id;
			if (!quiet && phone_same_number(dest, ph->from))
				phone_show_hex(ph, coding, nparts, hex);
		}
		line = nl ? nl + 1 : NULL;
	}
	fflush(stdout);
	return 0;
}

static int
phone_send(struct phone *ph, const char *text)
{
	struct sbuf line;
	sbuf_init(&line);
	sbuf_printf(&line, "INJECT %s ", ph->from);
	if (*text == '\0')
		sbuf_adds(&line, "-");
	else
		textcode_hex_append(&line, (const uint8_t *)text, strlen(text), 0);
	int rc = line.data ? ctl_request(ph->fd, line.data, &ph->reply, PHONE_TIMEOUT_MS) : -1;
	sbuf_free(&line);
	if (rc < 0)
		return -1;
	char last[128];
	const char *status = rc == 0 ? "sent" : ctl_final_line(&ph->reply, last, sizeof(last));
	phone_box_note(ph->tty, "%s", status);
	return 0;
}

/* "/ussd [code]": one USSD dialog, then back to SMS. 1 when stdin ended. */
static int
phone_ussd(struct phone *ph, const char *arg)
{
	while (*arg == ' ')
		arg++;
	if (ph->ussd.url == NULL) {
		printf("no USSD link: start kawan-phone with --ussd URL\n");
		return 0;
	}
	if (strchr(arg, ' ') != NULL || strlen(arg) > 32) {
		printf("usage: /ussd [%s]\n", ph->code);
		return 0;
	}
	if (phone_ussd_dial(&ph->ussd, ph->from, arg[0] != '\0' ? arg : ph->code, stdin) == 1)
		return 1;
	printf("back to SMS as %s\n", ph->from);
	return 0;
}

/* Handles one typed line. Returns 1 to quit, -1 on a lost connection. */
static int
phone_line(struct phone *ph, char *line)
{
	line[strcspn(line, "\r\n")] = '\0';
	if (strcmp(line, "/quit") == 0)
		return 1;
	if (strcmp(line, "/help") == 0) {
		phone_help(ph);
		return 0;
	}
	if (strcmp(line, "/ussd") == 0 || strncmp(line, "/ussd ", 6) == 0)
		return phone_ussd(ph, line + 5);
	if (strncmp(line, "/from ", 6) == 0) {
		if (util_strcopy(ph->from, sizeof(ph->from), line + 6) < 0 || strchr(ph->from, ' '))
			printf("number too long or has spaces\n");
		else
			printf("now texting as %s\n", ph->from);
		return 0;
	}
	if (line[0] == '/') {
		printf("unknown command; /help lists them\n");
		return 0;
	}
	return phone_send(ph, line) < 0 ? -1 : 0;
}

static int
phone_run(struct phone *ph)
{
	char buf[2048];
	int64_t next = util_mono_ms();
	for (;;) {
		int64_t now = util_mono_ms();
		if (now >= next) {
			if (phone_poll_sent(ph, 0) < 0)
				return -1;
			next = now + PHONE_POLL_MS;
		}
		struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
		int pr = poll(&p, 1, (int)(next - util_mono_ms() > 0 ? next - util_mono_ms() : 0));
		if (pr < 0 && errno != EINTR)
			return -1;
		if (pr <= 0)
			continue;
		if (!fgets(buf, sizeof(buf), stdin))
			return 0;
		int rc = phone_line(ph, buf);
		if (rc != 0)
			return rc > 0 ? 0 : -1;
		next = util_mono_ms(); /* look for a reply right away */
	}
}

static void
phone_usage(void)
{
	fprintf(stderr,
	    "usage: kawan-phone --control SOCK [--from +60123456789] [USSD options]\n"
	    "       kawan-phone --ussd URL [--from +60123456789] [--code *123#]\n"
	    "USSD options: --ussd URL [--ussd-secret S] [--code *123#] [--network 50212]\n");
}

/* --ussd without --control: one dialog, then exit (1 after an error). */
static int
phone_ussd_only(struct phone *ph)
{
	int rc = phone_ussd_dial(&ph->ussd, ph->from, ph->code, stdin);

	return rc < 0 ? 1 : 0;
}

/* The SMS phone on the simulator's control socket sock. */
static int
phone_sms(struct phone *ph, const char *sock)
{
	ph->fd = ctl_connect(sock);
	if (ph->fd < 0)
		fatal("cannot connect to %s", sock);
	sbuf_init(&ph->reply);
	if (phone_poll_sent(ph, 1) < 0)
		fatalx("the simulator does not answer");
	printf("kawan-phone: texting as %s. %s/help for commands.\n", ph->from,
	    ph->ussd.url != NULL ? "/ussd dials USSD, " : "");
	int rc = phone_run(ph);
	ctl_close(ph->fd);
	sbuf_free(&ph->reply);
	if (rc < 0)
		log_warnx("lost the connection to the simulator");
	return rc < 0 ? 1 : 0;
}

/* No control characters (the secret goes into an HTTP header). */
static int
phone_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "control", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ "ussd", required_argument, NULL, 'u' },
		{ "ussd-secret", required_argument, NULL, 's' },
		{ "code", required_argument, NULL, 'k' },
		{ "network", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct phone ph = { .fd = -1, .from = "+60123456789", .last_id = 0, .code = "*123#" };
	const char *sock = NULL;
	int c, bad = 0, rc;

	log_init("kawan-phone", LOG_LEVEL_WARN);
	ph.ussd.network = "50212";
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			sock = optarg;
		else if (c == 'f' && util_strcopy(ph.from, sizeof(ph.from), optarg) < 0)
			fatalx("--from too long");
		else if (c == 'u')
			ph.ussd.url = optarg;
		else if (c == 's')
			ph.ussd.secret = optarg;
		else if (c == 'k')
			ph.code = optarg;
		else if (c == 'n')
			ph.ussd.network = optarg;
		else if (c != 'f')
			bad = 1;
	}
	if (bad || (!sock && !ph.ussd.url) || optind != argc) {
		phone_usage();
		return 2;
	}
	if (ph.ussd.secret != NULL && !phone_printable(ph.ussd.secret))
		fatalx("--ussd-secret has control characters");
	ph.tty = isatty(STDOUT_FILENO);
	ph.ussd.tty = ph.tty;
	if (ph.ussd.url != NULL && phone_ussd_init() < 0)
		fatalx("cannot start libcurl");
	rc = sock != NULL ? phone_sms(&ph, sock) : phone_ussd_only(&ph);
	if (ph.ussd.url != NULL)
		phone_ussd_cleanup();
	return rc;
}
