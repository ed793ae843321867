# Texts in four languages (allas/translation.py): each text column becomes one column per
# language. On SQLite, adding columns rebuilds the partner table, which the membership triggers
# of 0002 refer to: they are dropped first and created again at the end.

import importlib

from django.db import migrations, models

rules = importlib.import_module("partners.migrations.0002_membership_period_rules")


def copy_into_spanish(apps, schema_editor):
    """The texts written so far are Spanish records' texts (the default original language):
    each column moves into its Spanish column, in the records and in their history."""
    for model_name, fields in TEXTS.items():
        model = apps.get_model('partners', model_name)
        model.objects.update(**{f"{name}_es": models.F(name) for name in fields})

TEXTS = {'agreement': ['title', 'summary'], 'historicalagreement': ['title', 'summary'], 'partner': ['description'], 'historicalpartner': ['description'], 'theme': ['description'], 'historicaltheme': ['description']}


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0005_partner_staff_verbose_name'),
    ]

    operations = [
        migrations.RunPython(
            rules.run({"sqlite": rules.SQLITE_REVERSE}), rules.run({"sqlite": rules.SQLITE_FORWARD})
        ),
        migrations.AlterModelOptions(
            name='agreement',
            options={'ordering': ['-proposed_on', 'slug'], 'verbose_name': 'partnership agreement', 'verbose_name_plural': 'partnership agreements'},
        ),
        migrations.AddField(
            model_name='agreement',
            name='original_language',
            field=models.CharField(choices=[('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French'), ('en', 'English')], default='es', help_text='The language the texts were written in; the other languages translate it.', max_length=5, verbose_name='original language'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='summary_en',
            field=models.TextField(blank=True, verbose_name='summary (English)'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='summary_es',
            field=models.TextField(blank=True, verbose_name='summary (Spanish)'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='summary_fr',
            field=models.TextField(blank=True, verbose_name='summary (French)'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='summary_pt',
            field=models.TextField(blank=True, verbose_name='summary (Portuguese)'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='title_en',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (English)'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='title_es',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (Spanish)'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='title_fr',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (French)'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='title_pt',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (Portuguese)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='original_language',
            field=models.CharField(choices=[('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French'), ('en', 'English')], default='es', help_text='The language the texts were written in; the other languages translate it.', max_length=5, verbose_name='original language'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='summary_en',
            field=models.TextField(blank=True, verbose_name='summary (English)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='summary_es',
            field=models.TextField(blank=True, verbose_name='summary (Spanish)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='summary_fr',
            field=models.TextField(blank=True, verbose_name='summary (French)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='summary_pt',
            field=models.TextField(blank=True, verbose_name='summary (Portuguese)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='title_en',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (English)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='title_es',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (Spanish)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='title_fr',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (French)'),
        ),
        migrations.AddField(
            model_name='historicalagreement',
            name='title_pt',
            field=models.CharField(blank=True, max_length=250, verbose_name='title (Portuguese)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='description_en',
            field=models.TextField(blank=True, verbose_name='description (English)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description (Spanish)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='description_fr',
            field=models.TextField(blank=True, verbose_name='description (French)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='description_pt',
            field=models.TextField(blank=True, verbose_name='description (Portuguese)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_name_en',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (English)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_name_es',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (Spanish)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_name_fr',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (French)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_name_pt',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (Portuguese)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_short_name_en',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (English)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_short_name_es',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (Spanish)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_short_name_fr',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (French)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='official_short_name_pt',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (Portuguese)'),
        ),
        migrations.AddField(
            model_name='historicalpartner',
            name='original_language',
            field=models.CharField(choices=[('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French'), ('en', 'English')], default='es', help_text='The language the texts were written in; the other languages translate it.', max_length=5, verbose_name='original language'),
        ),
        migrations.AddField(
            model_name='historicaltheme',
            name='description_en',
            field=models.TextField(blank=True, verbose_name='description (English)'),
        ),
        migrations.AddField(
            model_name='historicaltheme',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description (Spanish)'),
        ),
        migrations.AddField(
            model_name='historicaltheme',
            name='description_fr',
            field=models.TextField(blank=True, verbose_name='description (French)'),
        ),
        migrations.AddField(
            model_name='historicaltheme',
            name='description_pt',
            field=models.TextField(blank=True, verbose_name='description (Portuguese)'),
        ),
        migrations.AddField(
            model_name='historicaltheme',
            name='original_language',
            field=models.CharField(choices=[('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French'), ('en', 'English')], default='es', help_text='The language the texts were written in; the other languages translate it.', max_length=5, verbose_name='original language'),
        ),
        migrations.AddField(
            model_name='partner',
            name='description_en',
            field=models.TextField(blank=True, verbose_name='description (English)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description (Spanish)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='description_fr',
            field=models.TextField(blank=True, verbose_name='description (French)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='description_pt',
            field=models.TextField(blank=True, verbose_name='description (Portuguese)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_name_en',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (English)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_name_es',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (Spanish)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_name_fr',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (French)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_name_pt',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official name in this language.', max_length=200, verbose_name='official name (Portuguese)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_short_name_en',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (English)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_short_name_es',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (Spanish)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_short_name_fr',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (French)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='official_short_name_pt',
            field=models.CharField(blank=True, help_text='Only where the organisation has an official acronym in this language.', max_length=40, verbose_name='official acronym (Portuguese)'),
        ),
        migrations.AddField(
            model_name='partner',
            name='original_language',
            field=models.CharField(choices=[('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French'), ('en', 'English')], default='es', help_text='The language the texts were written in; the other languages translate it.', max_length=5, verbose_name='original language'),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_en',
            field=models.TextField(blank=True, verbose_name='description (English)'),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_es',
            field=models.TextField(blank=True, verbose_name='description (Spanish)'),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_fr',
            field=models.TextField(blank=True, verbose_name='description (French)'),
        ),
        migrations.AddField(
            model_name='theme',
            name='description_pt',
            field=models.TextField(blank=True, verbose_name='description (Portuguese)'),
        ),
        migrations.AddField(
            model_name='theme',
            name='original_language',
            field=models.CharField(choices=[('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French'), ('en', 'English')], default='es', help_text='The language the texts were written in; the other languages translate it.', max_length=5, verbose_name='original language'),
        ),
        migrations.AlterField(
            model_name='historicalpartner',
            name='name',
            field=models.CharField(help_text='As the organisation writes it.', max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='historicaltheme',
            name='name_es',
            field=models.CharField(blank=True, max_length=120, verbose_name='name (Spanish)'),
        ),
        migrations.AlterField(
            model_name='partner',
            name='name',
            field=models.CharField(help_text='As the organisation writes it.', max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='theme',
            name='name_es',
            field=models.CharField(blank=True, max_length=120, verbose_name='name (Spanish)'),
        ),
        migrations.RunPython(copy_into_spanish, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='agreement',
            name='summary',
        ),
        migrations.RemoveField(
            model_name='agreement',
            name='title',
        ),
        migrations.RemoveField(
            model_name='historicalagreement',
            name='summary',
        ),
        migrations.RemoveField(
            model_name='historicalagreement',
            name='title',
        ),
        migrations.RemoveField(
            model_name='historicalpartner',
            name='description',
        ),
        migrations.RemoveField(
            model_name='historicaltheme',
            name='description',
        ),
        migrations.RemoveField(
            model_name='partner',
            name='description',
        ),
        migrations.RemoveField(
            model_name='theme',
            name='description',
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('original_language', 'es'), models.Q(('title_es', ''), _negated=True)), models.Q(('original_language', 'pt'), models.Q(('title_pt', ''), _negated=True)), models.Q(('original_language', 'fr'), models.Q(('title_fr', ''), _negated=True)), models.Q(('original_language', 'en'), models.Q(('title_en', ''), _negated=True)), _connector='OR'), name='partners_agreement_title_in_original_language', violation_error_message='Write the title in the original language.'),
        ),
        migrations.AddConstraint(
            model_name='theme',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('original_language', 'es'), models.Q(('name_es', ''), _negated=True)), models.Q(('original_language', 'pt'), models.Q(('name_pt', ''), _negated=True)), models.Q(('original_language', 'fr'), models.Q(('name_fr', ''), _negated=True)), models.Q(('original_language', 'en'), models.Q(('name_en', ''), _negated=True)), _connector='OR'), name='partners_theme_name_in_original_language', violation_error_message='Write the name in the original language.'),
        ),
        migrations.RunPython(
            rules.run({"sqlite": rules.SQLITE_FORWARD}), rules.run({"sqlite": rules.SQLITE_REVERSE})
        ),
    ]
