build-e2e/gateway/daemon/daemon_core.o: gateway/daemon/daemon_core.c \
 gateway/core/log.h gateway/core/thread.h gateway/core/util.h \
 gateway/daemon/daemon_int.h gateway/channel/channel.h \
 gateway/channel/snapshot.h gateway/config/config.h \
 gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/core/wake.h gateway/modem/modem.h \
 gateway/store/store.h gateway/inbound/inbound.h \
 gateway/reports/reports.h gateway/router/router.h
gateway/core/log.h:
gateway/core/thread.h:
gateway/core/util.h:
gateway/daemon/daemon_int.h:
gateway/channel/channel.h:
gateway/channel/snapshot.h:
gateway/config/config.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/core/wake.h:
gateway/modem/modem.h:
gateway/store/store.h:
gateway/inbound/inbound.h:
gateway/reports/reports.h:
gateway/router/router.h:
