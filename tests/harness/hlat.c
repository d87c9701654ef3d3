/* hlat.c - +CMTI -> AT+CMGS latency from the sim's event log. */
#include "hlat.h"

#include <stdlib.h>
#include <string.h>

#include "harness.h"

static int
hlat_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[n]. */
static double
hlat_percentile(const double *v, int n, double p)
{
	int rank = (int)(p / 100.0 * n + 0.999999);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

int
hlat_cmti_to_cmgs(struct harness *h, int k, uint64_t since, struct hlat *out)
{
	struct hctl_event *ev = NULL;
	double *cmti = NULL, *cmgs = NULL, *lat = NULL;
	size_t n = 0;
	int nc = 0, ns = 0, rc = -1;

	memset(out, 0, sizeof(*out));
	if (harness_events_on(h, k, since, &ev, &n) < 0)
		return -1;
	cmti = calloc(n + 1, sizeof(double));
	cmgs = calloc(n + 1, sizeof(double));
	lat = calloc(n + 1, sizeof(double));
	if (cmti == NULL || cmgs == NULL || lat == NULL)
		goto done;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(ev[i].kind, "CMTI") == 0)
			cmti[nc++] = ev[i].t_ms;
		else if (strcmp(ev[i].kind, "CMGS") == 0)
			cmgs[ns++] = ev[i].t_ms;
	}
	out->pairs = nc < ns ? nc : ns;
	for (int i = 0; i < out->pairs; i++)
		lat[i] = cmgs[i] - cmti[i];
	qsort(lat, (size_t)out->pairs, sizeof(double), hlat_cmp);
	if (out->pairs > 0) {
		out->median_ms = hlat_percentile(lat, out->pairs, 50);
		out->p99_ms = hlat_percentile(lat, out->pairs, 99);
		out->min_ms = lat[0];
		out->max_ms = lat[out->pairs - 1];
	}
	rc = 0;
done:
	free(cmti);
	free(cmgs);
	free(lat);
	free(ev);
	return rc;
}
