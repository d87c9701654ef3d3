build-e2e/sim/modem/sentlog.o: sim/modem/sentlog.c sim/modem/sentlog.h \
 sim/modem/pdu.h sim/modem/sbuf.h sim/modem/gsm7.h sim/modem/textcode.h
sim/modem/sentlog.h:
sim/modem/pdu.h:
sim/modem/sbuf.h:
sim/modem/gsm7.h:
sim/modem/textcode.h:
