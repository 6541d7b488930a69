"""
Erase the full NIK, birth date and phone from the history of members who are no longer registered.

Removing a member does this at once; the command covers members removed another way (a cooperative
deleted in the admin, rows removed before this rule existed). Safe to run at any time, e.g. nightly.
"""

from django.core.management.base import BaseCommand

from members.services import removed_members_forget_personal_data


class Command(BaseCommand):
    help = "Erase full NIKs, birth dates and phones from the history of removed members (UU PDP 27/2022)."

    def handle(self, *args, **options):
        changed = removed_members_forget_personal_data()
        self.stdout.write(f"History rows whose NIK was erased: {changed}")
