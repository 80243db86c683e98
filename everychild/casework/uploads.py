"""What may be uploaded to a case: PDF, Word (DOCX), JPEG and PNG up to 10 MB, recognised by
their content, not their name. A file whose content is not what its name says is refused."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Name endings accepted for each kind of content.
_EXTENSIONS = {
    "pdf": {".pdf"},
    "docx": {".docx"},
    "jpeg": {".jpg", ".jpeg"},
    "png": {".png"},
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
KIND_LABELS = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "jpeg": "a JPEG image",
    "png": "a PNG image",
}
ALLOWED_DESCRIPTION = "a PDF, a Word document (.docx), a JPEG or a PNG"
# A DOCX is a zip; refuse one whose listing alone is absurd (a zip bomb), without extracting.
_MAX_ZIP_ENTRIES = 5000


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    content_type: str
    original_name: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "EVERYCHILD_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def sniff(head: bytes, whole) -> str | None:
    """The kind of file the content is, from its first bytes (and, for a zip, its listing)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(whole) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        is_word = "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
        if is_word and len(names) <= _MAX_ZIP_ENTRIES:
            return "docx"
    return None


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def check_upload(upload) -> CheckedUpload:
    """Check an uploaded file (Django's UploadedFile). Raises ValidationError on the field
    "file" saying what to fix; reads the content once, to hash it."""
    limit = max_upload_bytes()
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    if upload is None or not name:
        raise ValidationError({"file": ValidationError("Choose a file to upload.", "required")})
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": ValidationError("The file is empty.", "empty")})
    if size > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    f"The file must be smaller than {limit // (1024 * 1024)} MB "
                    f"(this one is {size / (1024 * 1024):.1f} MB).",
                    "too_large",
                )
            }
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    kind = sniff(content[:16], io.BytesIO(content))
    extension = _extension(name)
    if kind is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    f"The file must be {ALLOWED_DESCRIPTION}: this file's content is none of "
                    "those.",
                    "file_type",
                )
            }
        )
    if extension not in _EXTENSIONS[kind]:
        raise ValidationError(
            {
                "file": ValidationError(
                    f"The file's name ends “{extension or '(no ending)'}” but it is really "
                    f"{KIND_LABELS[kind]}: rename it or upload the right file.",
                    "disguised",
                )
            }
        )
    safe_name = get_valid_filename(name)[:200] or f"document{extension}"
    return CheckedUpload(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        original_name=safe_name,
        size=size,
        sha256=hashlib.sha256(content).hexdigest(),
    )
