build-e2e/gateway/outbound/outbound.o: gateway/outbound/outbound.c \
 gateway/outbound/outbound.h gateway/config/config.h \
 gateway/modem/modem.h gateway/store/store.h gateway/core/log.h \
 gateway/core/util.h gateway/session/engine.h gateway/content/content.h \
 gateway/render/render.h
gateway/outbound/outbound.h:
gateway/config/config.h:
gateway/modem/modem.h:
gateway/store/store.h:
gateway/core/log.h:
gateway/core/util.h:
gateway/session/engine.h:
gateway/content/content.h:
gateway/render/render.h:
