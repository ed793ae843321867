# Uploads are stored under random names (allas.media.RandomFileName). Files already uploaded
# keep their names: no data migration; they are served through the same access checks.
# State only: the column (varchar 100) does not change, and SQLite's AlterField would rebuild
# the table (dropping the triggers of partners/0002 that refer to it) for nothing.

import allas.media
import allas.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partners', '0002_membership_period_rules'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.AlterField(
            model_name='partner',
            name='logo',
            field=models.ImageField(blank=True, upload_to=allas.media.RandomFileName('logos'), validators=[allas.validators.validate_image], verbose_name='logo'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='document',
            field=models.FileField(blank=True, upload_to=allas.media.RandomFileName('agreements'), validators=[allas.validators.validate_document], verbose_name='signed document'),
        ),
        ]),
    ]
