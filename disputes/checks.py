from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def test_clock_not_in_production(app_configs, **kwargs):
    """The test clock moves deadlines; it must never be set on a real site."""
    if settings.TEST_CLOCK_FILE:
        return [
            checks.Error(
                "TEST_CLOCK_FILE is set: it moves the app's clock and is for end-to-end tests only.",
                hint="Unset TEST_CLOCK_FILE in production.",
                id="disputes.E001",
            )
        ]
    return []
