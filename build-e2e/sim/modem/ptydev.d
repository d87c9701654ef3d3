build-e2e/sim/modem/ptydev.o: sim/modem/ptydev.c sim/modem/ptydev.h \
 gateway/core/log.h gateway/core/util.h
sim/modem/ptydev.h:
gateway/core/log.h:
gateway/core/util.h:
