"""The exports read by their consumers' own validators and parsers.

- JSON: the W3C ``web-annotation-tests`` JSON Schemas (the MUST lists of the
  annotation, collection and page tests) and JSON-LD expansion with ``pyld``
  against the local copy of the W3C context (no network);
- Org: Emacs's own Org (``emacs --batch``), one process kept for a whole test
  module: each file is parsed with ``org-element`` and exported to ASCII;
- Markdown: ``markdown-it-py`` (CommonMark, front matter);
- CSV: Python's ``csv``.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

STANDARDS = Path(__file__).resolve().parents[1] / "standards" / "web-annotation"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ZWSP = "\u200b"


# -- W3C Web Annotation ----------------------------------------------------------------------


@cache
def _w3c() -> tuple[Any, dict[str, dict[str, Any]]]:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    schemas: dict[str, dict[str, Any]] = {}
    resources = []
    for path in sorted(STANDARDS.glob("**/*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if "$schema" not in schema:
            continue
        resources.append((schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)))
        schemas[str(path.relative_to(STANDARDS))] = schema
    return Registry().with_resources(resources), schemas


def w3c_failures(instance: object, test: str) -> list[str]:
    """Each MUST assertion of ``test`` (``annotations/annotationMusts.test``…) that ``instance`` fails."""
    from jsonschema import Draft4Validator, FormatChecker

    registry, schemas = _w3c()
    assertions = json.loads((STANDARDS / test).read_text(encoding="utf-8"))["assertions"]
    failures = []
    for name in assertions:
        schema = schemas[name]
        validator = Draft4Validator(schema, registry=registry, format_checker=FormatChecker())
        errors = list(validator.iter_errors(instance))
        if errors:
            failures.append(f"{name}: {schema.get('errorMessage', '')} ({errors[0].message[:200]})")
    return failures


def expand_jsonld(document: object) -> list[dict[str, Any]]:
    """JSON-LD expansion, the W3C context served from the local copy; any other context fails."""
    from pyld import jsonld

    context = json.loads((STANDARDS / "context" / "anno.jsonld").read_text(encoding="utf-8"))

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url.rstrip("/") != ANNO_CONTEXT:
            raise AssertionError(f"the export asks for a remote context: {url}")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": copy.deepcopy(context)}

    return jsonld.expand(copy.deepcopy(document), {"documentLoader": loader})


# -- Org through Emacs -----------------------------------------------------------------------

_ELISP = r"""
(require 'org) (require 'org-element) (require 'ox-ascii) (require 'json)
(setq org-export-with-broken-links nil)
(defun rd-blank (o) (make-string (or (org-element-property :post-blank o) 0) ?\s))
(defun rd-objects (objects)
  (mapcar (lambda (o)
            (cond ((stringp o) (vector "text" (substring-no-properties o)))
                  ((eq (org-element-type o) 'entity)
                   (vector "entity" (concat (org-element-property :utf-8 o) (rd-blank o))))
                  ((and (eq (org-element-type o) 'link) (equal (org-element-property :format o) 'plain))
                   (vector "plain-link" (concat (org-element-property :raw-link o) (rd-blank o))))
                  (t (vector (symbol-name (org-element-type o))
                             (buffer-substring-no-properties (org-element-property :begin o)
                                                             (org-element-property :end o))))))
          objects))
(defun rd-node (node parent)
  (let* ((type (org-element-type node))
         (record (list (cons "type" (symbol-name type)) (cons "in" (symbol-name (or parent 'org-data))))))
    (pcase type
      ('headline
       (push (cons "level" (org-element-property :level node)) record)
       (push (cons "title" (vconcat (rd-objects (org-element-property :title node)))) record)
       (push (cons "todo" (or (org-element-property :todo-keyword node) "")) record)
       (push (cons "commented" (if (org-element-property :commentedp node) t :json-false)) record)
       (push (cons "priority" (or (org-element-property :priority node) 0)) record)
       (push (cons "tags" (vconcat (mapcar #'substring-no-properties (org-element-property :tags node)))) record))
      ('node-property
       (push (cons "key" (org-element-property :key node)) record)
       (push (cons "value" (or (org-element-property :value node) "")) record))
      ('keyword
       (push (cons "key" (org-element-property :key node)) record)
       (push (cons "value" (or (org-element-property :value node) "")) record)))
    (when (memq type '(paragraph))
      (push (cons "objects" (vconcat (rd-objects (org-element-contents node)))) record))
    (cons (reverse record)
          (unless (memq type '(paragraph))
            (apply #'append (mapcar (lambda (child) (unless (stringp child) (rd-node child type)))
                                    (org-element-contents node)))))))
(while t
  (let ((file (read-from-minibuffer "")))
    (with-temp-buffer
      (insert-file-contents file)
      (org-mode)
      (let* ((tree (org-element-parse-buffer))
             (nodes (apply #'append (mapcar (lambda (c) (rd-node c nil)) (org-element-contents tree))))
             (export (condition-case err
                         (progn (org-export-as 'ascii nil nil nil '(:ascii-charset utf-8)) "")
                       (error (error-message-string err)))))
        (with-temp-file (concat file ".json")
          (insert (json-encode (list (cons "nodes" (vconcat nodes)) (cons "export_error" export)))))
        (message "done")))))
"""


def emacs_available() -> bool:
    return shutil.which("emacs") is not None


def running_emacs() -> Iterator[Emacs]:
    """One Emacs for a module's tests (a fixture yields from it), closed after them; the
    tests skipped where Emacs is not installed."""
    import pytest

    if not emacs_available():
        pytest.skip("emacs is not installed (make test installs emacs-nox)")
    process = Emacs()
    yield process
    process.close()


class Emacs:
    """One ``emacs --batch`` reading file names on stdin; :meth:`read` gives Org's view of a text."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="reader-org-")
        script = Path(self._dir.name) / "read.el"
        script.write_text(_ELISP, encoding="utf-8")
        self._proc = subprocess.Popen(
            ["emacs", "--batch", "-Q", "-l", str(script)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self._count = 0

    def read(self, text: str) -> dict[str, Any]:
        """``{"nodes": [...], "export_error": ""}`` for the Org text."""
        self._count += 1
        path = Path(self._dir.name) / f"f{self._count}.org"
        path.write_text(text, encoding="utf-8")
        assert self._proc.stdin is not None and self._proc.stderr is not None
        self._proc.stdin.write(f"{path}\n")
        self._proc.stdin.flush()
        while True:
            line = self._proc.stderr.readline()
            if not line:
                raise AssertionError(f"emacs ended: {self._proc.wait()}")
            if line.strip() == "done":
                break
        result = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
        path.unlink()
        Path(f"{path}.json").unlink()
        return result

    def close(self) -> None:
        self._proc.kill()
        self._proc.wait()
        self._dir.cleanup()


def org_text(objects: list[list[str]], *, allow_links: bool = False) -> str:
    """The text Org shows for parsed objects; AssertionError on anything but text (markup read)."""
    parts = []
    for kind, value in objects:
        if kind in ("text", "entity") or (allow_links and kind == "plain-link"):
            parts.append(value)
        else:
            raise AssertionError(f"Org read {kind}: {value!r}")
    return "".join(parts).replace(ZWSP, "")
