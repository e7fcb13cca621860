from django.contrib import admin
from django.urls import include, path

from disputes import views as dispute_views

urlpatterns = [
    path("", dispute_views.home, name="home"),
    path("healthz", dispute_views.healthz, name="healthz"),
    path("ladder/", include("escalation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
