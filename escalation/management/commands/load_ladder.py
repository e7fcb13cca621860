from django.core.management.base import BaseCommand

from escalation.content import load_ladder


class Command(BaseCommand):
    help = "Load the ladder's seed content (rungs, channels, deadline rules, providers, policy texts) where missing."

    def handle(self, *args, **options):
        created = load_ladder()
        self.stdout.write(f"created={created}")
