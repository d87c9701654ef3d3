build-e2e/sim/modem/smstext.o: sim/modem/smstext.c sim/modem/smstext.h \
 sim/modem/pdu.h sim/modem/sbuf.h sim/modem/gsm7.h sim/modem/textcode.h
sim/modem/smstext.h:
sim/modem/pdu.h:
sim/modem/sbuf.h:
sim/modem/gsm7.h:
sim/modem/textcode.h:
