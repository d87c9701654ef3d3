build-e2e/sim/modem/at_cmd.o: sim/modem/at_cmd.c sim/modem/at.h \
 sim/modem/modem.h sim/modem/events.h sim/modem/sbuf.h \
 sim/modem/sentlog.h sim/modem/pdu.h sim/modem/simstore.h \
 gateway/core/log.h gateway/core/util.h sim/modem/gsm7.h \
 sim/modem/textcode.h
sim/modem/at.h:
sim/modem/modem.h:
sim/modem/events.h:
sim/modem/sbuf.h:
sim/modem/sentlog.h:
sim/modem/pdu.h:
sim/modem/simstore.h:
gateway/core/log.h:
gateway/core/util.h:
sim/modem/gsm7.h:
sim/modem/textcode.h:
