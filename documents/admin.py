"""Issued letters and letter reviews in the admin, read-only."""

from django.contrib import admin

from documents.models import Document, LetterReview
from lib.admin import ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "channel", "language", "version", "issued_at", "size", "signed_by"]
    list_filter = ["kind", "language", "channel"]
    search_fields = ["case__id", "sha256", "signer_certificate"]
    exclude = ["html"]
    list_select_related = ["case__provider", "channel"]


@admin.register(LetterReview)
class LetterReviewAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "channel", "status", "requested_at", "reviewer", "reviewed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["case__id", "note"]
    exclude = ["html"]
    list_select_related = ["case__provider", "channel", "reviewer"]
