"""Policy documents that live in JSON files next to the config, read at load time so the
resolved config (and `./lz show`) carries the documents themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Customer policies a config may name without a document: Metastructure's (it kept their
# documents in Handlebars templates) and landing-zone's audit log reader;
# components/identity_center ships their documents.
AUDIT_LOG_READER_KEY = "audit_log_reader"
BUILTIN_POLICY_KEYS = ("sso_terraform_state_writer", "unprotected_resource_writer",
                       AUDIT_LOG_READER_KEY)


def policy_text(document: Any) -> str:
    """A policy document as sent to AWS: compact JSON, so what the size rules measure
    (`config.rules.limits.policy_size`) is exactly what AWS receives and counts."""
    return json.dumps(document, separators=(",", ":"))


class DocumentError(Exception):
    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


def read_document(base_dir: Path, relative: str) -> dict[str, Any]:
    path = (base_dir / relative).resolve()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DocumentError(f"policy file '{relative}' not found (looked in {path.parent}).",
                            "Paths are relative to the config file's directory.") from None
    except (OSError, UnicodeDecodeError) as exc:  # a folder, unreadable, or not text
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise DocumentError(f"policy file '{relative}' cannot be read: {why}.",
                            "Point it at a JSON policy document.") from None
    except json.JSONDecodeError as exc:
        raise DocumentError(f"policy file '{relative}' is not valid JSON: {exc.msg} at line "
                            f"{exc.lineno}.", "Fix the JSON (a linter or `python -m json.tool`).") from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise DocumentError(f"policy file '{relative}' is not a policy document.",
                            "It must be a JSON object with 'Version' and 'Statement'.")
    return document
