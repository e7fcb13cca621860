from django.contrib import admin
from django.urls import include, path

from disputes.urls import auth_urlpatterns
from disputes.views import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    path("ladder/", include("escalation.urls")),
    path("", include("disputes.urls")),
    path("review/", include("disputes.review_urls")),
    *auth_urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
