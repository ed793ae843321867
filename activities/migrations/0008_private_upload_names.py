# Uploads are stored under random names (allas.media.RandomFileName). Files already uploaded
# keep their names: no data migration; they are served through the same access checks.
# State only: the column (varchar 100) does not change, and SQLite's AlterField would rebuild
# the table (dropping the triggers of partners/0002 that refer to it) for nothing.

import allas.media
import allas.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0007_proposed_change'),
        ('partners', '0003_private_upload_names'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
        migrations.AlterField(
            model_name='resource',
            name='file',
            field=models.FileField(blank=True, upload_to=allas.media.RandomFileName('resources'), validators=[allas.validators.validate_document], verbose_name='file'),
        ),
        ]),
    ]
