build-e2e/gateway/daemon/daemon.o: gateway/daemon/daemon.c \
 gateway/daemon/daemon.h gateway/config/config.h \
 gateway/channel/channel.h gateway/channel/snapshot.h \
 gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/core/wake.h gateway/modem/modem.h \
 gateway/core/log.h gateway/core/thread.h gateway/daemon/daemon_int.h \
 gateway/store/store.h
gateway/daemon/daemon.h:
gateway/config/config.h:
gateway/channel/channel.h:
gateway/channel/snapshot.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/core/wake.h:
gateway/modem/modem.h:
gateway/core/log.h:
gateway/core/thread.h:
gateway/daemon/daemon_int.h:
gateway/store/store.h:
