build-e2e/gateway/session/engine.o: gateway/session/engine.c \
 gateway/session/engine.h gateway/content/content.h \
 gateway/render/render.h gateway/core/log.h gateway/core/util.h \
 gateway/session/engine_int.h
gateway/session/engine.h:
gateway/content/content.h:
gateway/render/render.h:
gateway/core/log.h:
gateway/core/util.h:
gateway/session/engine_int.h:
