build-e2e/gateway/channel/channel.o: gateway/channel/channel.c \
 gateway/channel/channel.h gateway/channel/snapshot.h \
 gateway/config/config.h gateway/content/content.h \
 gateway/session/engine.h gateway/render/render.h gateway/core/wake.h \
 gateway/modem/modem.h
gateway/channel/channel.h:
gateway/channel/snapshot.h:
gateway/config/config.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/core/wake.h:
gateway/modem/modem.h:
