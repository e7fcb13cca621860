"""The volunteers' comments in the admin, read-only."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin
from review.models import Comment


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["case", "author", "visibility", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["case__id", "body"]
    list_select_related = ["case__provider", "author"]
