"""The volunteers' pages: the queue, the dashboard, a case under review and its letters."""

from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard_csv"),
    path("cases/<uuid:case>/", views.case_detail, name="case"),
    path("cases/<uuid:case>/take/", views.take, name="take"),
    path("cases/<uuid:case>/release/", views.release, name="release"),
    path("cases/<uuid:case>/comment/", views.comment, name="comment"),
    path("cases/<uuid:case>/letters/<uuid:review>/", views.review_letter, name="letter"),
    path("cases/<uuid:case>/letters/<uuid:review>/decide/", views.decide, name="decide"),
]
