/* modem_gammu_ident.c - which SIM is in the modem (issue 10): the IMSI
 * through libgammu (GSM_GetSIMIMSI, AT+CIMI on the AT driver). libgammu
 * 1.42 has no call for the ICCID and no AT command may be sent around it,
 * so the ICCID stays "" (unknown): the pool knows a SIM by its IMSI. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "modem/modem_gammu_int.h"

int
gm_identity(struct modem *m, char *imsi, size_t imsisz, char *iccid, size_t iccidsz)
{
	struct gm_state *g = m->impl;
	char buf[GSM_MAX_INFO_LENGTH + 1];
	GSM_Error e;

	if (imsisz > 0)
		imsi[0] = '\0';
	if (iccidsz > 0)
		iccid[0] = '\0';
	if (g == NULL || !g->connected)
		return -1;
	memset(buf, 0, sizeof(buf));
	e = GSM_GetSIMIMSI(g->sm, buf);
	if (!gm_ok(e)) {
		log_warnx("modem %s: cannot read the SIM's IMSI: %s", m->cfg.name,
		    GSM_ErrorString(e));
		return -1;
	}
	/* Digits only: some modems pad the answer. */
	size_t k = 0;
	for (size_t i = 0; buf[i] != '\0' && k + 1 < imsisz; i++)
		if (buf[i] >= '0' && buf[i] <= '9')
			imsi[k++] = buf[i];
	if (imsisz > 0)
		imsi[k] = '\0';
	return k > 0 ? 0 : -1;
}
