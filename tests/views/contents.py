"""What a person reads in a response, whatever its format: the access tests check contents, not only status codes."""

import subprocess
from functools import lru_cache
from io import BytesIO


def body_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def body_text(response) -> str:
    """HTML, CSV and JSON as text, the cells of an XLSX workbook, the text of a PDF (pdftotext); nothing for images."""
    body = body_bytes(response)
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        return _pdf_text(body)
    if "spreadsheetml" in content_type:
        return _xlsx_text(body)
    if content_type.startswith("image/"):
        return ""
    return body.decode("utf-8", "replace")


@lru_cache(maxsize=64)
def _pdf_text(body: bytes) -> str:
    # Every role downloads the same few files: read each once.
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()


@lru_cache(maxsize=64)
def _xlsx_text(body: bytes) -> str:
    # The same workbook reaches several roles and both languages' crawls: parse each once.
    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(body), read_only=True)
    lines = []
    for sheet in workbook.worksheets:
        lines.append(f"## {sheet.title}")
        lines += ["\t".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    return "\n".join(lines)
