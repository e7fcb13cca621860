"""The message checker: public, except keeping a message as a case's evidence."""

from django.urls import path

from checker import views

app_name = "checker"

urlpatterns = [
    path("check-message/", views.check, name="check"),
    path("check-message/save/<uuid:case>/", views.save_to_case, name="save"),
]
