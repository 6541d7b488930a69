from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD
from core.demo import demo_users_create


class Command(BaseCommand):
    help = "Create the quickstart demo accounts (idempotent). For local demos only."

    def handle(self, *args, **options):
        logins = demo_users_create()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for login in logins:
            self.stdout.write(f"  {login.email:<28} {login.persona}")
