/* at_args.c - splits AT command arguments into fields, quotes removed. */
#include "at.h"

#include <string.h>

#include "core/util.h"

int
at_args_parse(const char *s, struct at_args *a)
{
	memset(a, 0, sizeof(*a));
	if (!s || !*s)
		return 0;
	size_t len = 0;
	int inq = 0;
	a->n = 1;
	for (; *s; s++) {
		char c = *s;
		if (c == '"') {
			inq = !inq;
			a->quoted[a->n - 1] = 1;
			continue;
		}
		if (c == ',' && !inq) {
			if (a->n >= AT_ARGS_MAX)
				return -1;
			a->n++;
			len = 0;
			continue;
		}
		if (!inq && c == ' ')
			continue;
		if (len + 1 >= AT_ARG_LEN)
			return -1;
		a->v[a->n - 1][len++] = c;
	}
	return inq ? -1 : 0;
}

int
at_args_int(const struct at_args *a, int i, long min, long max, long def, long *out)
{
	if (i >= a->n || a->v[i][0] == '\0') {
		*out = def;
		return 0;
	}
	return util_parse_long(a->v[i], min, max, out);
}
