"""A case's letters: preview, issue, a volunteer's review asked for, and the issued PDFs."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("cases/<uuid:case>/letters/<slug:kind>/preview/", views.letter_preview, name="letter_preview"),
    path(
        "cases/<uuid:case>/letters/<slug:kind>/<slug:channel>/preview/",
        views.letter_preview,
        name="letter_preview",
    ),
    path("cases/<uuid:case>/letters/<slug:kind>/issue/", views.letter_issue, name="letter_issue"),
    path("cases/<uuid:case>/letters/<slug:kind>/review/", views.letter_review, name="letter_review"),
    path("cases/<uuid:case>/letters/<slug:kind>/<slug:channel>/review/", views.letter_review, name="letter_review"),
    path("cases/<uuid:case>/letters/<slug:kind>/<slug:channel>/issue/", views.letter_issue, name="letter_issue"),
    path("cases/<uuid:case>/documents/<uuid:document>/", views.document_download, name="document"),
    path("cases/<uuid:case>/packet.pdf", views.case_packet, name="packet"),
]
