"""Group complaints (共同投诉): the group page, joining, consents, representatives and the joint filing."""

from django.urls import path

from groups import views

app_name = "groups"

urlpatterns = [
    path("cases/<uuid:case>/groups/", views.case_groups, name="case_groups"),
    path("cases/<uuid:case>/groups/start/", views.start, name="start"),
    path("cases/<uuid:case>/groups/<uuid:group>/join/", views.join_from_case, name="join_from_case"),
    path("groups/invite/<str:token>/", views.invite, name="invite"),
    path("groups/help/", views.help_list, name="help_list"),
    path("groups/<uuid:group>/", views.group_page, name="group"),
    path("groups/<uuid:group>/help/", views.ask_for_help, name="help"),
    path("groups/<uuid:group>/appoint/", views.appoint, name="appoint"),
    path("groups/<uuid:group>/members/<uuid:member>/consent/", views.consent, name="consent"),
    path("groups/<uuid:group>/members/<uuid:member>/stand/", views.stand, name="stand"),
    path("groups/<uuid:group>/members/<uuid:member>/choose/", views.choose, name="choose"),
    path("groups/<uuid:group>/members/<uuid:member>/leave/", views.leave, name="leave"),
    path("groups/<uuid:group>/filings/<str:recipient>/preview/", views.filing_preview, name="filing_preview"),
    path("groups/<uuid:group>/filings/<str:recipient>/issue/", views.filing_issue, name="filing_issue"),
    path("groups/<uuid:group>/filings/<uuid:filing>/", views.filing_download, name="filing"),
]
