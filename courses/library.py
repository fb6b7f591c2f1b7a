"""Upload checks for the material library (django-filer): the same content-based allow-list as assignments.

filer names the type from the file name; `content_matches_type` (registered in FILER_ADD_FILE_VALIDATORS)
refuses a file whose bytes are not what its name says, so a script renamed to .pdf never enters the library.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .services import upload_content_type


def content_matches_type(file_name, file, owner, mime_type) -> None:
    content_type = upload_content_type(file)  # size limit and allow-list, on the content
    if content_type != mime_type:
        raise ValidationError(_("The file's content does not match its name."), code="bad_type")
