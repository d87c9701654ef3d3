build-e2e/sim/modem/gsm7.o: sim/modem/gsm7.c sim/modem/gsm7.h \
 sim/modem/sbuf.h sim/modem/textcode.h
sim/modem/gsm7.h:
sim/modem/sbuf.h:
sim/modem/textcode.h:
