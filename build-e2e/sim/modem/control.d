build-e2e/sim/modem/control.o: sim/modem/control.c sim/modem/control.h \
 sim/modem/modem.h sim/modem/events.h sim/modem/sbuf.h \
 sim/modem/sentlog.h sim/modem/pdu.h sim/modem/simstore.h \
 gateway/core/log.h gateway/core/util.h sim/modem/smstext.h \
 sim/modem/textcode.h
sim/modem/control.h:
sim/modem/modem.h:
sim/modem/events.h:
sim/modem/sbuf.h:
sim/modem/sentlog.h:
sim/modem/pdu.h:
sim/modem/simstore.h:
gateway/core/log.h:
gateway/core/util.h:
sim/modem/smstext.h:
sim/modem/textcode.h:
