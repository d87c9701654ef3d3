build-e2e/sim/modem/simstore.o: sim/modem/simstore.c sim/modem/simstore.h
sim/modem/simstore.h:
