/* modem.c - helpers shared by every modem implementation. */
#include "modem/modem.h"

#include <stdlib.h>

void
modem_parts_free(struct modem_part *parts, size_t n)
{
	if (parts == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(parts[i].text);
	free(parts);
}
