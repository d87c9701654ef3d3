/* ctl_csv.c - the one CSV cell writer of kawanctl (reports export, content
 * review): RFC 4180 quoting, and spreadsheet formula injection
 * neutralised as OWASP recommends ("CSV Injection"): a cell that starts
 * with '=', '+', '-', '@', a tab or a carriage return is led by an
 * apostrophe and quoted, so a spreadsheet shows it as text and never runs
 * it. A phone number "+60123456789" is written "'+60123456789": it reads
 * as the number, keeps its '+', and a spreadsheet does not turn it into a
 * sum or drop its leading zeros. Tools that read the export back (not a
 * spreadsheet) strip one leading apostrophe from such a cell. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl.h"

bool
ctl_csv_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void
ctl_csv_field(FILE *fp, const char *s)
{
	bool formula = ctl_csv_formula(s);

	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}
