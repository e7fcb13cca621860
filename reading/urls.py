"""The answers to the facts read from a case's evidence."""

from django.urls import path

from reading import views

app_name = "reading"

urlpatterns = [
    path("cases/<uuid:case>/facts-read/<uuid:fact>/", views.decide, name="decide"),
]
