"""JSON export and import: a W3C Web Annotation collection, read back losslessly.

The file is one ``AnnotationCollection`` whose ``first`` page holds every note
as an ``Annotation`` (the W3C Web Annotation Data Model, checked against the
W3C's test schemas)::

    {"@context": ["http://www.w3.org/ns/anno.jsonld", READER_CONTEXT],
     "id": "urn:uuid:…", "type": "AnnotationCollection", "label": "…", "total": N,
     "reader": {"format": "reader-annotations", "version": 2, "exported": "…",
                "documents": [{"id", "title", "path", "source", "url", "tags"?}]},
     "first": {"id": "urn:uuid:…", "type": "AnnotationPage", "startIndex": 0,
       "items": [{"@context": […], "id": "urn:uuid:…", "type": "Annotation",
         "motivation": "highlighting" | "commenting" | "bookmarking",
         "created", "modified",
         "body": [{"type": "TextualBody", "purpose": "commenting", "value": NOTE, "format": "text/plain"},
                  {"type": "TextualBody", "purpose": "tagging", "value": TAG}, …],
         "target": {"source": "file:///…", "selector": [
             {"type": "TextQuoteSelector", "exact", "prefix", "suffix"},
             {"type": "TextPositionSelector", "start", "end"}]},
         "reader": {"id", "document", "kind", "name", "section", "page"?, "rev"?, "text_hash", "extra"}}]}}

A document's own tags (``TaggedDocument``) are ``tags`` in its entry under
``reader.documents``: the W3C model tags annotations, not the documents they target.
:func:`parse_json` reads them back (a ``TaggedDocument``; a tag that ``reader tag``
would refuse is a :class:`BadExport` naming it).

A note on a PDF keeps its printed page as ``reader.page`` (a property, not a selector:
the W3C model has no page selector for text, and the position selectors stay exact).

What the W3C model has no place for sits under ``reader``, a key the extra
context defines as a JSON literal (``@type: @json``), so that JSON-LD expansion
keeps it whole. ``TextPositionSelector`` counts code points in reader's
normalized text (line ends as ``\\n``, Markdown and HTML read as text), not in
the file as written: a consumer anchors with the ``TextQuoteSelector`` first and
uses the position only to choose between equal quotes. An id that is not a
UUID is kept under ``reader`` and the annotation's IRI is a name-based UUID.

:func:`parse_json` reads this shape and the earlier one (version 1:
``{"format": "reader-annotations", "documents": [{…, "annotations": […]}]}``),
raising only :class:`BadExport`, with a one-line message naming the place and value.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from reader.core.export.common import Documents, TaggedDocument, document_tags, live_in_order, motivation
from reader.core.export.links import file_uri
from reader.core.notes import BadNote, DocumentRef, Kind, Note, note_from_dict
from reader.core.organise import BadValue, clean_tag, with_tags

__all__ = ["FORMAT", "VERSION", "CONTEXT", "BadExport", "render_json", "parse_json"]

FORMAT = "reader-annotations"
VERSION = 2
CONTEXT_IRI = "http://www.w3.org/ns/anno.jsonld"
READER_IRI = "urn:x-reader:annotation-data"
CONTEXT: list[Any] = [CONTEXT_IRI, {"@version": 1.1, "reader": {"@id": READER_IRI, "@type": "@json"}}]
_NAMESPACE = uuid.UUID("0b4f5a84-8f6a-5a3e-9d2c-6c1f3e0a7b21")  # reader's name-based UUIDs
_UUID_HEX = re.compile(r"^[0-9a-f]{32}$")
# xsd:dateTime as RFC 3339 has it (what the W3C schemas check): else the time stays under "reader"
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_MAX_DIGITS = 1000  # a longer number in an import is refused, not handed to int()


class BadExport(ValueError):
    """A JSON export that cannot be read back; the message says what and where, in one line."""


# -- writing -------------------------------------------------------------------------------


def render_json(documents: Documents, *, exported: str) -> str:
    ordered = live_in_order(documents)
    items = [_annotation(document, note) for document, notes in ordered for note in notes]
    collection = _name_uuid("export", exported, *(item["reader"]["id"] for item in items))
    data = {
        "@context": CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": "reader annotations",
        "total": len(items),
        "reader": {
            "format": FORMAT,
            "version": VERSION,
            "exported": exported,
            "documents": [_document(document) for document, _ in ordered],
        },
    }
    if items:  # the W3C model: "first" when the collection is not empty
        data["first"] = {"id": _name_uuid("page", collection), "type": "AnnotationPage", "startIndex": 0,
                         "items": items}
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _document(document: DocumentRef) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.id,
        "title": document.title,
        "path": document.path,
        "source": document.source,
        "url": file_uri(document.path),
    }
    if document_tags(document):
        data["tags"] = list(document_tags(document))
    return data


def _annotation(document: DocumentRef, note: Note) -> dict[str, Any]:
    target = note.target
    own: dict[str, Any] = {
        "id": note.id,
        "document": document.id,
        "kind": note.kind.value,
        "name": note.name,
        "section": note.section,
        "text_hash": target.text_hash,
        "extra": dict(note.extra),
    }
    if note.page:
        own["page"] = note.page
    if note.rev:
        own["rev"] = note.rev  # the note's change count: an import of a later edit wins over this copy
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "id": note_iri(note.id),
        "type": "Annotation",
        "motivation": motivation(note),
    }
    for key, value in (("created", note.created), ("modified", note.updated)):
        if _DATE_TIME.match(value):
            data[key] = value
        else:
            own[key] = value  # not a time the W3C model takes: kept as written, here
    bodies = []
    if note.text:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": note.text, "format": "text/plain"})
    bodies.extend({"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in note.tags)
    if bodies:
        data["body"] = bodies
    data["target"] = {
        "source": file_uri(document.path),
        "selector": [
            {"type": "TextQuoteSelector", "exact": target.exact, "prefix": target.prefix, "suffix": target.suffix},
            {"type": "TextPositionSelector", "start": target.start, "end": target.end},
        ],
    }
    data["reader"] = own
    return data


def note_iri(note_id: str) -> str:
    """``urn:uuid:…``: the note's own UUID when its id is one, else a UUID named by the id."""
    if _UUID_HEX.match(note_id):
        return uuid.UUID(hex=note_id).urn
    return _name_uuid("note", note_id)


def _name_uuid(*parts: str) -> str:
    return uuid.uuid5(_NAMESPACE, "\x00".join(parts)).urn


def _plain(value: object) -> object:
    """JSON for what YAML may have left in ``extra``: times as ISO text, sets as lists."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


# -- reading -------------------------------------------------------------------------------


def parse_json(text: str) -> list[tuple[DocumentRef, list[Note]]]:
    """The documents and notes of a JSON export; :class:`BadExport` if it is not one."""
    data = _load(text)
    if isinstance(data, dict) and data.get("type") == "AnnotationCollection":
        return _read_collection(data)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadExport(f'not a reader annotations export (no "format": "{FORMAT}")')
    _version(data.get("version"))
    documents = _list(data, "documents", "export")
    return [_read_document(item, f"documents[{i}]") for i, item in enumerate(documents)]


def _load(text: str) -> object:
    try:
        return json.loads(text, parse_int=_whole_number, parse_constant=_not_a_number)
    except BadExport:
        raise
    except json.JSONDecodeError as error:
        raise BadExport(f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise BadExport("not JSON: nested too deeply") from None
    except ValueError as error:  # what json.loads may still raise on a hostile number or text
        raise BadExport(f"not JSON: {str(error).splitlines()[0][:200]}") from None


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > _MAX_DIGITS:
        raise BadExport(f"a number of {len(digits.lstrip('-'))} digits ({digits[:12]}…): too long to be a note's")
    return int(digits)


def _not_a_number(name: str) -> float:
    raise BadExport(f"{name} is not a JSON number")


def _version(version: object) -> None:
    if isinstance(version, bool) or not isinstance(version, int):
        raise BadExport(f"version must be a whole number, found {_show(version)}")
    if version > VERSION:
        raise BadExport(f"version {version} is newer than this reader reads ({VERSION}); update reader")


def _read_collection(data: dict[str, Any]) -> list[tuple[DocumentRef, list[Note]]]:
    own = data.get("reader")
    if not isinstance(own, dict) or own.get("format") != FORMAT:
        raise BadExport(f'an annotation collection, but not a reader export (no "reader": {{"format": "{FORMAT}"}})')
    _version(own.get("version"))
    documents: dict[str, tuple[DocumentRef, list[Note]]] = {}
    for i, item in enumerate(_list(own, "documents", "reader")):
        where = f"reader.documents[{i}]"
        document = _document_ref(item, where)
        if document.id in documents:
            raise BadExport(f"{where}: document {_show(document.id)} is listed twice")
        documents[document.id] = (document, [])
    first = data.get("first")
    if first is None:
        items: list[Any] = []
    elif not isinstance(first, dict):
        raise BadExport(f"first: expected an object, found {_kind(first)}")
    else:
        items = _list(first, "items", "first")
    for j, item in enumerate(items):
        where = f"first.items[{j}]"
        if not isinstance(item, dict):
            raise BadExport(f"{where}: expected an object, found {_kind(item)}")
        own_note = _object(item, "reader", where)
        doc_id = own_note.get("document")
        if not isinstance(doc_id, str) or doc_id not in documents:
            raise BadExport(f"{where}.reader.document: {_show(doc_id)} is not one of reader.documents")
        documents[doc_id][1].append(_read_note(item, doc_id, where))
    return list(documents.values())


def _document_ref(item: object, where: str) -> DocumentRef:
    if not isinstance(item, dict):
        raise BadExport(f"{where}: expected an object, found {_kind(item)}")
    doc_id = _text(item, "id", where)
    if not doc_id.strip():
        raise BadExport(f"{where}: id is missing")
    fields = (doc_id, _text(item, "path", where), _text(item, "title", where), _text(item, "source", where))
    tags = _document_tags(item, where)
    return TaggedDocument(*fields, tags) if tags else DocumentRef(*fields)


def _document_tags(item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    """The document's own tags (``tags``, optional), each as ``reader tag`` would keep it."""
    value = item.get("tags")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise BadExport(f"{where}: tags must be a list, found {_kind(value)}")
    tags = []
    for k, tag in enumerate(value):
        try:
            tags.append(clean_tag(tag))
        except BadValue as error:
            raise BadExport(f"{where}.tags[{k}]: {error}") from None
    return with_tags((), tags)


def _read_document(item: object, where: str) -> tuple[DocumentRef, list[Note]]:
    document = _document_ref(item, where)
    annotations = _list(item, "annotations", where)  # type: ignore[arg-type]
    notes = [_read_note(note, document.id, f"{where}.annotations[{j}]") for j, note in enumerate(annotations)]
    return document, notes


def _read_note(item: object, doc_id: str, where: str) -> Note:
    if not isinstance(item, dict):
        raise BadExport(f"{where}: expected an object, found {_kind(item)}")
    own = _object(item, "reader", where)
    extra = _object(own, "extra", f"{where}.reader")
    quote, position = _selectors(item, where)
    text, tags = _bodies(item, where)
    kind = own.get("kind") or (Kind.BOOKMARK.value if item.get("motivation") == "bookmarking" else Kind.NOTE.value)
    mapping: dict[str, Any] = {
        "id": own.get("id") or _note_id(item.get("id")),
        "kind": kind,
        "created": own.get("created") or item.get("created"),
        "updated": own.get("modified") or item.get("modified"),
        "text": text,
        "tags": tags,
        "name": own.get("name", ""),
        "section": own.get("section", ""),
        "page": own.get("page", ""),
        "rev": own.get("rev", 0),
        "target": {
            "exact": quote.get("exact"),
            "prefix": quote.get("prefix", ""),
            "suffix": quote.get("suffix", ""),
            "start": position.get("start"),
            "end": position.get("end"),
            "text_hash": own.get("text_hash", ""),
        },
    }
    for key, value in extra.items():
        if key not in mapping and key != "deleted":  # a tombstone is never imported
            mapping[key] = value
    try:
        return note_from_dict(mapping, doc_id, where)
    except BadNote as error:
        raise BadExport(str(error)) from None
    except (TypeError, ValueError) as error:  # a value no note field can take
        raise BadExport(f"{where}: {str(error).splitlines()[0][:200]}") from None


def _note_id(value: object) -> object:
    """The note id in an annotation's IRI (``urn:uuid:`` gives the bare hex)."""
    if isinstance(value, str) and value.lower().startswith("urn:uuid:"):
        try:
            return uuid.UUID(value[len("urn:uuid:"):]).hex
        except ValueError:
            return value
    return value


def _bodies(item: Mapping[str, Any], where: str) -> tuple[object, object]:
    """The note's text and tags: ``bodyValue``/``tags`` (version 1) or the ``body`` list."""
    if "body" not in item:
        return item.get("bodyValue", ""), item.get("tags") or []
    bodies = item["body"]
    if isinstance(bodies, dict):
        bodies = [bodies]
    if not isinstance(bodies, list):
        raise BadExport(f"{where}.body: expected a list, found {_kind(bodies)}")
    text: list[str] = []
    tags: list[str] = []
    for k, body in enumerate(bodies):
        if not isinstance(body, dict):
            raise BadExport(f"{where}.body[{k}]: expected an object, found {_kind(body)}")
        value = body.get("value", "")
        if not isinstance(value, str):
            raise BadExport(f"{where}.body[{k}].value must be text, found {_kind(value)}")
        (tags if body.get("purpose") == "tagging" else text).append(value)
    return "\n\n".join(text), tags


def _selectors(item: Mapping[str, Any], where: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    target = item.get("target")
    if not isinstance(target, dict):
        raise BadExport(f"{where}.target: expected an object, found {_kind(target)}")
    selectors = target.get("selector")
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list):
        raise BadExport(f"{where}.target.selector: expected a list, found {_kind(selectors)}")
    found: dict[str, Mapping[str, Any]] = {}
    for k, selector in enumerate(selectors):
        if not isinstance(selector, dict):
            raise BadExport(f"{where}.target.selector[{k}]: expected an object, found {_kind(selector)}")
        kind = selector.get("type")
        if not isinstance(kind, str):
            raise BadExport(f"{where}.target.selector[{k}].type must be text, found {_show(kind)}")
        found.setdefault(kind, selector)
    for kind in ("TextQuoteSelector", "TextPositionSelector"):
        if kind not in found:
            raise BadExport(f"{where}.target.selector: no {kind}")
    return found["TextQuoteSelector"], found["TextPositionSelector"]


def _object(data: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise BadExport(f"{where}.{key}: expected an object, found {_kind(value)}")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise BadExport(f"{where}: {key} must be a list, found {_kind(value)}")
    return value


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadExport(f"{where}: {key} must be text, found {_kind(value)}")
    return value


def _show(value: object) -> str:
    """A value for a message: short, on one line."""
    shown = json.dumps(value, ensure_ascii=True, default=str) if not isinstance(value, (dict, list)) else _kind(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _kind(value: object) -> str:
    return {type(None): "nothing", dict: "an object", list: "a list", str: "text"}.get(type(value), type(value).__name__)
