build-e2e/gateway/router/router_menu.o: gateway/router/router_menu.c \
 gateway/router/router.h gateway/config/config.h \
 gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/store/store.h gateway/core/log.h \
 gateway/core/util.h
gateway/router/router.h:
gateway/config/config.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/store/store.h:
gateway/core/log.h:
gateway/core/util.h:
