build-e2e/gateway/render/render_zawgyi.o: gateway/render/render_zawgyi.c \
 gateway/render/render.h gateway/core/charset.h gateway/core/log.h \
 gateway/render/render_int.h
gateway/render/render.h:
gateway/core/charset.h:
gateway/core/log.h:
gateway/render/render_int.h:
