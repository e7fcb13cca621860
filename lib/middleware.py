"""Middleware any site could use: security headers, private pages kept out of caches, gzip for text."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.middleware.gzip import GZipMiddleware

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response that has none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from django.conf import settings

        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivatePagesMiddleware:
    """Nothing a signed-in user is sent is kept by a browser, a proxy or a shared phone: ``no-store``.

    Their pages and downloads hold ID numbers, phones, addresses and contracts.
    A view that already said ``no-store`` (Django's ``never_cache`` says more)
    keeps its header; any weaker one is replaced.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response


class TextGZipMiddleware(GZipMiddleware):
    """Compress pages (HTML, JSON, calendars) for slow phone lines; leave PDFs and photos as they are.

    PDFs and images hardly shrink, and their downloads keep their strong ETags
    for revalidation. Django's GZipMiddleware pads the output against BREACH,
    and the CSRF token in a page is masked afresh on every response.
    """

    COMPRESSED_TYPES = ("text/html", "application/json", "text/calendar", "text/plain")

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith(self.COMPRESSED_TYPES):
            return response
        return super().process_response(request, response)
