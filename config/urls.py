from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from disputes.forms.accounts import AdminLoginForm
from disputes.urls import auth_urlpatterns
from disputes.views import accounts, pages

admin.site.site_header = _("POS dispute ladder: administration")
admin.site.site_title = _("POS dispute ladder")
# The admin's login is throttled like every other (disputes.throttle).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the icon.
    path("favicon.ico", pages.favicon, name="favicon"),
    path(".well-known/security.txt", pages.security_txt, name="security_txt"),
    path("ladder/", include("escalation.urls")),
    path("", include("disputes.urls")),
    path("review/", include("disputes.review_urls")),
    *auth_urlpatterns,
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
