import time

from django.conf import settings
from django.core.management.base import BaseCommand

from sampledata.demo import DEMO_PASSWORD
from sampledata.demo import demo_data_create


class Command(BaseCommand):
    help = "Create the quickstart demo accounts and data (idempotent). For local demos only."

    def handle(self, *args, **options):
        # The demo's own story (a submission, a rejection) notifies its officers; those e-mails would only
        # scroll the console past the logins, so they stay in memory.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        started = time.perf_counter()
        result = demo_data_create()
        verb = "created" if result["created"] else "already present"
        self.stdout.write(f"Demo cooperatives {verb}: {result['cooperatives']} ({time.perf_counter() - started:.1f} s)")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for login in result["logins"]:
            self.stdout.write(f"  {login.email:<30} {login.persona}")
