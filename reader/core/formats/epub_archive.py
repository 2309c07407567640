"""An EPUB's ZIP archive opened with care: hostile archives are refused with one line.

- every member is checked before any is read: a name that climbs out (``..``), is
  absolute or holds a NUL; more than :data:`MAX_MEMBERS` members; a member larger than
  :data:`MAX_MEMBER_BYTES` or all of them larger than :data:`MAX_TOTAL_BYTES` once
  expanded; a member expanding more than :data:`MAX_RATIO` times (a zip bomb);
- a member is read at most to its limit whatever its header says;
- ``mimetype``, when there, must say ``application/epub+zip``;
- ``META-INF/encryption.xml`` naming anything but obfuscated fonts is DRM: refused;
- XML is parsed by the standard library's expat with entity declarations refused
  (no entity expansion at all).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree

from reader.core.formats.errors import BadFile

__all__ = ["Archive", "local", "MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_RATIO", "MAX_TOTAL_BYTES"]

MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one member, expanded
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # all members, expanded
MAX_RATIO = 200  # expanded size over compressed size, for members over RATIO_FROM bytes
RATIO_FROM = 1024 * 1024
MIMETYPE = b"application/epub+zip"
# font obfuscation (IDPF, Adobe): the fonts are scrambled, the text is not
_FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")


class Archive:
    """The members of an EPUB, checked (see the module)."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as error:
            raise BadFile(f"not an EPUB: not a ZIP archive ({error})") from None
        except (OSError, ValueError, EOFError, NotImplementedError) as error:
            raise BadFile(f"damaged EPUB archive ({error})") from None
        members = self.zip.infolist()
        if len(members) > MAX_MEMBERS:
            raise BadFile(f"too many members in the EPUB archive ({len(members)})")
        total = 0
        self.names: dict[str, zipfile.ZipInfo] = {}
        for member in members:
            name = member.filename
            if "\x00" in name or name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
                raise BadFile(f"unsafe member name in the EPUB archive: {name[:80]!r}")
            if member.file_size > MAX_MEMBER_BYTES:
                raise BadFile(f"EPUB member too large: {name[:80]!r} ({member.file_size // (1024 * 1024)} MB expanded)")
            if member.file_size > RATIO_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                ratio = member.file_size // max(member.compress_size, 1)
                raise BadFile(f"zip bomb: EPUB member {name[:80]!r} expands {ratio} times")
            total += member.file_size
            self.names.setdefault(name, member)
        if total > MAX_TOTAL_BYTES:
            raise BadFile(f"EPUB too large once expanded ({total // (1024 * 1024)} MB)")
        self._check_mimetype()
        self._check_encryption()

    def has(self, name: str) -> bool:
        return name in self.names

    def size(self, name: str) -> int:
        member = self.names.get(name)
        return member.file_size if member is not None else 0

    def read(self, name: str) -> bytes:
        """A member's bytes, at most :data:`MAX_MEMBER_BYTES` whatever its header says."""
        member = self.names.get(name)
        if member is None:
            raise BadFile(f"EPUB member missing: {name[:80]!r}")
        try:
            with self.zip.open(member) as stream:
                data = stream.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
            # RuntimeError: a member encrypted with a ZIP password
            raise BadFile(f"damaged EPUB member {name[:80]!r} ({error})") from None
        if len(data) > MAX_MEMBER_BYTES or len(data) > max(member.file_size, RATIO_FROM) * 2:
            raise BadFile(f"zip bomb: EPUB member {name[:80]!r} expands beyond its stated size")
        return data

    def xml(self, name: str) -> ElementTree.Element:
        return parse_xml(self.read(name), name)

    def _check_mimetype(self) -> None:
        if not self.has("mimetype"):
            return  # many EPUBs made by hand lack it; the container says what they are
        found = self.read("mimetype").strip()
        if found != MIMETYPE:
            raise BadFile(f"not an EPUB: its mimetype is {found[:60].decode('ascii', 'replace')!r}")

    def _check_encryption(self) -> None:
        name = "META-INF/encryption.xml"
        if not self.has(name):
            return
        root = self.xml(name)
        for data in root.iter():
            if local(data.tag) != "EncryptedData":
                continue
            method = next((node for node in data.iter() if local(node.tag) == "EncryptionMethod"), None)
            algorithm = method.get("Algorithm", "") if method is not None else ""
            if algorithm not in _FONT_OBFUSCATION:
                raise BadFile("encrypted EPUB (DRM): META-INF/encryption.xml protects its content")


def parse_xml(data: bytes, name: str) -> ElementTree.Element:
    """An XML member parsed, with no entity declared (and so none expanded)."""
    if b"<!ENTITY" in data or b"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y" in data:
        raise BadFile(f"EPUB member {name[:80]!r} declares XML entities (refused)")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise BadFile(f"EPUB member {name[:80]!r} is not well-formed XML ({error})") from None


def local(tag: object) -> str:
    """A tag or attribute name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def resolve(base: str, href: str) -> str | None:
    """A relative reference from the member ``base``, as a member name (None if it leaves the
    archive or names another site)."""
    href = unquote(href.split("#", 1)[0].strip())
    if not href or "://" in href or href.startswith(("/", "data:", "mailto:")):
        return None
    name = posixpath.normpath(posixpath.join(posixpath.dirname(base), href))
    return None if name.startswith("..") else name
