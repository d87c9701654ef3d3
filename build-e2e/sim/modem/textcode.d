build-e2e/sim/modem/textcode.o: sim/modem/textcode.c sim/modem/textcode.h \
 sim/modem/sbuf.h
sim/modem/textcode.h:
sim/modem/sbuf.h:
