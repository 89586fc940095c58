"""A section 五 read as items: each problem and each measure, with its category (FORMAT.md §6)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel

from .overlap import unwrap

ItemKind = Literal["problem", "measure", "rectification"]


@dataclass(frozen=True)
class Category:
    """One recurring kind of problem: id, Chinese label, words that place a text in it, facts that measure it."""

    id: str
    label: str
    strong: tuple[str, ...]
    words: tuple[str, ...]
    facts: tuple[str, ...]

    def score(self, text: str) -> int:
        return sum(2 * text.count(w) for w in self.strong) + sum(text.count(w) for w in self.words)


@cache
def categories() -> tuple[Category, ...]:
    """The categories of ``data/categories.toml``, in tie-break order."""
    raw = tomllib.loads(resources.files("xxgk.draft").joinpath("data/categories.toml").read_text(encoding="utf-8"))
    return tuple(
        Category(c["id"], c["label"], tuple(c.get("strong", ())), tuple(c.get("words", ())), tuple(c.get("facts", ())))
        for c in raw["category"]
    )


def category(cid: str) -> Category:
    return next(c for c in categories() if c.id == cid)


def classify(text: str) -> str:
    """The id of the category a problem or measure belongs to ("other" when no word matches)."""
    best, best_score = "other", 0
    for c in categories():
        s = c.score(text)
        if s > best_score:
            best, best_score = c.id, s
    return best


class Item(BaseModel):
    """One problem or measure of a section 五."""

    kind: ItemKind
    text: str
    category: str  # a category id of data/categories.toml, or "other"
    year: int | None = None
    index: int = 0  # position among the items of its kind (0-based)

    @property
    def category_label(self) -> str:
        return "其他" if self.category == "other" else category(self.category).label


# Where the measures begin, when no numbered heading says so.
_MEASURES_START = re.compile(
    r"针对(?:上述|以上|存在的?|这些)?(?:的)?问题|下一步|下步工作|今后|改进措施|改进方向|整改措施|工作打算"
    r"|\d{4}年[，,]?\s*(?:我们|我局|我委|我办|我区|我县|我市|我镇|我街道|本机关|[^，。；]{0,8}?)将"
    r"|将(?:重点|切实|着力|继续)?(?:做好|抓好|从以下)"
)
_HEADING = re.compile(r"(?m)^[ \t\u3000]*[（(]([一二三四五六])[)）]([^。：:\n]{2,24}?(?:问题|措施|整改|改进|打算|情况|不足|计划|方向))[ \t\u3000]*(?:[：:。]|$)")
_ORDINAL = re.compile(r"(?:^|(?<=[。；;：:\n]))\s*(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十][)）]|\d+[.、．](?!\d)|[一二三四五六七八九十]、)")
# A problem fragment is complete when it says what is wrong.
_PREDICATE = re.compile(
    r"不足|不够|有待|尚需|还需|仍需|需要|欠缺|不高|不强|不到位|不规范|不及时|不完善|滞后|单一|较少|较弱|薄弱|差距|缺乏|偏低|偏高"
    r"|不充分|不深|不全面|不明确|不稳定|为主|不多|不一|问题|不准确|不紧密|不畅|偏长|较长|过长|较多|过多|偏多|不少"
)
_INTRO = re.compile(
    r"取得(?:了)?(?:一定|较好|明显)?(?:的)?(?:成效|成绩|进展)|对照|存在(?:的)?(?:一定|一些|以下|主要)?(?:的)?(?:差距|不足|问题)$|^主要(?:是|表现在|有)?$|存在以下"
)
_LEAD = re.compile(r"^(?:如|例如|主要是|主要表现在|一是|二是|三是|四是|五是|[（(][一二三四五六][)）]|\d+[.、．]|[一二三四五六]、)+")
_TAIL = re.compile(r"(?:等(?:问题|方面)?|等等)$")


def _parts(text: str) -> tuple[str, str, str]:
    """Split a section 五 into (rectification, problems, measures) text."""
    flat = unwrap(text)
    heads = list(_HEADING.finditer(text))
    if len(heads) >= 2:
        spans: dict[str, str] = {"rect": "", "prob": "", "meas": ""}
        for i, h in enumerate(heads):
            body = unwrap(text[h.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)])
            title = h.group(2)
            if re.search(r"整改|上年|上一年|\d{4}年.*改进情况|落实情况", title):
                spans["rect"] += body
            elif re.search(r"措施|改进|打算|计划|下一步|方向", title):
                spans["meas"] += body
            elif "问题" in title or "不足" in title:
                spans["prob"] += body
            else:
                heads = []
                break
        if heads:
            return spans["rect"], spans["prob"], spans["meas"]
    m = _MEASURES_START.search(flat)
    if m:
        return "", flat[: m.start()], flat[m.start() :]
    return "", flat, ""


def _problem_texts(text: str) -> list[str]:
    out: list[str] = []
    pending = ""
    for frag in re.split(r"[，,；;。：:\n]", text):
        for piece in frag.split("、"):
            piece = piece.strip()
            if not piece:
                continue
            pending = f"{pending}、{piece}" if pending and not pending.endswith(("，", "：")) and _is_enum(pending) else pending + piece
            if _PREDICATE.search(piece):
                out.append(pending)
                pending = ""
        if pending:
            pending += "，"
    cleaned = []
    for t in out:
        t = _LEAD.sub("", t.strip("，、 "))
        t = _TAIL.sub("", t).strip("，、 ")
        if len(t) >= 4 and not _INTRO.search(t) and not re.search(r"取得.{0,6}(?:成效|成绩)", t):
            cleaned.append(t)
    return cleaned


def _merge_same(texts: list[str]) -> list[str]:
    """Adjacent problems of one category are one problem said in two clauses."""
    out: list[str] = []
    for t in texts:
        if out and classify(t) == classify(out[-1]) != "other":
            out[-1] = f"{out[-1]}，{t}"
        else:
            out.append(t)
    return out


def _is_enum(pending: str) -> bool:
    # "政治关、法律关" style lists have short pieces: keep the 、 so the text reads as printed
    return len(pending.split("，")[-1]) <= 8


def _measure_texts(text: str) -> list[str]:
    marks = list(_ORDINAL.finditer(text))
    if marks:
        chunks = [text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)] for i, m in enumerate(marks)]
    else:
        chunks = [s for s in re.split(r"(?<=[。；;])", text)]
    out = []
    for c in chunks:
        c = c.strip(" \n，。；;")
        c = re.sub(r"^(?:针对[^，。]*?问题[，,]?|下一步[，,]?|[^，。：]{0,20}?(?:做好|抓好)以下(?:几[个项方面]?)?工作[：:])", "", c).strip(" ，：")
        if len(c) >= 6 and not re.search(r"(?:以下|如下)(?:几[个项方面]?)?(?:工作|方面|措施)[：:]?$", c):
            out.append(c)
    return out


def parse_items(text: str, year: int | None = None) -> list[Item]:
    """The problems and measures of a section 五, in order, each with a category."""
    rect, prob, meas = _parts(text)
    items: list[Item] = []
    for kind, texts in (
        ("rectification", _measure_texts(rect) if rect else []),
        ("problem", _measure_texts(prob) if len(_ORDINAL.findall(prob)) >= 2 else _merge_same(_problem_texts(prob))),
        ("measure", _measure_texts(meas)),
    ):
        for i, t in enumerate(texts):
            items.append(Item(kind=kind, text=t, category=classify(t), year=year, index=i))  # type: ignore[arg-type]
    return items


def has_rectification(text: str) -> bool:
    """Whether a section 五 says what became of last year's problems (S5)."""
    flat = unwrap(text)
    return bool(
        re.search(r"上(?:一)?年(?:度)?[^。]{0,20}?(?:问题|整改|改进)|整改(?:情况|落实)|\d{4}年(?:度)?(?:存在)?(?:的)?问题(?:的)?(?:整改|改进)", flat)
    )
