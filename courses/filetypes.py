"""The files learners and trainers may upload (assignments and the material library): one allow-list.

No Django imports here: the settings read CONTENT_TYPES for django-filer's whitelist.
"""

# Allowed uploads, recognised by their first bytes (never by the name or the browser's claim).
SIGNATURES = [
    (b"%PDF-", "application/pdf", {".pdf"}),
    (b"\x89PNG\r\n\x1a\n", "image/png", {".png"}),
    (b"\xff\xd8\xff", "image/jpeg", {".jpg", ".jpeg"}),
]
ZIP_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ALLOWED_EXTENSIONS = sorted({".pdf", ".png", ".jpg", ".jpeg", ".txt", *ZIP_TYPES})
CONTENT_TYPES = sorted({content_type for _, content_type, _ in SIGNATURES} | set(ZIP_TYPES.values()) | {"text/plain"})
