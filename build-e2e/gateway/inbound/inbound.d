build-e2e/gateway/inbound/inbound.o: gateway/inbound/inbound.c \
 gateway/inbound/inbound.h gateway/config/config.h gateway/modem/modem.h \
 gateway/store/store.h gateway/core/log.h gateway/core/util.h \
 gateway/inbound/concat.h gateway/session/engine.h \
 gateway/content/content.h gateway/render/render.h
gateway/inbound/inbound.h:
gateway/config/config.h:
gateway/modem/modem.h:
gateway/store/store.h:
gateway/core/log.h:
gateway/core/util.h:
gateway/inbound/concat.h:
gateway/session/engine.h:
gateway/content/content.h:
gateway/render/render.h:
