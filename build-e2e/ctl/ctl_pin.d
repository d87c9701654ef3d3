build-e2e/ctl/ctl_pin.o: ctl/ctl_pin.c gateway/config/config.h ctl/ctl.h \
 gateway/session/engine.h gateway/content/content.h \
 gateway/render/render.h gateway/store/store.h
gateway/config/config.h:
ctl/ctl.h:
gateway/session/engine.h:
gateway/content/content.h:
gateway/render/render.h:
gateway/store/store.h:
