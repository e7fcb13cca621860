"""A merchant's cases: the list, a new case, its timeline, answers and deliveries, and its evidence."""

from django.urls import path

from cases.views import cases, evidence

app_name = "cases"

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<uuid:case>/", cases.case_detail, name="case"),
    path("cases/<uuid:case>/timeline/", cases.case_timeline, name="timeline"),
    path("cases/<uuid:case>/reopen/", cases.case_reopen, name="reopen"),
    path("cases/<uuid:case>/help/", cases.ask_for_help, name="help"),
    path("cases/<uuid:case>/steps/<uuid:step>/answer/", cases.record_answer, name="answer"),
    path("cases/<uuid:case>/steps/<uuid:step>/delivery/", cases.record_delivery, name="delivery"),
    path("cases/<uuid:case>/evidence/", evidence.evidence_upload, name="evidence_upload"),
    path("cases/<uuid:case>/evidence/list/", evidence.evidence_list, name="evidence_list"),
    path("cases/<uuid:case>/evidence/<uuid:evidence>/", evidence.evidence_download, name="evidence"),
    path("cases/<uuid:case>/evidence/<uuid:evidence>/title/", evidence.evidence_title, name="evidence_title"),
    path("cases/<uuid:case>/evidence/<uuid:evidence>/delete/", evidence.evidence_delete, name="evidence_delete"),
]
