build-e2e/gateway/check/check.o: gateway/check/check.c \
 gateway/check/check.h gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/core/log.h gateway/core/util.h
gateway/check/check.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/core/log.h:
gateway/core/util.h:
