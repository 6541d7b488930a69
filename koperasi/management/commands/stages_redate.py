"""
Date verified stages by their documents' dates where they carry their verification's time instead: stages verified
before completion took the documents' date, or before the workflow asked for the date on an NPWP, NIB, bank account
or SIMKOPDES document. The snapshots of the days affected are then rebuilt by the back-dated rebuild (the nightly
reconcile, or `manage.py rollup`). Safe to run again: stages already dated by their documents are left alone.
"""

from django.core.management.base import BaseCommand

from koperasi.services import stages_redate_from_documents


class Command(BaseCommand):
    help = "Date verified stages by their documents (meeting, deed, SK AHU, account opening…), not their verification."

    def handle(self, *args, **options):
        redated = stages_redate_from_documents()
        self.stdout.write(f"Stages dated by their documents: {redated}")
