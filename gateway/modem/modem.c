/* modem.c - helpers shared by every modem implementation. */
#include "modem/modem.h"

#include <stdlib.h>

void
modem_sms_free_all(struct modem_sms *msgs, size_t n)
{
	if (msgs == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(msgs[i].text);
	free(msgs);
}
