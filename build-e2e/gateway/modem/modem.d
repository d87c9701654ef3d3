build-e2e/gateway/modem/modem.o: gateway/modem/modem.c \
 gateway/modem/modem.h gateway/config/config.h
gateway/modem/modem.h:
gateway/config/config.h:
