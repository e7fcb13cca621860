from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminLoginForm
from accounts.urls import auth_urlpatterns
from accounts.views import accounts
from config import views
from wizard.views import pages

admin.site.site_header = _("POS dispute ladder: administration")
admin.site.site_title = _("POS dispute ladder")
# The admin's login is throttled like every other (accounts.throttle).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the icon.
    path("favicon.ico", pages.favicon, name="favicon"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("ladder/", include("escalation.urls")),
    path("", include("cases.urls")),
    path("", include("wizard.urls")),
    path("", include("documents.urls")),
    path("", include("reading.urls")),
    path("", include("reminders.urls")),
    path("", include("groups.urls")),
    path("", include("accounts.urls")),
    path("", include("checker.urls")),
    path("review/", include("review.urls")),
    *auth_urlpatterns,
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
