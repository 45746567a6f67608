"""Opening an import file and picking its codec; the error every unreadable file raises.

UTF-8 with or without BOM, UTF-16 with BOM (Excel "Unicode text"), otherwise GB18030 (a
superset of GBK/GB2312, what Chinese Excel saves); an explicit encoding wins.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import BinaryIO

_SCAN_CHUNK = 1024 * 1024


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, unreadable, not text, no usable header).

    The message is for the user and names the file.
    """


def open_binary(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes, or :class:`ImportFileError` naming why not."""
    try:
        return path.open("rb")
    except FileNotFoundError as exc:
        raise ImportFileError(f"{path}: file not found") from exc
    except IsADirectoryError as exc:
        raise ImportFileError(f"{path}: is a directory, not a CSV file") from exc
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot open file ({exc.strerror or exc})") from exc


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes as ``encoding`` (streamed, so big files are fine)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with open_binary(path) as fh:
        try:
            while chunk := fh.read(_SCAN_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        except OSError as exc:
            raise ImportFileError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    return True


def detect_encoding(path: Path) -> str:
    """Pick the codec for ``path``: BOM first, then UTF-8 if the whole file decodes, else GB18030.

    Raises :class:`ImportFileError` when the file is neither.
    """
    with open_binary(path) as fh:
        try:
            head = fh.read(4)
        except OSError as exc:
            raise ImportFileError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    if _decodes(path, encoding):
        return encoding
    if encoding == "utf-8" and _decodes(path, "gb18030"):
        return "gb18030"
    raise ImportFileError(
        f"{path}: not a text file in a known encoding (tried UTF-8 and GB18030); "
        "if it is text, name its encoding explicitly"
    )


def resolve_encoding(path: Path, encoding: str | None) -> str:
    """The codec to read ``path`` with: ``encoding`` when given (validated), else detected."""
    if encoding is None:
        return detect_encoding(path)
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise ImportFileError(f"unknown encoding {encoding!r}") from exc
    if name == "utf-8":
        with open_binary(path) as fh:
            if fh.read(3) == codecs.BOM_UTF8:
                # A BOM is not data: without this it would glue itself to the first header.
                return "utf-8-sig"
    return encoding


def piece_codec(encoding: str) -> str:
    """The codec to decode a piece of the file from after its start with."""
    # A BOM is only a BOM at the start of the file; inside, U+FEFF is data.
    return "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding
