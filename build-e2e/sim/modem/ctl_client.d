build-e2e/sim/modem/ctl_client.o: sim/modem/ctl_client.c \
 sim/modem/ctl_client.h sim/modem/sbuf.h gateway/core/util.h
sim/modem/ctl_client.h:
sim/modem/sbuf.h:
gateway/core/util.h:
