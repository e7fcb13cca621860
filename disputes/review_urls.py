from django.urls import path

from .views import casefiles, review

app_name = "review"

urlpatterns = [
    path("", review.queue, name="queue"),
    path("dashboard/", review.dashboard, name="dashboard"),
    path("dashboard.csv", review.dashboard_csv, name="dashboard_csv"),
    path("import/", casefiles.import_file, name="import"),
    path("cases/<uuid:case>/", review.case_detail, name="case"),
    path("cases/<uuid:case>/take/", review.take, name="take"),
    path("cases/<uuid:case>/release/", review.release, name="release"),
    path("cases/<uuid:case>/comment/", review.comment, name="comment"),
    path("cases/<uuid:case>/letters/<uuid:review>/", review.review_letter, name="letter"),
    path("cases/<uuid:case>/letters/<uuid:review>/decide/", review.decide, name="decide"),
]
