build-e2e/gateway/session/engine_view.o: gateway/session/engine_view.c \
 gateway/session/engine_int.h gateway/session/engine.h \
 gateway/content/content.h gateway/render/render.h gateway/core/charset.h \
 gateway/core/log.h
gateway/session/engine_int.h:
gateway/session/engine.h:
gateway/content/content.h:
gateway/render/render.h:
gateway/core/charset.h:
gateway/core/log.h:
