build-e2e/gateway/inbound/concat.o: gateway/inbound/concat.c \
 gateway/inbound/concat.h gateway/modem/modem.h gateway/config/config.h
gateway/inbound/concat.h:
gateway/modem/modem.h:
gateway/config/config.h:
