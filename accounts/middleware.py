"""Pages in the language the user chose on their profile."""

from django.utils import translation

SESSION_KEY = "profile_language"


class UserLanguageMiddleware:
    """A signed-in user's chosen language (remembered on their profile) wins over the browser's.

    The language is kept in the session at login and whenever the user changes
    it, so no query is needed per request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if language and getattr(request, "user", None) and request.user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


def remember_language(request, language):
    request.session[SESSION_KEY] = language
