"""
The ledger's redundant indexes go: a posting's cooperative and member are found through the receipt number's
unique (cooperative, receipt_number) and the (member, transaction_date) index, which lead with them; the member
balance's cooperative was indexed twice. Only the indexes are dropped (the foreign keys stay as they are, so a
large ledger is not checked again row by row).
"""

import django.db.models.deletion
from django.db import migrations
from django.db import models

# (index, table, column) as Django named them when it created the foreign keys.
_INDEXES = (
    ("simpanan_membersavings_cooperative_id_bc1b8067", "simpanan_membersavings", "cooperative_id"),
    ("simpanan_posting_cooperative_id_aa0963e1", "simpanan_posting", "cooperative_id"),
    ("simpanan_posting_member_id_8ed7983c", "simpanan_posting", "member_id"),
)


class Migration(migrations.Migration):

    dependencies = [
        ('koperasi', '0006_stage_event_date'),
        ('members', '0005_lean_member_indexes'),
        ('simpanan', '0003_member_removal'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(f'DROP INDEX IF EXISTS "{name}"', f'CREATE INDEX "{name}" ON "{table}" ("{column}")')
                for name, table, column in _INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='membersavings',
                    name='cooperative',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='koperasi.cooperative', verbose_name='cooperative'),
                ),
                migrations.AlterField(
                    model_name='posting',
                    name='cooperative',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='savings_postings', to='koperasi.cooperative', verbose_name='cooperative'),
                ),
                migrations.AlterField(
                    model_name='posting',
                    name='member',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='savings_postings', to='members.member', verbose_name='member'),
                ),
            ],
        ),
    ]
