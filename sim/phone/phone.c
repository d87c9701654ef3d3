/* phone.c - kawan-phone: a terminal "feature phone" for the demo. Lines typed
 * become SMS injected into kawan-modemsim; SMS the gateway sends back to the
 * current number are shown as boxed messages. */
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
#include "textcode.h"

#define PHONE_POLL_MS 200
#define PHONE_BOX_COLS 40
#define PHONE_TIMEOUT_MS 5000

struct phone {
	int fd;
	char from[32];
	unsigned last_id;
	int tty; /* colours only on a terminal */
	struct sbuf reply;
};

static void
phone_help(void)
{
	printf("Type a message and press Enter to send it as an SMS.\n"
	       "  /from +6598765432   switch to another phone number\n"
	       "  /help               this help\n"
	       "  /quit               leave\n");
}

/* True for combining marks of the scripts our users read (Thai, Lao,
 * Burmese, Khmer) and general diacritics: they take no column. */
static int
phone_zero_width(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x0E31 || (cp >= 0x0E34 && cp <= 0x0E3A) ||
	       (cp >= 0x0E47 && cp <= 0x0E4E) || cp == 0x0EB1 || (cp >= 0x0EB4 && cp <= 0x0EBC) ||
	       (cp >= 0x0EC8 && cp <= 0x0ECD) || (cp >= 0x102B && cp <= 0x103E) ||
	       (cp >= 0x17B4 && cp <= 0x17D3) || (cp >= 0x200B && cp <= 0x200D);
}

/* Display columns of len bytes of UTF-8 (an approximation: one per
 * non-combining code point). */
static size_t
phone_cols(const char *s, size_t len)
{
	uint32_t cps[PHONE_BOX_COLS * 4];
	int n = textcode_utf8_to_cps(s, len, cps, sizeof(cps) / sizeof(cps[0]));
	size_t cols = 0;
	for (int i = 0; i < n; i++)
		cols += !phone_zero_width(cps[i]);
	return n < 0 ? len : cols;
}

/* Bytes in the UTF-8 character at s (stops at a NUL). */
static size_t
phone_charlen(const char *s)
{
	size_t n = 1;
	while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
		n++;
	return n;
}

/* Prints one line of the box, padded to the box width. */
static void
phone_box_line(const char *s, size_t len)
{
	size_t cols = phone_cols(s, len);
	printf("│ %.*s%*s │\n", (int)len, s,
	    (int)(cols < PHONE_BOX_COLS ? PHONE_BOX_COLS - cols : 0), "");
}

/* Wraps text at PHONE_BOX_COLS code points, breaking at newlines. */
static void
phone_box_text(const char *text)
{
	const char *p = text;
	while (*p) {
		size_t cols = 0, i = 0, last_space = 0;
		while (p[i] && p[i] != '\n' && cols < PHONE_BOX_COLS) {
			if (p[i] == ' ')
				last_space = i;
			size_t k = phone_charlen(p + i);
			cols += phone_cols(p + i, k);
			i += k;
		}
		/* keep trailing combining marks with their base */
		while (p[i] && phone_cols(p + i, phone_charlen(p + i)) == 0)
			i += phone_charlen(p + i);
		if (p[i] && p[i] != '\n' && last_space > 0)
			i = last_space;
		phone_box_line(p, i);
		p += i;
		if (*p == '\n' || *p == ' ')
			p++;
	}
}

static void
phone_rule(const char *left, const char *right)
{
	printf("%s", left);
	for (int i = 0; i < PHONE_BOX_COLS + 2; i++)
		printf("─");
	printf("%s\n", right);
}

static void
phone_show(const struct phone *ph, const char *coding, int nparts, const char *text)
{
	printf("\n");
	phone_rule("┌", "┐");
	phone_box_line("From: Kawan", strlen("From: Kawan"));
	phone_rule("├", "┤");
	phone_box_text(text);
	phone_rule("└", "┘");
	printf("%s  %s, %d part%s%s\n", ph->tty ? "\033[2m" : "", coding, nparts,
	    nparts == 1 ? "" : "s", ph->tty ? "\033[0m" : "");
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
	printf("%s  %s%s\n", ph->tty ? "\033[2m" : "", status, ph->tty ? "\033[0m" : "");
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
		phone_help();
		return 0;
	}
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

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "control", required_argument, NULL, 'c' },
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct phone ph = { .fd = -1, .from = "+60123456789", .last_id = 0 };
	const char *sock = NULL;
	int c, bad = 0;
	log_init("kawan-phone", LOG_LEVEL_WARN);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			sock = optarg;
		else if (c == 'f' && util_strcopy(ph.from, sizeof(ph.from), optarg) < 0)
			fatalx("--from too long");
		else if (c != 'f')
			bad = 1;
	}
	if (bad || !sock || optind != argc) {
		fprintf(stderr, "usage: kawan-phone --control SOCK [--from +60123456789]\n");
		return 2;
	}
	ph.fd = ctl_connect(sock);
	if (ph.fd < 0)
		fatal("cannot connect to %s", sock);
	ph.tty = isatty(STDOUT_FILENO);
	sbuf_init(&ph.reply);
	if (phone_poll_sent(&ph, 1) < 0)
		fatalx("the simulator does not answer");
	printf("kawan-phone: texting as %s. /help for commands.\n", ph.from);
	int rc = phone_run(&ph);
	ctl_close(ph.fd);
	sbuf_free(&ph.reply);
	if (rc < 0)
		log_warnx("lost the connection to the simulator");
	return rc < 0 ? 1 : 0;
}
