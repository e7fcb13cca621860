from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.models import Evidence
from cases.models.evidence import sha256_of
from cases.uploads import check_upload, pdf_pages
from lib.forms import FormDefaults


class EvidenceForm(FormDefaults, forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("Photo, screenshot, PDF or chat export (text), up to 10 MB."))
    # Optional: a picture or a PDF left without one is named by the first words read from it, until the
    # merchant keeps those or types their own (EvidenceTitleForm).
    title = forms.CharField(
        label=_("What is it?"), max_length=120, required=False, help_text=_("For example: 商户协议第3页截图")
    )
    proves = forms.CharField(label=_("What does it prove?"), max_length=200, required=False)
    source = forms.CharField(label=_("Where did it come from?"), max_length=120, required=False)

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.existing = self.already_there(upload)
        if self.existing is None:  # a file already stored was checked then, and is not stored again
            self.detected = check_upload(upload, self.case)
        return upload

    def already_there(self, upload):
        """The case's exhibit with these very bytes (a double submit, the same photo twice), or None."""
        if upload.size > settings.EVIDENCE_MAX_FILE_BYTES:
            return None  # refused anyway; not worth reading
        return self.case.evidence.filter(sha256=sha256_of(upload)).first()

    def save(self, actor, step=None):
        """Store the file as the case's next exhibit, or return the exhibit that holds it already (``created``)."""
        if self.existing is not None:
            self.existing.created = False
            return self.existing
        upload = self.cleaned_data["file"]
        pages = pdf_pages(upload) if self.detected == "application/pdf" else 1
        return Evidence.add(
            self.case,
            upload,
            self.detected,
            actor,
            title=self.cleaned_data["title"],
            step=step,
            proves=self.cleaned_data["proves"],
            source=self.cleaned_data["source"],
            pages=pages,
            once=True,
        )


class EvidenceTitleForm(FormDefaults, forms.Form):
    """The title of an exhibit uploaded without one: offered as the first words read from it."""

    title = forms.CharField(label=_("What is it?"), max_length=120)


class EvidenceSearchForm(FormDefaults, forms.Form):
    q = forms.CharField(label=_("Search the text of the evidence"), max_length=100, required=False)
