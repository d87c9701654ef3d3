build-e2e/gateway/channel/channel_modem.o: \
 gateway/channel/channel_modem.c gateway/channel/channel.h \
 gateway/channel/snapshot.h gateway/config/config.h \
 gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/core/wake.h gateway/modem/modem.h \
 gateway/core/log.h gateway/core/thread.h gateway/core/util.h \
 gateway/inbound/inbound.h gateway/store/store.h \
 gateway/outbound/outbound.h
gateway/channel/channel.h:
gateway/channel/snapshot.h:
gateway/config/config.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/core/wake.h:
gateway/modem/modem.h:
gateway/core/log.h:
gateway/core/thread.h:
gateway/core/util.h:
gateway/inbound/inbound.h:
gateway/store/store.h:
gateway/outbound/outbound.h:
