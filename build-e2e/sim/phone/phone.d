build-e2e/sim/phone/phone.o: sim/phone/phone.c gateway/core/log.h \
 gateway/core/util.h sim/modem/ctl_client.h sim/modem/sbuf.h \
 sim/modem/textcode.h
gateway/core/log.h:
gateway/core/util.h:
sim/modem/ctl_client.h:
sim/modem/sbuf.h:
sim/modem/textcode.h:
