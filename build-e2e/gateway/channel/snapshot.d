build-e2e/gateway/channel/snapshot.o: gateway/channel/snapshot.c \
 gateway/channel/snapshot.h gateway/config/config.h \
 gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/core/log.h gateway/router/router.h \
 gateway/store/store.h
gateway/channel/snapshot.h:
gateway/config/config.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/core/log.h:
gateway/router/router.h:
gateway/store/store.h:
