"""Drive the ladder wizard in tests: sample answers and a browser-like client helper."""

import re

INTAKE = {
    "obtained_via": "agent",
    "agent_name": "李代理",
    "agent_contact": "13900001111",
    "merchant_kind": "person",
    "merchant_name": "张三便利店",
    "merchant_number": "822100058120001",
    "terminal_model": "N3",
    "terminal_sn": "N3000123",
    "activation_date": "2025-03-01",
    "amount": "299",
    "charge_kind": "deposit",
    "payment_method": "deducted_from_settlement",
    "charged_on": "2025-03-02",
    "promise_form": "oral",
    "promised_by": "agent",
    "promise_target": "50000",
    "promise_period_months": "3",
    "volume_reached": "62000",
    "promise_details": "交易满5万元返还押金",
    "category": "refund",
    "province": "sichuan",
    "use": "business",
    "harm_known_on": "2025-07-01",
}

CHECKLIST = {
    "target_met": "yes",
    "unsettled_transactions": "no",
    "arbitration_clause": "no",
    "forum_clause": "unsure",
    "fees_disclosed": "no",
    "confirm": "on",
}


class Wizard:
    """Drive the ladder wizard like a browser: read the form's token, post with the step's prefix."""

    def __init__(self, client, case):
        self.client = client
        self.case = case

    def url(self, step):
        return f"/cases/{self.case.pk}/ladder/{step}/"

    def hidden(self, step):
        """The hidden fields of the step's form, as a browser would send them (token, revision)."""
        html = self.client.get(self.url(step)).content.decode()
        return dict(re.findall(rf'<input type="hidden" name="({step}-[\w]+)" value="([^"]*)"', html))

    def token(self, step):
        fields = self.hidden(step)
        assert f"{step}-token" in fields, f"no form on step {step}"
        return fields[f"{step}-token"]

    def post(self, step, data, token=None, **extra):
        """Post a step; with ``token``, post it as a stale tab would, whatever the page shows now."""
        payload = {} if token else self.hidden(step)
        assert token or f"{step}-token" in payload, f"no form on step {step}"
        payload.update({f"{step}-{name}": value for name, value in data.items()})
        if token:
            payload[f"{step}-token"] = token
        payload.update(extra)
        return self.client.post(self.url(step), payload)
