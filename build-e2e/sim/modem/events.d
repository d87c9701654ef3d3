build-e2e/sim/modem/events.o: sim/modem/events.c sim/modem/events.h \
 sim/modem/sbuf.h gateway/core/util.h
sim/modem/events.h:
sim/modem/sbuf.h:
gateway/core/util.h:
