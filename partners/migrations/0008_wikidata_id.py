# A Wikidata identifier on partners. On SQLite, adding a constraint rebuilds the partner table,
# which the membership triggers of 0002 refer to: they are dropped first and created again at
# the end (as in 0006).

import importlib

import django.core.validators
from django.db import migrations, models

rules = importlib.import_module("partners.migrations.0002_membership_period_rules")


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0007_search'),
    ]

    operations = [
        migrations.RunPython(
            rules.run({"sqlite": rules.SQLITE_REVERSE}), rules.run({"sqlite": rules.SQLITE_FORWARD})
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='wikidata_id',
            field=models.CharField(blank=True, help_text='The item of this organisation on Wikidata, for example Q1489 for Mexico City; only one you have checked.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata identifier is Q and digits: Q1489.')], verbose_name='Wikidata identifier'),
        ),
        migrations.AddField(
            model_name='partner',
            name='wikidata_id',
            field=models.CharField(blank=True, help_text='The item of this organisation on Wikidata, for example Q1489 for Mexico City; only one you have checked.', max_length=20, validators=[django.core.validators.RegexValidator('^Q[1-9][0-9]*$', 'A Wikidata identifier is Q and digits: Q1489.')], verbose_name='Wikidata identifier'),
        ),
        migrations.AddConstraint(
            model_name='partner',
            constraint=models.CheckConstraint(condition=models.Q(('wikidata_id', ''), ('wikidata_id__regex', '^Q[1-9][0-9]*$'), _connector='OR'), name='partners_partner_wikidata_id_format', violation_error_message='A Wikidata identifier is Q and digits: Q1489.'),
        ),
        migrations.RunPython(
            rules.run({"sqlite": rules.SQLITE_FORWARD}), rules.run({"sqlite": rules.SQLITE_REVERSE})
        ),
    ]
