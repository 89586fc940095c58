"""Decoding the bytes of text and HTML files: BOM, valid UTF-8, declared charset, GB18030, detection.

Chinese government pages and exported text are often GBK/GB2312 and the declared charset is not
always true, so the order is:

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. strict UTF-8, when the bytes are valid UTF-8 and contain non-ASCII text: GBK text almost never
   forms valid multi-byte UTF-8, while pages re-saved as UTF-8 often keep ``<meta charset=gb2312>``;
3. the declared charset (HTML meta / HTTP header), ``gbk``/``gb2312`` read as ``gb18030`` (a superset);
4. strict UTF-8 (pure ASCII);
5. GB18030, strict, then tolerating a few damaged bytes;
6. charset-normalizer as a last resort.

A result that is mostly replacement or control characters, or has no CJK at all while the bytes
look binary, is an ``EncodingError`` naming the file.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import EncodingError

# Declared names that all mean "some GB encoding": read them with the superset.
GB_ALIASES = frozenset(
    {"gbk", "gb2312", "gb_2312", "gb_2312-80", "gb-2312", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "euccn",
     "csgb2312", "chinese", "iso-ir-58", "hz-gb-2312", "gb18030"}
)
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A tolerated share of undecodable bytes when a GB file has a few damaged characters.
MAX_DAMAGE = 0.002
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
BAD = re.compile(r"[\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def canonical(name: str | None) -> str | None:
    """The Python codec name for a declared charset, GB family mapped to gb18030; None if unknown."""
    if not name:
        return None
    low = name.strip().strip("'\"").lower()
    if low in GB_ALIASES or low.startswith("gb"):
        return "gb18030"
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def normalize_newlines(text: str) -> str:
    """Text with CRLF / CR line endings turned into LF and a leading BOM character removed."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def looks_binary(data: bytes) -> bool:
    """Whether the bytes look like a binary file rather than text (NULs or many control bytes)."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) > 0.05


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _tolerant_gb(data: bytes) -> str | None:
    """GB18030 with replacement characters, if only a few bytes are damaged."""
    text = data.decode("gb18030", errors="replace")
    if text.count("\ufffd") <= max(1, int(len(text) * MAX_DAMAGE)):
        return text
    return None


def _detected(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or not best.encoding:
        return None
    name = canonical(best.encoding) or best.encoding
    return str(best), name


def _guess(data: bytes, declared: str | None) -> tuple[str, str] | None:
    for bom, name in BOMS:
        if data.startswith(bom):
            text = _strict(data, name)
            if text is not None:
                return text, name
    utf8 = _strict(data, "utf-8")
    if utf8 is not None and not utf8.isascii():
        return utf8, "utf-8"
    name = canonical(declared)
    if name and name not in ("utf-8", "utf-16", "utf-32"):
        text = _strict(data, name)
        if text is not None:
            return text, name
    if utf8 is not None:
        return utf8, "utf-8"
    text = _strict(data, "gb18030")
    if text is not None:
        return text, "gb18030"
    if not looks_binary(data):
        text = _tolerant_gb(data)
        if text is not None:
            return text, "gb18030"
    return _detected(data)


def decode(data: bytes, path: str | Path, declared: str | None = None) -> tuple[str, str]:
    """The text of ``data`` with LF line endings, and the name of the encoding used."""
    guessed = _guess(data, declared)
    if guessed is None:
        raise EncodingError("无法识别文件编码 (cannot determine the text encoding)", path)
    text, name = guessed
    text = normalize_newlines(text)
    if text:
        bad = len(BAD.findall(text))
        if bad / len(text) > 0.1:
            raise EncodingError(
                f"文件编码无法识别，解码后 {bad} 个字符为乱码或控制字符 (undecodable text, encoding guessed {name})", path
            )
        if not CJK.search(text) and looks_binary(data):
            raise EncodingError("文件看起来是二进制文件，不是文本 (binary data, not text)", path)
    return text, name
