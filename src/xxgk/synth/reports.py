"""Random but fully consistent annual reports, for generated fixtures and planted-error tests.

Every table identity of FORMAT.md §5 holds (B1, B2, B3, B5, C1, A2), the narrative quotes the tables
(N1, N2, N4, C2), and each cell's ``raw`` is exactly the text the renderers print, parsed with
``parse_cell`` so a parser reading the rendering must reproduce the gold cell.
"""

from __future__ import annotations

import math
import random

from .. import template as T
from ..models import Cell, CellState, Report, Section, TableA, TableB, TableC
from ..parse.numbers import parse_cell
from ..template import FormatId

PLACES: tuple[str, ...] = (
    "青山区", "临江县", "东湖区", "云溪县", "白沙区", "南屏县", "长河区", "西岭县", "丰源市", "清水河区",
    "桐柏县", "金溪区", "龙泉县", "安宁区", "石门县", "永和区",
)
DEPARTMENTS: tuple[str, ...] = (
    "财政局", "教育局", "民政局", "司法局", "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局",
    "卫生健康委员会", "市场监督管理局", "人力资源和社会保障局", "应急管理局", "统计局", "文化广电和旅游局",
    "发展和改革委员会", "人民政府办公室", "退役军人事务局", "医疗保障局", "城市管理局", "水利局",
    "商务局", "审计局", "生态环境分局", "政务服务和大数据管理局",
)
TOWNS: tuple[str, ...] = ("城关镇", "河口镇", "新桥镇", "柳林镇", "东风街道", "太平镇")


def agency_names() -> list[str]:
    """Every agency name the generator can choose (departments, governments, townships)."""
    names = [p + d for p in PLACES for d in DEPARTMENTS]
    names += [p + "人民政府" for p in PLACES]
    names += [p + t + ("办事处" if t.endswith("街道") else "人民政府") for p in PLACES for t in TOWNS]
    return names


def self_name(agency: str) -> str:
    """How an agency refers to itself in its report (我局, 我委, 我办, 我镇 …)."""
    if agency.endswith("办公室"):
        return "我办"
    if agency.endswith("委员会"):
        return "我委"
    if agency.endswith("局"):
        return "我局"
    if agency.endswith("街道办事处"):
        return "我街道"
    if agency.endswith("镇人民政府"):
        return "我镇"
    if agency.endswith("人民政府"):
        return "我" + agency[-5]
    return "本机关"


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------


def number_cell(value: int) -> Cell:
    """A plain integer cell exactly as printed."""
    return parse_cell(str(value))


def blank_cell() -> Cell:
    return parse_cell("")


def money_raw(rng: random.Random, low: float, high: float) -> str:
    """An amount in 万元 printed with 0–2 decimals (log-uniform between low and high)."""
    v = math.exp(rng.uniform(math.log(low), math.log(high)))
    decimals = rng.choice((0, 1, 2, 2))
    return f"{v:.{decimals}f}"


def _loguniform_int(rng: random.Random, high: int) -> int:
    return max(1, int(math.exp(rng.uniform(0, math.log(high)))))


def _maybe(rng: random.Random, p: float, value: int) -> int:
    """``value`` with probability p, else 0."""
    return value if rng.random() < p else 0


def _split(rng: random.Random, n: int, keys: list[str], weights: list[float]) -> dict[str, int]:
    """n items drawn into keys by weight (a multinomial sample)."""
    out = dict.fromkeys(keys, 0)
    if n <= 0:
        return out
    if not any(w > 0 for w in weights):
        weights = [1.0] * len(keys)
    for k in rng.choices(keys, weights=weights, k=n):
        out[k] += 1
    return out


# ---------------------------------------------------------------------------------------------
# Table B
# ---------------------------------------------------------------------------------------------

# applicant column weights: natural persons dominate; research / social welfare are rare
_COLUMN_WEIGHTS = {"commercial": 5.0, "research": 0.4, "social_welfare": 0.4, "legal_service": 1.5, "other_org": 2.5}

# (leaf, probability it occurs at all in a report, weight range when it does)
_LEAF_PROFILE: dict[str, tuple[float, float, float]] = {
    "granted": (0.97, 3.0, 10.0),
    "partial": (0.55, 0.3, 3.0),
    "denied_state_secret": (0.05, 0.05, 0.3),
    "denied_law_forbidden": (0.1, 0.05, 0.5),
    "denied_three_safety": (0.08, 0.05, 0.5),
    "denied_third_party": (0.2, 0.1, 1.0),
    "denied_internal": (0.2, 0.1, 1.0),
    "denied_process": (0.25, 0.1, 1.0),
    "denied_enforcement_file": (0.1, 0.05, 0.5),
    "denied_query": (0.15, 0.05, 0.8),
    "unable_not_held": (0.85, 1.0, 6.0),
    "unable_need_create": (0.35, 0.1, 1.5),
    "unable_unclear": (0.3, 0.1, 1.0),
    "rejected_complaint": (0.3, 0.1, 1.5),
    "rejected_repeat": (0.3, 0.1, 1.5),
    "rejected_publication": (0.1, 0.05, 0.5),
    "rejected_mass": (0.08, 0.05, 0.8),
    "rejected_confirm": (0.15, 0.05, 0.8),
    "other_no_correction": (0.35, 0.2, 2.0),
    "other_no_fee": (0.08, 0.05, 0.4),
    "other_other": (0.35, 0.1, 1.5),
}


def _volume(rng: random.Random, township: bool = False) -> int:
    """New requests in the year: often none, mostly a few, sometimes hundreds or thousands (not for townships)."""
    weights = (0.45, 0.5, 0.05, 0.0) if township else (0.25, 0.4, 0.25, 0.1)
    profile = rng.choices(("zero", "small", "medium", "large"), weights=weights)[0]
    if profile == "zero":
        return 0
    if profile == "small":
        return rng.randint(1, 20)
    if profile == "medium":
        return rng.randint(21, 300)
    return rng.randint(301, 3000)


def random_table_b_values(
    rng: random.Random, fmt: FormatId, compressed_other: bool, township: bool = False
) -> dict[str, dict[str, int]]:
    """Integer Table B values in which B1, B2, B3 and B5 hold."""
    rows = T.table_b_rows(fmt, compressed_other)
    leaves = [r.key for r in rows if r.leaf]
    applicants = list(T.B_APPLICANT_KEYS)
    orgs = applicants[1:]

    n_new = _volume(rng, township)
    person_share = rng.uniform(0.6, 1.0)
    col_w = [person_share] + [(1 - person_share) * _COLUMN_WEIGHTS[c] / sum(_COLUMN_WEIGHTS.values()) for c in orgs]
    new = _split(rng, n_new, applicants, col_w)
    if n_new and rng.random() < 0.4:
        n_co = rng.randint(1, max(1, n_new // 8))
    else:
        n_co = 0 if rng.random() < 0.9 else rng.randint(1, 3)
    carried_over = _split(rng, n_co, applicants, col_w)

    # leaf weights for this report
    base: dict[str, float] = {}
    for key, (p, lo, hi) in _LEAF_PROFILE.items():
        base[key] = rng.uniform(lo, hi) if rng.random() < p else 0.0
    if "other_combined" in leaves:
        base["other_combined"] = base["other_no_correction"] + base["other_no_fee"] + base["other_other"]
    weights = [base[k] for k in leaves]
    cf_rate = rng.uniform(0.01, 0.15) if rng.random() < 0.4 else 0.0

    values: dict[str, dict[str, int]] = {r.key: dict.fromkeys(T.B_COLUMN_KEYS, 0) for r in rows}
    for c in applicants:
        open_requests = new[c] + carried_over[c]
        cf = sum(1 for _ in range(open_requests) if rng.random() < cf_rate)
        done = open_requests - cf
        split = _split(rng, done, leaves, weights)
        values["new"][c] = new[c]
        values["carried_over"][c] = carried_over[c]
        values["carried_forward"][c] = cf
        values["total"][c] = done
        for leaf, n in split.items():
            values[leaf][c] = n
    for row in values.values():
        row["total"] = sum(row[c] for c in applicants)
    return values


# ---------------------------------------------------------------------------------------------
# Table C
# ---------------------------------------------------------------------------------------------


def random_table_c_values(rng: random.Random, scale: int) -> dict[str, dict[str, int]]:
    """Table C counts with C1 (upheld + corrected + other + pending = total) per group."""
    values = {g: dict.fromkeys(T.C_COLUMN_KEYS, 0) for g in T.C_GROUP_KEYS}
    if rng.random() < (0.95 if scale == 0 else 0.75 if scale < 50 else 0.35):
        return values
    top = max(2, min(40, scale // 20))
    for g, p in (("review", 0.8), ("litigation_direct", 0.5), ("litigation_after_review", 0.35)):
        if rng.random() >= p:
            continue
        row = values[g]
        row["upheld"] = rng.randint(0, top)
        row["corrected"] = _maybe(rng, 0.3, rng.randint(1, max(1, top // 3)))
        row["other"] = _maybe(rng, 0.3, rng.randint(1, max(1, top // 3)))
        row["pending"] = _maybe(rng, 0.4, rng.randint(1, max(1, top // 2)))
        if not any(row.values()):
            row["upheld"] = 1
        row["total"] = row["upheld"] + row["corrected"] + row["other"] + row["pending"]
    return values


# ---------------------------------------------------------------------------------------------
# Table A
# ---------------------------------------------------------------------------------------------


def random_table_a_raw(rng: random.Random, fmt: FormatId, government: bool) -> dict[str, dict[str, str]]:
    """Printed Table A cells (raw text) for the format; 2021: issued ≤ in_force + repealed."""
    raw: dict[str, dict[str, str]] = {}
    if fmt == "2021":
        for row, (p_issue, top) in {"rules": (0.08 if government else 0.02, 3), "normative_docs": (0.6, 15)}.items():
            issued = _maybe(rng, p_issue, rng.randint(1, top))
            repealed = _maybe(rng, p_issue * 0.6, rng.randint(1, top))
            in_force = issued + (_maybe(rng, 0.7, rng.randint(1, 8 * top)) if row == "normative_docs" or government else 0)
            raw[row] = {"issued": str(issued), "repealed": str(repealed), "in_force": str(in_force)}
        raw["licensing"] = {"decisions": str(_maybe(rng, 0.6, _loguniform_int(rng, 20000)))}
        raw["penalty"] = {"decisions": str(_maybe(rng, 0.5, _loguniform_int(rng, 3000)))}
        raw["coercion"] = {"decisions": str(_maybe(rng, 0.3, _loguniform_int(rng, 200)))}
        raw["admin_fees"] = {"amount_wan": money_raw(rng, 0.1, 100000) if rng.random() < 0.5 else "0"}
        return raw

    def delta() -> str:
        roll = rng.random()
        if roll < 0.6:
            return "0"
        n = rng.randint(1, 6)
        return f"增加 {n} 个" if roll < 0.85 else f"减少 {n} 个"

    for row, p in (("rules", 0.05 if government else 0.02), ("normative_docs", 0.6)):
        made = _maybe(rng, p, rng.randint(1, 15))
        published = made if rng.random() < 0.8 else rng.randint(0, made)
        total = published + _maybe(rng, 0.6, rng.randint(1, 120))
        raw[row] = {"made": str(made), "published": str(published), "total_published": str(total)}
    for row, p, top in (("licensing", 0.6, 20000), ("other_services", 0.4, 3000), ("penalty", 0.5, 3000), ("coercion", 0.3, 200)):
        prev = _maybe(rng, p, rng.randint(1, 300))
        raw[row] = {"prev_items": str(prev), "delta": delta() if prev else "0",
                    "decisions": str(_maybe(rng, p, _loguniform_int(rng, top)))}
    fees = _maybe(rng, 0.5, rng.randint(1, 40))
    raw["admin_fees"] = {"prev_items": str(fees), "delta": delta() if fees else "0"}
    if rng.random() < 0.5:
        raw["procurement"] = {"projects": str(_loguniform_int(rng, 3000)), "amount": money_raw(rng, 1, 50000) + " 万元"}
    else:
        raw["procurement"] = {"projects": "0", "amount": "0"}
    return raw


# ---------------------------------------------------------------------------------------------
# Narrative
# ---------------------------------------------------------------------------------------------

_PROBLEMS = (
    ("政策解读", "政策解读形式还比较单一，图解、视频等解读方式运用不多"),
    ("时效性", "个别栏目信息更新不够及时"),
    ("深度广度", "主动公开的深度和广度有待进一步拓展，部分重点领域信息公开不够细化"),
    ("队伍", "信息公开工作人员多为兼职，业务培训还不够系统"),
    ("回应关切", "回应社会关切的主动性还不够强"),
    ("平台", "政府网站栏目设置与群众查询习惯结合不够紧密"),
    ("制度", "依申请公开办理流程的内部衔接还需进一步规范"),
)
_MEASURES = {
    "政策解读": "丰富政策解读形式。对涉及群众切身利益的政策文件，同步制作图解、问答等解读材料，做到应解读尽解读。",
    "时效性": "提升信息发布时效。建立栏目更新台账，明确各科室信息报送时限，定期开展网站栏目自查。",
    "深度广度": "拓展公开深度广度。围绕预决算、重大项目、民生事项等重点领域，细化公开内容，提高公开质量。",
    "队伍": "加强业务培训。定期组织信息公开工作人员学习《中华人民共和国政府信息公开条例》，提升依法公开能力。",
    "回应关切": "积极回应社会关切。密切关注舆情动态，对群众关心的热点问题及时发布权威信息。",
    "平台": "优化公开平台。按照群众需求调整栏目设置，完善信息检索功能，方便群众查询。",
    "制度": "规范依申请公开办理。严格执行登记、审核、答复等环节要求，确保依法依规按时答复。",
}
_ORDINALS = ("一", "二", "三", "四", "五")
_SUB = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")


def _v(cells: dict[str, dict[str, Cell]], row: str, col: str) -> int:
    c = cells.get(row, {}).get(col)
    return int(c.value) if c is not None and c.value is not None else 0


def _overview(rng: random.Random, report: Report, selfn: str) -> str:
    y, agency = report.year, report.agency or ""
    b, c, a = report.table_b.cells, report.table_c.cells, report.table_a.cells
    paras = [
        f"{y}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》"
        f"和上级关于政务公开工作的部署要求，紧紧围绕中心工作，扎实推进政府信息公开各项工作。"
    ]
    n_active = rng.randint(30, 600)
    doc_col = "issued" if report.format == "2021" else "made"
    n_docs = _v(a, "normative_docs", doc_col)
    docs = f"制发行政规范性文件{n_docs}件" if n_docs else "本年度未制发行政规范性文件"
    paras += [
        _SUB[0] + "主动公开",
        f"{y}年，{selfn}通过政府门户网站主动公开政府信息{n_active}条，{docs}。及时公开预决算、政策文件、"
        f"工作动态等信息，确保应公开尽公开。",
        _SUB[1] + "依申请公开",
    ]
    new, co = _v(b, "new", "total"), _v(b, "carried_over", "total")
    total, cf = _v(b, "total", "total"), _v(b, "carried_forward", "total")
    if new == 0 and co == 0:
        req = f"{y}年，{selfn}未收到政府信息公开申请。"
    else:
        person = _v(b, "new", "natural_person")
        req = f"{y}年，{selfn}共收到政府信息公开申请{new}件"
        if new:
            req += f"，其中自然人申请{person}件，法人或其他组织申请{new - person}件"
        if co:
            req += f"；上年结转政府信息公开申请{co}件"
        req += f"。已办结{total}件"
        if cf:
            req += f"，结转下年度继续办理{cf}件"
        req += "。"
        granted = _v(b, "granted", "total")
        if total and granted:
            req += f"其中予以公开{granted}件，占办结总数的{granted / total * 100:.2f}%。"
    review = _v(c, "review", "total")
    litigation = _v(c, "litigation_direct", "total") + _v(c, "litigation_after_review", "total")
    if review == 0 and litigation == 0:
        req += "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    else:
        req += f"全年因政府信息公开被申请行政复议{review}件，提起行政诉讼{litigation}件。"
    paras.append(req)
    paras += [
        _SUB[2] + "政府信息管理",
        "严格落实信息发布审核制度，信息发布前按照“三审三校”要求进行保密审查，确保公开信息准确规范。"
        + rng.choice(("", "定期对已公开的政策文件进行清理，及时标注失效、废止情况。")),
        _SUB[3] + "政府信息公开平台建设",
        rng.choice((
            "以政府门户网站为第一平台，及时更新政府信息公开专栏内容，同步运用政务新媒体发布信息。",
            "持续优化政府信息公开专栏，规范栏目设置，提升平台的集约化水平和用户体验。",
        )),
        _SUB[4] + "监督保障",
        "明确分管领导和专职人员负责政府信息公开工作，将政务公开纳入年度工作要点，加强日常督促检查。"
        + ("认真开展政务公开工作考核和社会评议，本年度未发生责任追究情况。" if "人民政府" in agency else ""),
    ]
    return "\n".join(paras)


def _problems(rng: random.Random, report: Report, selfn: str) -> str:
    y = report.year or 0
    b = report.table_b.cells
    picked = rng.sample(_PROBLEMS, rng.randint(2, 3))
    parts = [p for _, p in picked]
    total, not_held = _v(b, "total", "total"), _v(b, "unable_not_held", "total")
    if total >= 5 and not_held / total >= 0.3:
        parts.insert(0, f"依申请公开办结的{total}件中，因本机关不掌握相关政府信息而无法提供的有{not_held}件，"
                        f"占{not_held / total * 100:.1f}%，申请人对本机关职责范围了解不够")
    intro = f"{y}年，{selfn}政府信息公开工作取得了一定成效，但仍存在一些不足：" + "；".join(parts) + "。"
    intro += f"{y + 1}年，{selfn}将重点做好以下工作："
    items = [f"{_ORDINALS[i]}是{_MEASURES[cat]}" for i, (cat, _) in enumerate(picked)]
    return "\n".join([intro, *items])


def _other(rng: random.Random, report: Report, selfn: str) -> str:
    y = report.year or 0
    b = report.table_b.cells
    requests = _v(b, "new", "total") + _v(b, "carried_over", "total")
    if report.format == "2019" and rng.random() < 0.4:
        return "无"
    if requests and rng.random() < 0.1:
        fee = f"{y}年，{selfn}依据《政府信息公开信息处理费管理办法》收取信息处理费{rng.randint(1, 30) * 10}元。"
    else:
        fee = f"{y}年，{selfn}未收取信息处理费。"
    extra = rng.choice(("", f"{y}年，{selfn}认真落实上级政务公开工作要点，各项任务均已按时完成。"))
    return "\n".join(p for p in (fee, extra) if p)


_HEADINGS: dict[str, tuple[str, ...]] = {
    "review_litigation": ("政府信息公开行政复议、行政诉讼情况",) * 4 + ("因政府信息公开工作被申请行政复议和提起行政诉讼情况",),
    "problems": ("存在的主要问题及改进情况",) * 4 + ("政府信息公开工作存在的主要问题及改进情况",),
}


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def _grid(values: dict[str, dict[str, int]], rng: random.Random, blank_p: float) -> dict[str, dict[str, Cell]]:
    return {
        r: {c: (blank_cell() if v == 0 and rng.random() < blank_p else number_cell(v)) for c, v in cols.items()}
        for r, cols in values.items()
    }


def random_report(
    seed: int,
    *,
    year: int | None = None,
    fmt: FormatId | None = None,
    compressed_other: bool = False,
    blanks: bool = False,
    agency: str | None = None,
) -> Report:
    """A random, internally consistent report; the same seed and options give the same report."""
    rng = random.Random(seed)
    if year is None:
        year = rng.choice((2019, 2020)) if fmt == "2019" else rng.choice((2021, 2022, 2023, 2024))
    fmt = fmt or T.format_for_year(year) or "2021"
    agency = agency or rng.choice(agency_names())
    government = agency.endswith("人民政府")
    compressed = compressed_other or fmt == "2019"

    township = agency.endswith(("镇人民政府", "街道办事处"))
    b_values = random_table_b_values(rng, fmt, compressed, township)
    scale = b_values["new"]["total"] + b_values["carried_over"]["total"]
    c_values = random_table_c_values(rng, scale)
    a_raw = random_table_a_raw(rng, fmt, government)

    b_blank = c_blank = a_blank = 0.0
    if blanks:
        b_blank, c_blank, a_blank = rng.uniform(0.6, 1.0), rng.uniform(0.6, 1.0), rng.uniform(0.0, 0.5)
    table_a = TableA(
        format=fmt,
        engine="gold",
        cells={
            r: {c: (blank_cell() if raw == "0" and rng.random() < a_blank else parse_cell(raw)) for c, raw in cols.items()}
            for r, cols in a_raw.items()
        },
    )
    table_b = TableB(format=fmt, compressed_other=compressed, engine="gold", cells=_grid(b_values, rng, b_blank))
    table_c = TableC(engine="gold", cells=_grid(c_values, rng, c_blank))

    title = rng.choice((
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{agency}{year}年政府信息公开工作年度报告",
        f"{year}年度{agency}政府信息公开工作年度报告",
    ))
    report = Report(
        title=title, agency=agency, year=year, format=fmt, engine="gold",
        table_a=table_a, table_b=table_b, table_c=table_c,
    )
    selfn = self_name(agency)
    texts = {
        "overview": _overview(rng, report, selfn),
        "proactive": "",
        "requests": "",
        "review_litigation": "",
        "problems": _problems(rng, report, selfn),
        "other": _other(rng, report, selfn),
    }
    for num, label in zip(T.SECTION_NUMERALS, T.SECTIONS, strict=True):
        heading = rng.choice(_HEADINGS.get(label.key, (label.label,)))
        # the heading as printed, numeral included (as the real gold and the section splitter have it)
        report.sections.append(Section(key=label.key, number=num, heading=f"{num}、{heading}", text=texts[label.key]))
    return report


# ---------------------------------------------------------------------------------------------
# Identities and planted errors
# ---------------------------------------------------------------------------------------------


def identity_violations(report: Report, *, blank_as_zero: bool = False) -> list[str]:
    """The table identities (B1, B2, B3, B5, C1, A2) that fail where every operand is a number.

    A blank operand makes an identity not assessable: it is skipped, as the checker does, unless
    ``blank_as_zero`` (the checker's labelled "blank = 0" assumption).
    """
    out: list[str] = []
    b = report.table_b
    fmt = b.format or "2021"

    def val(table: TableA | TableB | TableC, r: str, c: str) -> int | float | None:
        if blank_as_zero and table.cell(r, c).state == CellState.blank:
            return 0
        return table.value(r, c)

    leaves = T.table_b_leaves(fmt, b.compressed_other)
    for c in T.B_COLUMN_KEYS:
        new, co, tot, cf = (val(b, r, c) for r in ("new", "carried_over", "total", "carried_forward"))
        if None not in (new, co, tot, cf) and new + co != tot + cf:  # type: ignore[operator]
            out.append(f"B1 {c}")
        if None not in (new, co, cf) and cf > new + co:  # type: ignore[operator]
            out.append(f"B5 {c}")
        parts = [val(b, r, c) for r in leaves]
        if tot is not None and None not in parts and sum(parts) != tot:  # type: ignore[arg-type]
            out.append(f"B2 {c}")
    for r in b.row_keys():
        parts = [val(b, r, c) for c in T.B_APPLICANT_KEYS]
        tot = val(b, r, "total")
        if tot is not None and None not in parts and sum(parts) != tot:  # type: ignore[arg-type]
            out.append(f"B3 {r}")
    for g in T.C_GROUP_KEYS:
        parts = [val(report.table_c, g, c) for c in T.C_COLUMN_KEYS[:4]]
        tot = val(report.table_c, g, "total")
        if tot is not None and None not in parts and sum(parts) != tot:  # type: ignore[arg-type]
            out.append(f"C1 {g}")
    if report.table_a.format == "2021":
        for r in ("rules", "normative_docs"):
            i, rep, f = (val(report.table_a, r, c) for c in ("issued", "repealed", "in_force"))
            if None not in (i, rep, f) and i > f + rep:  # type: ignore[operator]
                out.append(f"A2 {r}")
    return out


def _row_all_numbers(table: TableB | TableC, row: str, cols: tuple[str, ...]) -> bool:
    return all(table.cell(row, c).state == CellState.number for c in cols)


def plant_error(report: Report, seed: int) -> tuple[Report, tuple[str, str, str]]:
    """A copy of the report with one numeric cell of Table B or C changed; and (table, row, column).

    The cell is chosen in a row (B) or group (C) whose cells are all numbers, so B3 or C1 fails. Without
    such a row (a report with blanks), any number cell is changed: an identity then fails only under
    the "blank = 0" assumption (``identity_violations(..., blank_as_zero=True)``).
    """
    rng = random.Random(seed)
    bad = report.model_copy(deep=True)
    candidates: list[tuple[str, str, str]] = []
    for r in bad.table_b.row_keys():
        if _row_all_numbers(bad.table_b, r, T.B_COLUMN_KEYS):
            candidates += [("table_b", r, c) for c in T.B_COLUMN_KEYS]
    for g in T.C_GROUP_KEYS:
        if _row_all_numbers(bad.table_c, g, T.C_COLUMN_KEYS):
            candidates += [("table_c", g, c) for c in T.C_COLUMN_KEYS]
    if not candidates:
        candidates = [(t, r, c) for t in ("table_b", "table_c") for r, c, cell in bad.tables[t].iter_cells()
                      if cell.state == CellState.number]
    if not candidates:
        raise ValueError("the report has no number cell in Table B or C to change")
    table, row, col = rng.choice(candidates)
    cell = bad.tables[table].cells[row][col]
    old = int(cell.value or 0)
    step = rng.choice((1, 1, 2, 3, 5, 10))
    new = old + step if old < step or rng.random() < 0.5 else old - step
    bad.tables[table].cells[row][col] = number_cell(new)
    return bad, (table, row, col)
