build-e2e/gateway/reports/reports_escalate.o: \
 gateway/reports/reports_escalate.c gateway/reports/reports_int.h \
 gateway/reports/reports.h gateway/config/config.h \
 gateway/content/content.h gateway/session/engine.h \
 gateway/render/render.h gateway/store/store.h gateway/core/log.h
gateway/reports/reports_int.h:
gateway/reports/reports.h:
gateway/config/config.h:
gateway/content/content.h:
gateway/session/engine.h:
gateway/render/render.h:
gateway/store/store.h:
gateway/core/log.h:
