build-e2e/ctl/kawanctl.o: ctl/kawanctl.c gateway/core/log.h \
 gateway/core/util.h ctl/ctl.h gateway/config/config.h \
 gateway/session/engine.h gateway/content/content.h \
 gateway/render/render.h gateway/store/store.h gateway/router/router.h
gateway/core/log.h:
gateway/core/util.h:
ctl/ctl.h:
gateway/config/config.h:
gateway/session/engine.h:
gateway/content/content.h:
gateway/render/render.h:
gateway/store/store.h:
gateway/router/router.h:
