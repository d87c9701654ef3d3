/* ctl_pin.c - `kawanctl pin-hash`: reads an officer's PIN (6-12 digits) from
 * stdin, without echo when stdin is a terminal, and prints the crypt(3)
 * hash (yescrypt, "$y$") to put in the configuration's pin_hash. The PIN
 * is wiped from memory before returning. A PIN anyone could guess (one
 * digit repeated, a run like 123456, the most-used PINs: config_pin_weak)
 * is refused, as the gateway refuses its hash at start. */
#include <crypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "config/config.h"
#include "ctl/ctl.h"

/* Reads one line (at most bufsz - 1 bytes; a longer line is refused) from
 * stdin into buf without the line end. 0 or -1. */
static int
ctl_pin_read(char *buf, size_t bufsz)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	size_t len = 0;
	int c, rc = 0;

	if (tty) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		fputs("PIN (6-12 digits, not shown): ", stderr);
		fflush(stderr);
		if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
			return -1;
	}
	for (c = getchar(); c != EOF && c != '\n'; c = getchar()) {
		if (len + 1 < bufsz)
			buf[len] = (char)c;
		else
			rc = -1; /* keep reading to the line end, then refuse */
		len++;
	}
	if (len > 0 && len < bufsz && buf[len - 1] == '\r')
		len--;
	buf[len < bufsz ? len : bufsz - 1] = '\0';
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	return rc;
}

int
ctl_pin_hash(struct ctl_opts *o, int argc, char **argv)
{
	char pin[32];
	char *setting = NULL;
	void *data = NULL;
	int size = 0, rc = 1;
	const char *hash, *why;

	(void)o;
	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: kawanctl pin-hash  (the PIN is read from stdin)\n");
		return 2;
	}
	if (ctl_pin_read(pin, sizeof(pin)) < 0) {
		fprintf(stderr, "kawanctl: a PIN is %d to %d digits (0-9), nothing else\n",
		    CONFIG_OFFICER_PIN_MIN, CONFIG_OFFICER_PIN_MAX);
		goto out;
	}
	why = config_pin_weak(pin);
	if (why != NULL) {
		fprintf(stderr,
		    "kawanctl: PIN refused: %s. A PIN is %d to %d digits that nobody could "
		    "guess: no repeats, no runs, no birthdays, no well-known PIN\n",
		    why, CONFIG_OFFICER_PIN_MIN, CONFIG_OFFICER_PIN_MAX);
		goto out;
	}
	setting = crypt_gensalt_ra("$y$", 0, NULL, 0);
	if (setting == NULL) {
		fprintf(stderr, "kawanctl: crypt_gensalt_ra failed\n");
		goto out;
	}
	hash = crypt_ra(pin, setting, &data, &size);
	if (hash == NULL || hash[0] == '*' || strlen(hash) >= CONFIG_HASH_MAX) {
		fprintf(stderr, "kawanctl: crypt_ra failed\n");
		goto out;
	}
	printf("%s\n", hash);
	rc = 0;
out:
	explicit_bzero(pin, sizeof(pin));
	if (data != NULL) {
		explicit_bzero(data, (size_t)size);
		free(data);
	}
	free(setting);
	return rc;
}
