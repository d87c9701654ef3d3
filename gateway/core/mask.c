/* mask.c - the one place that decides how a phone number appears in a log
 * line: masked to its last three characters unless the log level is debug
 * (which says at start that it logs personal data, log.c). */
#include "core/mask.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

const char *
mask_number_always(const char *num, char *buf, size_t bufsz)
{
	const char *digits;
	size_t n, skip;
	int w;

	if (buf == NULL || bufsz == 0)
		return "";
	if (num == NULL || num[0] == '\0') {
		if (util_strcopy(buf, bufsz, "(none)") < 0)
			buf[0] = '\0';
		return buf;
	}
	digits = num[0] == '+' ? num + 1 : num;
	n = strlen(digits);
	if (n <= MASK_KEEP) {
		w = snprintf(buf, bufsz, "%s***", num[0] == '+' ? "+" : "");
	} else {
		skip = n - MASK_KEEP;
		/* Never start inside a UTF-8 sequence (an alphanumeric sender). */
		while (skip < n && ((unsigned char)digits[skip] & 0xC0) == 0x80)
			skip++;
		w = snprintf(buf, bufsz, "%s***%s", num[0] == '+' ? "+" : "", digits + skip);
	}
	if (w < 0 || (size_t)w >= bufsz)
		buf[0] = '\0';
	return buf;
}

const char *
mask_number(const char *num, char *buf, size_t bufsz)
{
	if (buf == NULL || bufsz == 0)
		return "";
	if (!log_debug_enabled())
		return mask_number_always(num, buf, bufsz);
	if (num == NULL || num[0] == '\0')
		return mask_number_always(num, buf, bufsz);
	if (util_strcopy(buf, bufsz, num) < 0)
		return mask_number_always(num, buf, bufsz);
	return buf;
}

const char *
mask_if_number(const char *s, char *buf, size_t bufsz)
{
	const char *p;

	if (s == NULL)
		return mask_number(s, buf, bufsz);
	p = s[0] == '+' ? s + 1 : s;
	if (strlen(p) <= MASK_KEEP || strspn(p, "0123456789") != strlen(p))
		return s;
	return mask_number(s, buf, bufsz);
}
