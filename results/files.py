"""Who may download the documents a coordinator gives as the source of a figure entered by
hand (registered with allas.media in apps.py): coordinators only. The figure may be public;
the document behind it is the secretariat's."""

from allas.roles import is_coordinator
from results.models import Target


def register():
    from allas.media import register_file_field

    register_file_field(
        Target,
        "source_document",
        is_public=lambda target: False,
        may_read=lambda user, target: is_coordinator(user),
    )
