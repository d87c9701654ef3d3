build-e2e/ctl/ctl_content.o: ctl/ctl_content.c gateway/check/check.h \
 gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/core/util.h ctl/ctl.h \
 gateway/config/config.h gateway/store/store.h
gateway/check/check.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/core/util.h:
ctl/ctl.h:
gateway/config/config.h:
gateway/store/store.h:
