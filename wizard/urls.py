"""The wizard up the ladder, the page 'Parties and money', and case files in and out."""

from django.urls import path

from wizard.views import casefiles, facts
from wizard.views.wizard import ladder_wizard

app_name = "wizard"

urlpatterns = [
    path("cases/<uuid:case>/case.json", casefiles.case_file, name="case_file"),
    path("cases/<uuid:case>/ladder/<str:step>/", ladder_wizard, name="ladder_step"),
    path("cases/<uuid:case>/facts/", facts.case_facts, name="facts"),
    path("cases/<uuid:case>/facts/person/", facts.save_person, name="facts_person"),
    path("cases/<uuid:case>/facts/respondent/", facts.save_respondent, name="facts_respondent"),
    path("cases/<uuid:case>/facts/agent/", facts.save_agent, name="facts_agent"),
    path("cases/<uuid:case>/facts/details/", facts.save_details, name="facts_details"),
    path("cases/<uuid:case>/facts/charges/", facts.add_charge, name="charge_add"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/", facts.edit_charge, name="charge_edit"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/trades/", facts.add_trade, name="trade_add"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/trades/remove/", facts.remove_trade, name="trade_remove"),
    path("cases/<uuid:case>/facts/charges/<uuid:charge>/confirm/", facts.confirm_overcharge, name="overcharge_confirm"),
    path("cases/<uuid:case>/facts/deception/", facts.save_deception, name="facts_deception"),
    path("review/import/", casefiles.import_file, name="import_case"),
]
