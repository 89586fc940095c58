"""The rules engine: find Tables A, B and C among a Document's rows and read every cell.

Rows are matched to the template by label (normalised, keyword and fuzzy matching, in template order);
numbers are put in columns by slot (grids, delimited rows), by x position (PDF words) or by order
(plain text). Rows whose numbers are detached from their labels (wrapped labels, PDF→Markdown
re-layouts) are placed by *gap filling*: between two rows read with certainty, the unlabelled number
rows fill the template rows still empty, in order, when their counts agree. Anything ambiguous is
marked ``unreadable`` with a reason, never guessed.
"""

from __future__ import annotations

import difflib
import functools
import itertools
from collections import Counter, defaultdict
import re
from dataclasses import dataclass, field

from .. import template as T
from ..document import Document
from ..models import LOW_CONFIDENCE, Cell, CellState, Location, Source, TableA, TableB, TableC
from ..template import FormatId
from .fuzzy import SharedChars
from .numbers import normalize, parse_cell
from .rows import Row, Tok, has_cjk, is_numeric, label_key, rows_of

# ------------------------------------------------------------------------------------------------
# Row label matching
# ------------------------------------------------------------------------------------------------

# Distinctive fragments of each Table B row label, after label_key() normalisation.
B_KEYWORDS: dict[str, tuple[str, ...]] = {
    "new": ("本年新收政府信息公开申请", "本年新收", "新收政府信息公开申请数量"),
    "carried_over": ("上年结转政府信息公开申请", "上年结转"),
    "granted": ("予以公开",),
    "partial": ("部分公开",),
    "denied_state_secret": ("属于国家秘密", "国家秘密"),
    "denied_law_forbidden": ("其他法律行政法规禁止公开", "法律行政法规禁止", "其他法律行政"),
    "denied_three_safety": ("三安全一稳定", "危及"),
    "denied_third_party": ("第三方合法权益", "保护第三方"),
    "denied_internal": ("三类内部事务", "内部事务信息"),
    "denied_process": ("四类过程性", "过程性信息"),
    "denied_enforcement_file": ("行政执法案卷",),
    "denied_query": ("行政查询事项",),
    "unable_not_held": ("不掌握相关政府信息", "本机关不掌握", "不掌握相关"),
    "unable_need_create": ("没有现成信息", "另行制作"),
    "unable_unclear": ("补正后申请内容", "仍不明确"),
    "rejected_complaint": ("信访举报投诉", "信访举报"),
    "rejected_repeat": ("重复申请",),
    "rejected_publication": ("公开出版物",),
    "rejected_mass": ("大量反复申请", "无正当理由大量", "大量反复"),
    "rejected_confirm": ("确认或重新出具", "要求行政机关确认", "重新出具已获取"),
    "other_no_correction": ("逾期不补正", "无正当理由逾期"),
    "other_no_fee": ("逾期未按收费", "缴纳费用", "收费通知"),
    "carried_forward": ("结转下年度", "本年度止件数", "继续办理"),
}
_OTHER_OTHER = re.compile(r"3\.其他$|^其他$|\)其他$")
_OTHER_COMBINED = re.compile(r"\(六\)其他处理$|^其他处理$|\(六\)其他处理\(")
_TOTAL = re.compile(r"(^|\)|七)(总计|合计)$")
_PREFIX = re.compile(r"^(\(?[一二三四五六七八九十\d]+[).、]?)+")

B_ORDER: tuple[str, ...] = (
    *(r.key for r in T.TABLE_B["2021"][:20]),
    "other_combined",
    *T.B_OTHER_LEAF_KEYS,
    "total",
    "carried_forward",
)
_B_CORES: dict[str, str] = {
    r.key: _PREFIX.sub("", label_key(r.row.label)) for r in (*T.TABLE_B["2021"], T.B_OTHER_COMBINED)
}
_B_ANY_WORD = re.compile("|".join(re.escape(w) for words in B_KEYWORDS.values() for w in words))
_B_CORE_CHARS = SharedChars(_B_CORES.values())


@functools.lru_cache(maxsize=4096)
def match_b_row(text: str) -> str | None:
    """The Table B row a label names, or None."""
    k = label_key(text)
    if not k or not has_cjk(k):
        return None
    if _B_ANY_WORD.search(k):  # one scan for all keywords, then the first row (in order) they name
        for key, words in B_KEYWORDS.items():
            if any(w in k for w in words):
                return key
    if _OTHER_OTHER.search(k) and len(k) <= 12:
        return "other_other"
    if _OTHER_COMBINED.search(k):
        return "other_combined"
    if _TOTAL.search(k) and len(k) <= 8:
        return "total"
    # OCR-like damage: a fuzzy match of the label without its numbering against each core
    core = _PREFIX.sub("", k)
    if 5 <= len(core) <= 45:
        best, best_ratio = None, 0.8
        shared = _B_CORE_CHARS.shared(core)  # for difflib's quick_ratio bound
        for ti, (key, target) in enumerate(_B_CORES.items()):
            # difflib's real_quick_ratio and quick_ratio bounds, computed without building a matcher
            total = len(core) + len(target)
            if 2.0 * min(len(core), len(target)) / total < best_ratio:
                continue
            if 2.0 * shared[ti] / total >= best_ratio:
                r = difflib.SequenceMatcher(None, core, target).ratio()
                if r >= best_ratio:
                    best, best_ratio = key, r
        return best
    return None


A_KEYWORDS: dict[str, tuple[str, ...]] = {
    "normative_docs": ("规范性文件",),
    "other_services": ("其他对外管理服务事项", "对外管理服务"),
    "licensing": ("行政许可",),
    "penalty": ("行政处罚",),
    "coercion": ("行政强制",),
    "admin_fees": ("行政事业性收费", "行政事业型收费", "事业性收费"),
    "procurement": ("政府集中采购", "集中采购"),
}


@functools.lru_cache(maxsize=4096)
def match_a_row(text: str) -> str | None:
    """The Table A row a label names, or None."""
    k = label_key(text)
    if k.endswith("规章") and len(k) <= 4:
        return "rules"
    if len(k) > _A_MAX_LEN or not _A_ANY_WORD.search(k):
        return None
    for key, words in A_KEYWORDS.items():
        if any(w in k for w in words) and len(k) <= len(words[0]) + 6:
            return key
    return None


_A_ANY_WORD = re.compile("|".join(re.escape(w) for words in A_KEYWORDS.values() for w in words))
_A_MAX_LEN = max(len(words[0]) + 6 for words in A_KEYWORDS.values())


A_FORMAT_HINTS: dict[FormatId, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "采购项目数量"),
}

# ------------------------------------------------------------------------------------------------
# Values of a row
# ------------------------------------------------------------------------------------------------


@dataclass
class Values:
    """What a row holds: its label text, value tokens, and whether slots (incl. blanks) are known."""

    label: str
    toks: list[Tok]
    slotted: bool  # True: toks are positional slots (blank slots included); False: only value tokens
    row: Row


@functools.lru_cache(maxsize=8192)
def _value_like(text: str) -> bool:
    if not text:
        return False
    c = parse_cell(text)
    return c.state in (CellState.number, CellState.dash, CellState.text_number)


_TEXT_VALUE = re.compile(
    r"(增加|减少|新增)\s*\d+(?:\.\d+)?\s*(?:个|项|件)?"
    r"|[+-]?\d[\d,]*(?:\.\d+)?\s*(?:万元|亿元|元|个|件|项)?\s*(?:[（(][^）)]{0,30}[）)])?"
    r"|[—/／]+"
)


def row_values(row: Row) -> Values:
    """Split a row into its label and its values (once per row; the parsers call this in several passes)."""
    v = row.values
    if v is None:
        v = row.values = _row_values(row)
    return v  # type: ignore[return-value]


def _row_values(row: Row) -> Values:
    toks = [t for t in row.toks if not t.covered]
    if row.kind in ("grid", "cells"):
        last_label = -1
        for i, t in enumerate(toks):
            if t.text and not _value_like(t.text):
                last_label = i
        label = "".join(t.text for t in toks[: last_label + 1])
        return Values(label, toks[last_label + 1 :], True, row)
    # words / text: the values are the longest run of value tokens at the end
    i = len(toks)
    while i > 0 and (is_numeric(toks[i - 1].text) or toks[i - 1].text in ("—", "/", "-", "／")):
        i -= 1
    label_toks, vals = toks[:i], toks[i:]
    if row.kind == "text" and vals == [] and label_toks:
        # a text line such as "行政事业性收费 16 增加 2 个": values with units/words need a tokenizer
        return _text_values(row)
    return Values(" ".join(t.text for t in label_toks), vals, False, row)


def _text_values(row: Row) -> Values:
    text = normalize(row.text)
    m = re.match(r"^(.*?[\u4e00-\u9fff）)”\"])\s+(.+)$", text)
    if not m:
        return Values(text, [], False, row)
    label, rest = m.group(1), m.group(2)
    vals = [mm.group(0).strip() for mm in _TEXT_VALUE.finditer(rest)]
    if not vals or "".join(v.replace(" ", "") for v in vals) != rest.replace(" ", ""):
        return Values(text, [], False, row)
    return Values(label, [Tok(v) for v in vals], False, row)


def slot_windows(toks: list[Tok], n: int) -> list[list[Tok]]:
    """Every run of ``n`` consecutive slots outside which all slots are empty."""
    if len(toks) < n:
        return []
    out = []
    for i in range(len(toks) - n + 1):
        if not any(t.text for t in toks[:i]) and not any(t.text for t in toks[i + n :]):
            out.append(toks[i : i + n])
    return out


def fit_slots(toks: list[Tok], n: int, start_col: int | None = None) -> list[Tok] | None:
    """The ``n`` data slots of a positional row: the only window possible, else the one at ``start_col``,
    else any when all windows read the same; None when the alignment stays ambiguous."""
    wins = slot_windows(toks, n)
    if not wins:
        return None
    if len(wins) == 1:
        return wins[0]
    if start_col is not None:
        for w in wins:
            if w[0].col == start_col:
                return w
    if len({tuple(t.text for t in w) for w in wins}) == 1:
        return wins[0]
    return None


def data_start_hints(values: list[Values], n: int) -> dict[int | None, int]:
    """Where data columns start, learnt from rows whose n values leave no doubt: by label end column, and overall."""
    by_label: dict[int | None, Counter[int]] = defaultdict(Counter)
    for v in values:
        if not v.slotted or not v.toks:
            continue
        wins = slot_windows(v.toks, n)
        if len(wins) == 1 and wins[0][0].col is not None:
            label_end = (v.toks[0].col or 0) - 1
            by_label[label_end][wins[0][0].col] += 1
            by_label[None][wins[0][0].col] += 1
    hints: dict[int | None, int] = {}
    for k, counter in by_label.items():
        if len(counter) == 1:
            hints[k] = next(iter(counter))
    return hints


def _src(doc: Document, row: Row, tok: Tok | None) -> Source:
    return Source(file=doc.path, page=row.page, line=row.line, box=tok.box if tok else None, engine="rules")


@functools.lru_cache(maxsize=8192)
def _parsed(text: str) -> Cell:
    """``parse_cell(text)`` without a source; shared, never changed: callers get copies."""
    return parse_cell(text)


def _cell(doc: Document, row: Row, tok: Tok | None) -> Cell:
    cell = _parsed(tok.text if tok else "").model_copy(update={"source": _src(doc, row, tok)})
    if tok is not None and tok.confidence is not None:  # read by OCR: keep its confidence, and say so in the source
        cell.confidence = tok.confidence
        if cell.source is not None:
            cell.source.engine = "ocr"
    return cell


def _mark_ocr_doubts(table: TableA | TableB | TableC) -> None:
    """Lower a table's confidence when OCR'd cells are doubtful: read with low confidence, or blank
    beside OCR'd numbers in the same row (a number OCR did not see)."""
    low: list[str] = []
    for rk, row in table.cells.items():
        ocr_row = any(c.source is not None and c.source.engine == "ocr" for c in row.values())
        for ck, c in row.items():
            if c.confidence is not None and c.confidence < LOW_CONFIDENCE:
                low.append(f"{rk}.{ck}")
            elif ocr_row and c.state == CellState.blank and any(o.has_value for o in row.values()):
                c.confidence = 0.5
                c.reason = c.reason or "OCR：同一行其他单元格有数字，此处为空，可能漏识别"
                low.append(f"{rk}.{ck}")
    if low:
        table.confidence = round(min(table.confidence, 0.85), 3)
        table.notes.append(f"OCR置信度低的单元格 {len(low)} 个 (low-confidence OCR cells): {'、'.join(low[:10])}")


def _unreadable(doc: Document, row: Row | None, reason: str, raw: str = "") -> Cell:
    src = Source(file=doc.path, page=row.page, line=row.line, engine="rules") if row else None
    return Cell(raw=raw, state=CellState.unreadable, reason=reason, source=src)


# ------------------------------------------------------------------------------------------------
# Putting values in columns
# ------------------------------------------------------------------------------------------------


def segment_digits(tokens: list[str], n: int) -> list[int] | None:
    """Split run-together digits into ``n`` numbers whose first n-1 sum to the last; only a unique split."""
    digits = [t for t in tokens]
    if not all(t.isdigit() for t in digits):
        return None
    need = n - len(digits)
    if need <= 0 or sum(len(t) for t in digits) < n or sum(len(t) for t in digits) > 24:
        return None
    solutions: list[list[int]] = []

    def splits(s: str, parts: int) -> list[list[str]]:
        if parts == 1:
            return [[s]] if s and (s == "0" or not s.startswith("0")) else []
        out = []
        for i in range(1, len(s) - parts + 2):
            head = s[:i]
            if head != "0" and head.startswith("0"):
                continue
            for rest in splits(s[i:], parts - 1):
                out.append([head, *rest])
        return out

    for extra in itertools.product(range(need + 1), repeat=len(digits)):
        if sum(extra) != need:
            continue
        per = [splits(t, 1 + e) for t, e in zip(digits, extra, strict=True)]
        for combo in itertools.product(*per):
            nums = [int(x) for part in combo for x in part]
            if len(nums) == n and sum(nums[:-1]) == nums[-1]:
                solutions.append(nums)
                if len(solutions) > 1:
                    return None
    return solutions[0] if len(solutions) == 1 else None


def merge_split_digits(tokens: list[str], n: int) -> list[int] | None:
    """Join letter-spaced digits (``2 0`` → 20) to get ``n`` numbers that satisfy the row sum; unique only."""
    if not all(t.isdigit() for t in tokens) or len(tokens) <= n or len(tokens) > n + 4:
        return None
    sols = []
    for cuts in itertools.combinations(range(1, len(tokens)), n - 1):
        bounds = (0, *cuts, len(tokens))
        nums_s = ["".join(tokens[a:b]) for a, b in itertools.pairwise(bounds)]
        if any(s != "0" and s.startswith("0") for s in nums_s):
            continue
        nums = [int(s) for s in nums_s]
        if sum(nums[:-1]) == nums[-1]:
            sols.append(nums)
    return sols[0] if len(sols) == 1 else None


@dataclass
class Placed:
    """The n cells of one row, with notes on how they were placed."""

    cells: list[Cell]
    notes: list[str] = field(default_factory=list)
    penalty: float = 1.0


def place(
    doc: Document,
    v: Values,
    n: int,
    centers: list[float] | None,
    what: str,
    sum_check: bool = False,
    hints: dict[int | None, int] | None = None,
) -> Placed:
    """Put a row's values into ``n`` columns, or mark them unreadable."""
    row = v.row
    if v.slotted:
        start = None
        if hints and v.toks:
            start = hints.get((v.toks[0].col or 0) - 1, hints.get(None))
        slots = fit_slots(v.toks, n, start)
        if slots is not None:
            return Placed([_cell(doc, row, t) for t in slots])
        vals = [t for t in v.toks if t.text]
        if len(v.toks) < n and not vals:
            return Placed([parse_cell("", _src(doc, row, None)) for _ in range(n)])
        if n >= 5 and 2 <= len(v.toks) < n and all(not t.text for t in v.toks[1:-1]) and v.toks[0].text == v.toks[-1].text:
            # slots lost from the middle of a row whose only values are the first column and the total:
            # the middle cells are blank whichever slot was lost
            mid = [parse_cell("", _src(doc, row, None)) for _ in range(n - 2)]
            return Placed([_cell(doc, row, v.toks[0]), *mid, _cell(doc, row, v.toks[-1])], [f"{what}: 行{row.line}少了单元格，首列与末列有值，中间按空白处理"], 0.98)
        if len(vals) == n:  # stray empty slots inside the row but exactly n values
            return Placed([_cell(doc, row, t) for t in vals], [f"{what}: 行{row.line}的空单元格位置不规则，按顺序取值"], 0.95)
        return Placed(
            [_unreadable(doc, row, f"该行有{len(vals)}个值、{len(v.toks)}个单元格，应为{n}列，无法确定对应关系", " ".join(t.text for t in v.toks))] * n
        )
    toks = v.toks
    if len(toks) == n:
        return Placed([_cell(doc, row, t) for t in toks])
    if centers and len(centers) == n and toks and all(t.xc is not None for t in toks) and len(toks) < n:
        columns = by_position([t.xc or 0.0 for t in toks], centers, 0.6)
        if columns is not None:
            slots: list[Tok | None] = [None] * n
            for t, j in zip(toks, columns, strict=True):
                slots[j] = t
            return Placed([_cell(doc, row, t) if t else parse_cell("", _src(doc, row, None)) for t in slots])
    texts = [normalize(t.text).replace(",", "") for t in toks]
    if sum_check and n > 1:
        nums = segment_digits(texts, n) if len(toks) < n else merge_split_digits(texts, n)
        if nums is not None:
            note = f"{what}: 行{row.line}的数字 {' '.join(texts)} 按行合计唯一拆分为 {' '.join(map(str, nums))}"
            return Placed(
                [Cell(value=x, raw=str(x), state=CellState.number, note="按行合计拆分", source=_src(doc, row, None)) for x in nums],
                [note],
                0.9,
            )
    return Placed(
        [_unreadable(doc, row, f"该行有{len(toks)}个数字，应为{n}个，无法确定各列的值", " ".join(t.text for t in toks))] * n
    )


def by_position(xs: list[float], centers: list[float], tolerance: float) -> list[int] | None:
    """The column of each x: the nearest centre, within ``tolerance`` column spacings; None when an x
    is farther from every centre or two fall in one column."""
    spacing = min((b - a for a, b in itertools.pairwise(centers)), default=50.0)
    taken: set[int] = set()
    out = []
    for x in xs:
        j = min(range(len(centers)), key=lambda k: abs(centers[k] - x))
        if j in taken or abs(centers[j] - x) > tolerance * spacing:
            return None
        taken.add(j)
        out.append(j)
    return out


def column_centers(values: list[Values], n: int) -> list[float] | None:
    """x centres of the n columns, from rows of positioned words that hold all n values."""
    full = [v for v in values if not v.slotted and len(v.toks) == n and all(t.xc is not None for t in v.toks)]
    if not full:
        return None
    return [sum(v.toks[j].xc or 0 for v in full) / len(full) for j in range(n)]


# ------------------------------------------------------------------------------------------------
# Table B
# ------------------------------------------------------------------------------------------------


@dataclass
class Region:
    """Rows [start, end) of one table in the row list."""

    start: int
    end: int


def _is_prose(row: Row) -> bool:
    t = row.text.strip()
    return len(t) > 40 and ("。" in t or "，" in t) and row.kind in ("text", "words")


def find_table_b(rows: list[Row]) -> Region | None:
    """Where Table B is: from its first data row (本年新收) to its 结转下年度 row."""
    all_keys = [None if _is_prose(r) else match_b_row(row_values(r).label) for r in rows]
    hits = [i for i, k in enumerate(all_keys) if k == "new"]
    for start in hits:
        window = rows[start : start + 80]
        keys = all_keys[start : start + 80]
        if len({k for k in keys if k}) < 6:
            continue
        end = start + 1
        for j, r in enumerate(window):
            if j and (_is_prose(r) or _section_heading(r)):
                break
            end = start + j + 1
            if keys[j] == "carried_forward":
                v = row_values(r)
                if not [t for t in v.toks if t.text] and start + j + 1 < len(rows):
                    nxt = row_values(rows[start + j + 1])
                    if not match_b_row(nxt.label) and [t for t in nxt.toks if t.text]:
                        end += 1
                break
        # include header rows just above (for grids and word positions)
        return Region(start, end)
    return None


_HEADING = re.compile(r"^\s*#*\s*[一二三四五六七]\s*[、.．]\s*\S")


def _section_heading(row: Row) -> bool:
    t = row.text.strip()
    return bool(_HEADING.match(t)) and ("情况" in t or "事项" in t) and len(t) < 40 and not any(
        is_numeric(x.text) for x in row.toks
    )


def parse_table_b(doc: Document, rows: list[Row], region: Region, fmt: FormatId) -> TableB:
    """Read Table B from its region."""
    n = len(T.B_COLUMN_KEYS)
    notes: list[str] = []
    vals = [row_values(r) for r in rows[region.start : region.end]]
    centers = column_centers(vals, n)
    hints = data_start_hints(vals, n)
    events: list[tuple[str | None, Values]] = []
    for v in vals:
        key = match_b_row(v.label) if v.label else None
        has_vals = any(t.text for t in v.toks)
        if key is None and not has_vals:
            continue  # label fragment, vertical group label, header
        if key is None and not v.slotted and len(v.toks) < 3 and not centers:
            notes.append(f"忽略零散数字: 行{v.row.line} {' '.join(t.text for t in v.toks)}")
            continue
        events.append((key, v))

    # compressed （六）: a （六）其他处理 row with values and none of its three leaves with values
    leaf_vals = any(k in T.B_OTHER_LEAF_KEYS and any(t.text for t in v.toks) for k, v in events)
    combined_vals = any(k == "other_combined" and (any(t.text for t in v.toks) or v.slotted) for k, v in events)
    compressed = fmt == "2019" or (combined_vals and not leaf_vals)
    order = [k for k in B_ORDER if (k != "other_combined" if not compressed else k not in T.B_OTHER_LEAF_KEYS)]
    if compressed and fmt == "2021":
        notes.append("表三（六）其他处理只有一行（压缩格式），三个子项留空")

    # anchors: labelled rows with values (or positional slots), in template order
    assigned: dict[str, Values] = {}
    pos = {k: i for i, k in enumerate(order)}
    last = -1
    timeline: list[tuple[str, object]] = []  # ("anchor", key) | ("orphan", Values)
    for key, v in events:
        has_vals = any(t.text for t in v.toks) or (v.slotted and len(v.toks) >= 1)
        if key is not None and key not in pos:
            if key == "other_combined":
                continue  # the （六） group label of a full table
            notes.append(f"行{v.row.line}: 标签“{v.label}”不属于本表格式，已忽略")
            continue
        if key is not None and has_vals:
            if key in assigned or pos[key] <= last:
                if any(t.text for t in v.toks):
                    notes.append(f"行{v.row.line}: “{v.label}”重复或顺序异常，已忽略")
                continue
            assigned[key] = v
            last = pos[key]
            timeline.append(("anchor", key))
        elif key is None and has_vals:
            timeline.append(("orphan", v))
        else:
            timeline.append(("label", key))

    # gap filling: orphans between two anchors fill the empty template rows between them
    filled_by_gap: set[str] = set()
    prev = -1
    pending: list[Values] = []
    labels_in_gap: list[str] = []

    def close_gap(nxt: int) -> None:
        gap_rows = [k for k in order[prev + 1 : nxt] if k not in assigned]
        if not pending:
            return
        if len(pending) == len(gap_rows):
            for k, v in zip(gap_rows, pending, strict=True):
                assigned[k] = v
                filled_by_gap.add(k)
        else:
            wanted = [k for k in labels_in_gap if k in gap_rows]
            if len(pending) == len(wanted):
                for k, v in zip(wanted, pending, strict=True):
                    assigned[k] = v
                    filled_by_gap.add(k)
            else:
                notes.append(
                    f"有{len(pending)}行数字没有标签（行{','.join(str(v.row.line) for v in pending)}），"
                    f"而待填的行有{len(gap_rows)}个，无法对应"
                )

    for kind, item in timeline:
        if kind == "anchor":
            close_gap(pos[str(item)])
            prev = pos[str(item)]
            pending, labels_in_gap = [], []
        elif kind == "orphan":
            pending.append(item)  # type: ignore[arg-type]
        elif item is not None:
            labels_in_gap.append(str(item))
    close_gap(len(order))
    if filled_by_gap:
        notes.append("以下行的数字与标签分离，按模板顺序补位: " + "、".join(T.B_ROW_BY_KEY[k].row.display for k in order if k in filled_by_gap))

    final_rows = T.table_b_rows(fmt, compressed)
    cells: dict[str, dict[str, Cell]] = {}
    penalty = 1.0
    label_only = {str(item) for kind, item in timeline if kind == "label" and item}
    for br in final_rows:
        k = br.key
        if k in assigned:
            p = place(doc, assigned[k], n, centers, f"表三 {br.row.display}", sum_check=True, hints=hints)
            notes.extend(p.notes)
            penalty *= p.penalty
            cells[k] = dict(zip(T.B_COLUMN_KEYS, p.cells, strict=True))
        elif k in label_only and not any(v.slotted for v in vals):
            reason = "该行只有标签、没有数字（按空白处理）"
            cells[k] = {c: Cell(state=CellState.blank, reason=reason) for c in T.B_COLUMN_KEYS}
            notes.append(f"表三 {br.row.display}: {reason}")
            penalty *= 0.97
        else:
            cells[k] = {c: Cell(state=CellState.missing, reason="表中未找到该行") for c in T.B_COLUMN_KEYS}
    if filled_by_gap:
        penalty *= 0.97
    total = len(final_rows) * n
    good = sum(1 for r in cells.values() for c in r.values() if c.state not in (CellState.unreadable, CellState.missing))
    first, lastrow = rows[region.start], rows[region.end - 1]
    return TableB(
        format=fmt,
        compressed_other=compressed,
        cells=cells,
        confidence=round(good / total * penalty, 3),
        notes=notes,
        location=Location(page_start=first.page, page_end=lastrow.page, line_start=first.line, line_end=lastrow.line),
    )


# ------------------------------------------------------------------------------------------------
# Table C
# ------------------------------------------------------------------------------------------------


def find_table_c(rows: list[Row], after: int) -> Region | None:
    """Where Table C is: its header (行政复议 …) and the value rows after it."""
    for i in range(after, len(rows)):
        r = rows[i]
        if "行政复议" in label_key(r.text) and not _is_prose(r) and not _HEADING.match(r.text):
            # the region runs to the last row holding values or header words, not into the prose after it
            end = i + 1
            values = 0
            started = False
            for j in range(i + 1, min(len(rows), i + 25)):
                rj = rows[j]
                if _is_prose(rj) or (_section_heading(rj) and j > i + 1):
                    break
                v = row_values(rj)
                n_vals = len([t for t in v.toks if t.text])
                header = bool(_C_HEADER.search(label_key(rj.text))) and len(label_key(v.label)) <= 60
                if n_vals or (header and values < 15):
                    end = j + 1
                    values += n_vals
                    started = True
                elif label_key(rj.text) and started:
                    break  # prose after the table (a wrapped heading line before it is skipped)
            return Region(i, end)
    return None


_C_HEADER = re.compile(r"行政复议|行政诉讼|维持|纠正|其他结果|尚未|审结|总计|起诉|结果|^注")
_C_SUB = re.compile(r"结果|维持|纠正|其他|尚未|审结|总计|合计")  # the two-character pieces of the 15 column headers


def c_header_centers(rows: list[Row]) -> list[float] | None:
    """x centres of Table C's 15 columns, from the positioned words of its column headers.

    The headers (结果维持, 结果纠正, 其他结果, 尚未审结, 总计, three times) are often printed on two
    lines, and the two groups' headers on different lines; every header word is taken wherever it
    sits, a word holding several pieces (``纠正结果`` read across two cells) shares its box among
    them, and the pieces are clustered by x. None unless exactly 15 columns come out.
    """
    pieces: list[tuple[float, float]] = []  # (centre, width)
    for r in rows:
        if r.kind != "words":
            continue
        for t in r.toks:
            if t.box is None:
                continue
            key = label_key(t.text)
            found = _C_SUB.findall(key)
            if not found or "".join(found) != key:
                continue
            w = (t.box.x1 - t.box.x0) / len(found)
            pieces.extend((t.box.x0 + w * (k + 0.5), w) for k in range(len(found)))
    if len(pieces) < 15:
        return None
    pieces.sort()
    width = sorted(w for _, w in pieces)[len(pieces) // 2]
    clusters: list[list[float]] = []
    for x, _ in pieces:
        if clusters and x - sum(clusters[-1]) / len(clusters[-1]) < 0.5 * width:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    if len(clusters) != 15:
        return None
    return [sum(c) / len(c) for c in clusters]


def _c_by_position(doc: Document, rows: list[Row], flat: list[tuple[Row, Tok]]) -> list[Cell] | None:
    """Table C's 15 cells when fewer than 15 values are printed: each value put in the column whose
    header is above it, the other cells blank. None when the headers give no 15 columns or a value
    is not clearly under one column (or two values fall under the same one)."""
    if len(flat) > 15 or any(t.xc is None or r.kind != "words" for r, t in flat):
        return None
    centers = c_header_centers(rows)
    if centers is None:
        return None
    columns = by_position([t.xc or 0.0 for _, t in flat], centers, 0.35)
    if columns is None:
        return None  # two values under one header, or a value between two columns
    slots: list[tuple[Row, Tok] | None] = [None] * 15
    for value, j in zip(flat, columns, strict=True):
        slots[j] = value
    first = flat[0][0]
    return [_cell(doc, s[0], s[1]) if s else parse_cell("", _src(doc, first, None)) for s in slots]


def parse_table_c(doc: Document, rows: list[Row], region: Region) -> TableC:
    """Read Table C: one row of 15 values, or one row of 5 per group."""
    notes: list[str] = []
    cells: dict[str, dict[str, Cell]] = {}
    flat: list[tuple[Row, Tok]] = []
    slotted_rows: list[Values] = []
    for r in rows[region.start : region.end]:
        v = row_values(r)
        lab = label_key(v.label)
        present = [t for t in v.toks if t.text]
        group = next((g.key for g in T.C_GROUPS if lab.endswith(label_key(g.label))), None)
        if group and len(present) in (4, 5) and group not in cells:
            p = place(doc, v, 5, None, f"表四 {group}")
            cells[group] = dict(zip(T.C_COLUMN_KEYS, p.cells, strict=True))
            continue
        if not present:
            continue
        if v.slotted and fit_slots(v.toks, 15):
            slotted_rows.append(v)
        flat.extend((r, t) for t in present)
    if len(cells) == 3:
        pass
    elif slotted_rows:
        v = slotted_rows[0]
        slots = fit_slots(v.toks, 15) or []
        for gi, g in enumerate(T.C_GROUP_KEYS):
            cells[g] = {c: _cell(doc, v.row, slots[gi * 5 + ci]) for ci, c in enumerate(T.C_COLUMN_KEYS)}
    elif len(flat) == 15:
        for gi, g in enumerate(T.C_GROUP_KEYS):
            cells[g] = {c: _cell(doc, flat[gi * 5 + ci][0], flat[gi * 5 + ci][1]) for ci, c in enumerate(T.C_COLUMN_KEYS)}
    elif flat and (by_x := _c_by_position(doc, rows[region.start : region.end], flat)) is not None:
        notes.append("表四有空白单元格，按表头各列的位置对应数值")
        for gi, g in enumerate(T.C_GROUP_KEYS):
            cells[g] = dict(zip(T.C_COLUMN_KEYS, by_x[gi * 5 : gi * 5 + 5], strict=True))
    elif not flat:
        notes.append("表四没有填写任何数字，按空白处理")
        for g in T.C_GROUP_KEYS:
            cells[g] = {c: Cell(state=CellState.blank, reason="表中未填写") for c in T.C_COLUMN_KEYS}
    else:
        raws = " ".join(t.text for _, t in flat)
        reason = f"表四找到{len(flat)}个数字（{raws}），应为15个，无法确定对应关系"
        notes.append(reason)
        r0 = flat[0][0]
        for g in T.C_GROUP_KEYS:
            cells[g] = {c: _unreadable(doc, r0, reason) for c in T.C_COLUMN_KEYS}
    for g in T.C_GROUP_KEYS:
        cells.setdefault(g, {c: Cell(state=CellState.missing, reason="表中未找到") for c in T.C_COLUMN_KEYS})
    good = sum(1 for r in cells.values() for c in r.values() if c.state not in (CellState.unreadable, CellState.missing))
    first, last = rows[region.start], rows[region.end - 1]
    return TableC(
        cells=cells,
        confidence=round(good / 15, 3),
        notes=notes,
        location=Location(page_start=first.page, page_end=last.page, line_start=first.line, line_end=last.line),
    )


# ------------------------------------------------------------------------------------------------
# Table A
# ------------------------------------------------------------------------------------------------


def find_table_a(rows: list[Row], before: int) -> Region | None:
    """Where Table A is: from the first 第二十条 / 信息内容 row to Table B (or its section heading)."""
    start = next(
        (i for i in range(before) if ("第二十条" in label_key(rows[i].text) or match_a_row(row_values(rows[i]).label)) and not _is_prose(rows[i])),
        None,
    )
    if start is None:
        return None
    end = before
    for j in range(start, before):
        t = label_key(rows[j].text)
        if "收到和处理政府信息公开申请" in t or "本列数据的勾稽关系" in t:
            end = j
            break
    return Region(start, end)


def detect_a_format(rows: list[Row], region: Region | None) -> FormatId | None:
    if region is None:
        return None
    text = "".join(label_key(r.text) for r in rows[region.start : region.end])
    scores = {f: sum(label_key(h) in text for h in hints) for f, hints in A_FORMAT_HINTS.items()}
    if "其他对外管理服务事项" in text or "政府集中采购" in text:
        scores["2019"] += 2
    best = max(scores, key=lambda f: scores[f])
    return best if scores[best] > 0 else None


def _header_centers(rows: list[Row], i: int, cols: tuple[T.Label, ...], region: Region) -> list[float] | None:
    for j in range(i - 1, max(region.start, i - 8) - 1, -1):
        r = rows[j]
        if r.kind != "words":
            continue
        found = []
        for c in cols:
            w = next((t for t in r.toks if any(label_key(n)[:4] in label_key(t.text) for n in c.names)), None)
            if w is None:
                break
            found.append(w.xc or 0.0)
        if len(found) == len(cols):
            return found
    return None


def parse_table_a(doc: Document, rows: list[Row], region: Region, fmt: FormatId) -> TableA:
    """Read Table A in the given format."""
    spec = {a.row.key: a for a in T.table_a_rows(fmt)}
    cells: dict[str, dict[str, Cell]] = {}
    notes: list[str] = []
    for i in range(region.start, region.end):
        r = rows[i]
        v = row_values(r)
        key = match_a_row(v.label)
        if key is None or key not in spec or key in cells:
            if key is not None and key not in spec:
                notes.append(f"行{r.line}: “{v.label}”不属于{fmt}格式的表二")
            continue
        cols = spec[key].columns
        n = len(cols)
        present = [t for t in v.toks if t.text]
        if not present and not v.slotted:
            continue
        centers = _header_centers(rows, i, cols, region) if r.kind == "words" else None
        p = place(doc, v, n, centers, f"表二 {spec[key].row.display}")
        notes.extend(p.notes)
        cells[key] = dict(zip((c.key for c in cols), p.cells, strict=True))
    for a in T.table_a_rows(fmt):
        cells.setdefault(a.row.key, {c.key: Cell(state=CellState.missing, reason="表中未找到该行") for c in a.columns})
    if fmt == "2021" and any(label_key(rows[i].text) == "规范性文件" for i in range(region.start, region.end)):
        notes.append("2021格式的表二使用了“规范性文件”（应为“行政规范性文件”）")
    total = sum(len(a.columns) for a in T.table_a_rows(fmt))
    good = sum(1 for r in cells.values() for c in r.values() if c.state not in (CellState.unreadable, CellState.missing))
    first, last = rows[region.start], rows[max(region.start, region.end - 1)]
    return TableA(
        format=fmt,
        cells=cells,
        confidence=round(good / total, 3),
        notes=notes,
        location=Location(page_start=first.page, page_end=last.page, line_start=first.line, line_end=last.line),
    )


# ------------------------------------------------------------------------------------------------
# All three
# ------------------------------------------------------------------------------------------------


@dataclass
class Tables:
    """The three tables read from a document, the format detected, and the lines they occupy."""

    table_a: TableA
    table_b: TableB
    table_c: TableC
    format: FormatId | None
    table_lines: set[int]


def parse_tables(doc: Document, year: int | None = None) -> Tables:
    """Find and read Tables A, B and C of a document (rules engine)."""
    rows = rows_of(doc)
    b_region = find_table_b(rows)
    a_region = find_table_a(rows, b_region.start if b_region else len(rows))
    fmt = detect_a_format(rows, a_region) or T.format_for_year(year) or "2021"
    year_fmt = T.format_for_year(year)
    table_lines: set[int] = set()

    if a_region:
        table_a = parse_table_a(doc, rows, a_region, fmt)
        table_lines.update(r.line for r in rows[a_region.start : a_region.end] if not _is_prose(r))
    else:
        table_a = TableA(found=False, format=fmt, confidence=0.0, notes=["未找到表二（主动公开政府信息情况）"])
    b_fmt: FormatId = fmt
    if b_region:
        table_b = parse_table_b(doc, rows, b_region, b_fmt)
        hdr = b_region.start
        while hdr > 0 and hdr > b_region.start - 12 and not _is_prose(rows[hdr - 1]) and not _section_heading(rows[hdr - 1]):
            hdr -= 1
        table_lines.update(r.line for r in rows[hdr : b_region.end])
    else:
        table_b = TableB(found=False, format=b_fmt, confidence=0.0, notes=["未找到表三（收到和处理政府信息公开申请情况）"])
    c_region = find_table_c(rows, b_region.end if b_region else (a_region.end if a_region else 0))
    if c_region:
        table_c = parse_table_c(doc, rows, c_region)
        table_lines.update(r.line for r in rows[c_region.start : c_region.end])
    else:
        table_c = TableC(found=False, confidence=0.0, notes=["未找到表四（行政复议、行政诉讼情况）"])
    for t in (table_a, table_b, table_c):
        _mark_ocr_doubts(t)
    if year_fmt and fmt != year_fmt and a_region:
        table_a.notes.append(f"{year}年度报告应使用{year_fmt}格式，表二却是{fmt}格式")
    return Tables(table_a, table_b, table_c, fmt if (a_region or b_region) else year_fmt, table_lines)
