build-e2e/ctl/ctl_reports.o: ctl/ctl_reports.c gateway/core/util.h \
 ctl/ctl.h gateway/config/config.h gateway/session/engine.h \
 gateway/content/content.h gateway/render/render.h gateway/store/store.h \
 gateway/reports/reports.h
gateway/core/util.h:
ctl/ctl.h:
gateway/config/config.h:
gateway/session/engine.h:
gateway/content/content.h:
gateway/render/render.h:
gateway/store/store.h:
gateway/reports/reports.h:
