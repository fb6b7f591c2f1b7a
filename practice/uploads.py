"""Photos and documents of a record, cleaned before they are stored (docs/practice.md, "Files").

* Photos (JPEG, PNG, WebP) are decoded and re-encoded from their pixels alone with Pillow: EXIF (GPS, camera,
  times), XMP, IPTC, ICC profiles and comments do not survive, because nothing but the pixels is written. The
  orientation EXIF asked for is applied first, so the picture still stands the right way up.
* PDF documents are rebuilt page by page with pypdf: the document information (author, producer, dates), the
  XMP metadata stream, page-level metadata, piece info, thumbnails, scripts and automatic actions are left out.
  Encrypted PDFs are refused (they cannot be cleaned).
* Anything else is refused: the type is decided from the content, never from the name or the browser's claim.

The caller encrypts what this returns (practice/crypto.py).
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png"), "WEBP": ("image/webp", ".webp")}
MAX_PIXELS = 40_000_000  # a phone photo is 12-50 MP; a bigger image is most likely a decompression bomb
# What a page of a PDF keeps: its content and geometry; everything else (metadata, scripts, actions) goes.
PDF_PAGE_DROP = ("/Metadata", "/PieceInfo", "/Thumb", "/AA", "/B", "/StructParents", "/LastModified")


@dataclass(frozen=True)
class CleanFile:
    data: bytes
    content_type: str
    extension: str


def _refuse_type():
    return ValidationError(
        _("This type of file is not accepted. Send a photo (JPEG, PNG or WebP) or a PDF document."), code="bad_type"
    )


def _clean_image(data: bytes) -> CleanFile:
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = "JPEG" if image.format == "MPO" else image.format  # MPO: a phone's JPEG with a preview
            if fmt not in IMAGE_FORMATS:
                raise _refuse_type()
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This picture is too large (too many pixels)."), code="too_large")
            image = ImageOps.exif_transpose(image)  # keep the picture upright, then forget the EXIF
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This picture could not be read. Is the file complete?"), code="bad_file") from error
    return _reencode(image, fmt)


def _reencode(image: Image.Image, fmt: str) -> CleanFile:
    content_type, extension = IMAGE_FORMATS[fmt]
    if fmt == "JPEG":
        mode = "L" if image.mode in ("L", "LA", "I;16") else "RGB"
    else:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else ("L" if image.mode == "L" else "RGB")
    image = image.convert(mode)
    # A new image made of the pixels alone: no `info` (EXIF, XMP, ICC, comments, text chunks) to carry over.
    bare = Image.frombytes(mode, image.size, image.tobytes())
    out = io.BytesIO()
    options = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}[fmt]
    bare.save(out, format=fmt, **options)
    return CleanFile(out.getvalue(), content_type, extension)


def _clean_pdf(data: bytes) -> CleanFile:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("This PDF is protected with a password: send it without the protection."), code="encrypted"
            )
        writer = PdfWriter()
        for page in reader.pages:
            added = writer.add_page(page)
            for key in PDF_PAGE_DROP:
                if key in added:
                    del added[NameObject(key)]
            annotations = added.get("/Annots")
            if annotations is not None:
                # Links and notes may carry scripts, actions, authors and dates: a cleaned copy has none.
                del added[NameObject("/Annots")]
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as error:
        raise ValidationError(_("This PDF could not be read. Is the file complete?"), code="bad_file") from error
    return CleanFile(out.getvalue(), "application/pdf", ".pdf")


def clean_upload(upload) -> CleanFile:
    """The upload, type checked on its content, without its metadata; or a ValidationError that says why not."""
    limit = settings.PRACTICE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large: the limit is %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large: the limit is %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return _clean_pdf(data)
    if (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        return _clean_image(data)
    raise _refuse_type()
