from django.urls import path

from config.urls import urlpatterns as site

from . import views

urlpatterns = [
    path("bench/bare/<slug:step>/", views.bare_form, name="bench_bare"),
    path("bench/floor/<uuid:case>/<slug:step>/", views.floor_form, name="bench_floor"),
    path("bench/bare-letter/", views.bare_letter, name="bench_bare_letter"),
    *site,
]
