build-e2e/sim/modem/modem.o: sim/modem/modem.c sim/modem/modem.h \
 sim/modem/events.h sim/modem/sbuf.h sim/modem/sentlog.h sim/modem/pdu.h \
 sim/modem/simstore.h sim/modem/at.h gateway/core/log.h \
 gateway/core/util.h sim/modem/smstext.h sim/modem/textcode.h
sim/modem/modem.h:
sim/modem/events.h:
sim/modem/sbuf.h:
sim/modem/sentlog.h:
sim/modem/pdu.h:
sim/modem/simstore.h:
sim/modem/at.h:
gateway/core/log.h:
gateway/core/util.h:
sim/modem/smstext.h:
sim/modem/textcode.h:
