build-e2e/sim/modem/main.o: sim/modem/main.c sim/modem/control.h \
 sim/modem/modem.h sim/modem/events.h sim/modem/sbuf.h \
 sim/modem/sentlog.h sim/modem/pdu.h sim/modem/simstore.h \
 gateway/core/log.h gateway/core/util.h sim/modem/ptydev.h
sim/modem/control.h:
sim/modem/modem.h:
sim/modem/events.h:
sim/modem/sbuf.h:
sim/modem/sentlog.h:
sim/modem/pdu.h:
sim/modem/simstore.h:
gateway/core/log.h:
gateway/core/util.h:
sim/modem/ptydev.h:
