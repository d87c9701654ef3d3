build-e2e/sim/modem/sbuf.o: sim/modem/sbuf.c sim/modem/sbuf.h
sim/modem/sbuf.h:
