build-e2e/sim/modem/pdu_submit.o: sim/modem/pdu_submit.c sim/modem/pdu.h \
 sim/modem/sbuf.h sim/modem/gsm7.h sim/modem/textcode.h
sim/modem/pdu.h:
sim/modem/sbuf.h:
sim/modem/gsm7.h:
sim/modem/textcode.h:
