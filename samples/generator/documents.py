"""Document plans: what a document says, which seals it carries, and the blocks that print it.

A `DocPlan` is drawn from a `random.Random` and holds the truth (canonical field values of what is
actually printed) next to the rendering choices (wording, date style, brackets, layout family).
`build_blocks` turns a plan into layout blocks; nothing in here touches pixels.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from samples.generator import texts as T
from samples.generator.layouts import INK, MM, RED, FontSet, Geometry, PageBreak, Para, Rule, Spacer, Table

DEADLINE = dt.date(2024, 2, 29)
AREAS = ("ideology", "school_conditions", "campus_safety", "internship_training", "food_hygiene", "other")
CERT = "fire_acceptance_certificate"
REPORT = "self_inspection_report"
UNKNOWN = "unknown"


@dataclass
class SealPlan:
    """One seal on the document. `where`: signature | copy | personal | header; `stage`: original | copy."""

    text: str
    shape: str = "round"
    sub_text: str | None = None
    code: str | None = None
    where: str = "signature"
    stage: str = "original"
    partial_side: str | None = None  # left | right | top | bottom: hangs over that page edge
    note: bool = False  # 与原件核对一致 written next to it
    strength: float = 0.9
    double_ring: bool = False
    inverse: bool = False
    star: bool = True
    width: int = 330
    height: int = 330
    rotation: float = 0.0
    ink: int = 0  # index into RED_INKS

    @property
    def partial(self) -> bool:
        """Whether the seal hangs over a page edge."""
        return self.partial_side is not None


@dataclass
class DocPlan:
    """Everything a document says and carries; `fields` is the truth of what is printed."""

    doc_type: str
    institution: T.Institution
    layout: str
    fields: dict[str, object]  # canonical truth of what is printed
    seals: list[SealPlan]
    meta: dict[str, object] = field(default_factory=dict)  # rendering choices and context
    case: str = ""
    intended: tuple[str, ...] = ()  # finding codes this plan was drawn to exhibit


# ---------------------------------------------------------------- helpers


def _round_seal(rng: random.Random, text: str, **kw: object) -> SealPlan:
    d = int(rng.uniform(315, 345))
    base = dict(
        text=text,
        shape="round",
        width=d,
        height=d,
        rotation=rng.uniform(-18, 18),
        strength=rng.uniform(0.7, 1.0),
        double_ring=rng.random() < 0.15,
        ink=rng.randrange(6),
        code=f"14{rng.randint(10, 99)}{rng.randint(10, 99)}{rng.randint(100000000, 999999999)}"
        if rng.random() < 0.35
        else None,
    )
    base.update(kw)
    return SealPlan(**base)  # type: ignore[arg-type]


def _oval_seal(rng: random.Random, text: str, **kw: object) -> SealPlan:
    w = int(rng.uniform(330, 370))
    base = dict(
        text=text,
        shape="oval",
        width=w,
        height=int(w * rng.uniform(0.66, 0.74)),
        rotation=rng.uniform(-12, 12),
        strength=rng.uniform(0.7, 1.0),
        ink=rng.randrange(6),
        star=rng.random() < 0.5,
    )
    base.update(kw)
    return SealPlan(**base)  # type: ignore[arg-type]


def _org_seal(rng: random.Random, text: str, **kw: object) -> SealPlan:
    """Government bodies and schools use round seals; companies sometimes oval ones."""
    company = text.endswith("公司")
    if company and rng.random() < 0.35:
        return _oval_seal(rng, text, **kw)
    return _round_seal(rng, text, **kw)


def name_seal(rng: random.Random, name: str) -> SealPlan:
    """A square personal name seal (张建国印, 王丽之印); never an organisation seal."""
    s = int(rng.uniform(130, 170))
    return SealPlan(
        text=name + "印" if len(name) == 3 else name + "之印",
        shape="square",
        where="personal",
        width=s,
        height=s,
        rotation=rng.uniform(-6, 6),
        inverse=rng.random() < 0.6,
        strength=rng.uniform(0.75, 1.0),
        ink=rng.randrange(6),
    )


def _fonts(rng: random.Random, digital: bool) -> FontSet:
    if digital:  # faces reportlab can embed
        body = rng.choice(("ming", "ming", "kai"))
        return FontSet(
            body=body, heading="zenhei", title=rng.choice(("zenhei", "ming")), redhead="zenhei", table=body
        )
    body = rng.choices(("song", "ming", "kai"), weights=(5, 3, 1))[0]
    return FontSet(
        body=body,
        heading=rng.choice(("hei", "zenhei", body)),
        title=rng.choice(("song_bold", "hei_bold")),
        redhead=rng.choice(("song_bold", "hei_bold")),
        table=body,
    )


def _geometry(rng: random.Random) -> Geometry:
    return Geometry(
        left=rng.uniform(25, 30) * MM,
        right=rng.uniform(24, 28) * MM,
        top=rng.uniform(30, 38) * MM,
        bottom=rng.uniform(28, 35) * MM,
        spacing=rng.uniform(1.55, 1.8),
        page_numbers=rng.random() < 0.6,
    )


# ---------------------------------------------------------------- certificates

MISSING_CERT_FIELDS = ("document_number", "issue_date", "project_name")


def plan_certificate(
    rng: random.Random,
    inst: T.Institution,
    roster: tuple[T.Institution, ...],
    defects: tuple[str, ...] = (),
    *,
    digital: bool = False,
) -> DocPlan:
    """A fire-acceptance opinion for a building of `inst`, copied and stamped by its sponsor."""
    late = "late_submission" in defects
    if late:
        issue = T.rand_date(rng, dt.date(2024, 3, 1), dt.date(2024, 3, 26))
    else:
        year = rng.choices(range(2012, 2025), weights=(1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 2))[0]
        issue = T.rand_date(rng, dt.date(year, 1, 4), min(dt.date(year, 12, 28), DEADLINE))
    issuer = T.issuing_authority(rng, inst.city, issue.year)
    police = "公安" in issuer
    num_year = issue.year
    if "invalid_field" in defects:
        num_year = issue.year - rng.choice((1, 1, 2)) if rng.random() < 0.7 else issue.year + 1
    docno_printed, docno = T.document_number(rng, inst.city, num_year, police)
    if "invalid_field" not in defects and num_year != issue.year:
        raise AssertionError("year mismatch in a plan that should be valid")
    cu = inst.name
    if "institution_mismatch" in defects:
        cu = (
            inst.sponsor
            if rng.random() < 0.6
            else rng.choice([i.name for i in roster if i.name != inst.name])
        )
    project = T.project_name(rng, cu)
    area = round(rng.uniform(1200, 26000), 2)
    conclusion = "不合格" if "conclusion_not_passed" in defects else "合格"
    fields: dict[str, object] = {
        "document_number": docno,
        "issuing_authority": issuer,
        "construction_unit": cu,
        "project_name": project,
        "project_address": T.address(rng, inst.city),
        "building_area_m2": area,
        "acceptance_conclusion": conclusion,
        "issue_date": issue.isoformat(),
    }
    if rng.random() < 0.12:
        del fields["building_area_m2"]
    if rng.random() < 0.08:
        del fields["project_address"]
    if "missing_field" in defects:
        del fields[rng.choices(MISSING_CERT_FIELDS, weights=(4, 3, 2))[0]]

    if police:
        layout = "police_letter" if rng.random() < 0.7 else "form"
    else:
        layout = rng.choices(("letter", "form"), weights=(55, 45))[0]
    meta: dict[str, object] = {
        "issuer": issuer,
        "docno_printed": docno_printed,
        "police": police,
        "date_style": rng.choices(("arabic", "cn", "pad"), weights=(5, 4, 1))[0],
        "area_text": T.fmt_area(area, rng) if "building_area_m2" in fields else None,
        "apply_date": issue - dt.timedelta(days=rng.randint(12, 60)),
        "floors": rng.randint(2, 7),
        "use": rng.choice(T.USES),
        "structure": rng.choice(T.STRUCTURES),
        "title": T.POLICE_TITLE if police else rng.choice(T.CERT_TITLES),
        "red_header": rng.random() < 0.3,
        "fail_issues": rng.sample(T.FAIL_ISSUES, rng.randint(2, 4)),
        "digital": digital,
        "fonts": _fonts(rng, digital),
        "geometry": _geometry(rng),
        "address_label": rng.choice(("工程地址", "建设地址", "工程地址")),
        "project_label": rng.choice(("工程名称", "项目名称", "工程名称")),
    }

    seals: list[SealPlan] = []
    sub = (
        rng.choice(("建设工程消防验收专用章", "消防验收专用章", None, None))
        if not police
        else rng.choice(("建设工程消防验收专用章", None))
    )
    issuer_seal = _round_seal(rng, issuer, sub_text=sub, where="signature", stage="original")
    sponsor_seal = _org_seal(rng, inst.sponsor, where="copy", stage="copy", note=rng.random() < 0.75)
    seal_defect = next((d for d in defects if d in ("missing_seal", "seal_mismatch", "seal_partial")), None)
    if seal_defect == "missing_seal":
        if rng.random() < 0.75:
            sponsor_seal = None  # type: ignore[assignment]
            meta["missing_role"] = "sponsor"
        else:
            issuer_seal = None  # type: ignore[assignment]
            meta["missing_role"] = "issuing_authority"
    elif seal_defect == "seal_mismatch":
        kind = rng.random()
        if kind < 0.3:  # the school stamped its own seal instead of the sponsor's
            sponsor_seal = _round_seal(rng, inst.name, where="copy", stage="copy", note=True)
        else:
            text, sub_t = T.other_org_seal(rng, inst, roster)
            sponsor_seal = _round_seal(rng, text, sub_text=sub_t, where="copy", stage="copy", note=True)
    elif seal_defect == "seal_partial":
        side = rng.choice(("bottom", "right", "left"))
        if rng.random() < 0.6:
            sponsor_seal.partial_side = side
        else:
            issuer_seal.partial_side = rng.choice(("bottom", "right"))
    if issuer_seal:
        seals.append(issuer_seal)
    if sponsor_seal:
        seals.append(sponsor_seal)
    if not defects and rng.random() < 0.15:  # the school also stamps its own seal on the copy: harmless
        seals.append(_round_seal(rng, inst.name, where="copy", stage="copy"))
    return DocPlan(CERT, inst, layout, fields, seals, meta, intended=tuple(defects))


def _cert_body(plan: DocPlan, rng: random.Random) -> list:
    f, m = plan.fields, plan.meta
    body = 42 if rng.random() < 0.6 else 38
    issuer = str(m["issuer"])
    ds = str(m["date_style"])
    date_txt = (
        T.fmt_date(dt.date.fromisoformat(str(f["issue_date"])), ds) if "issue_date" in f else "年    月    日"
    )
    apply_txt = T.fmt_date(m["apply_date"], ds)  # type: ignore[arg-type]
    head_color = RED if m["red_header"] else INK
    blocks: list = []
    name_size = rng.choice((56, 62, 70))
    blocks.append(
        Para(
            issuer,
            role="title",
            size=name_size,
            align="center",
            indent=0,
            color=head_color,
            kind="title",
            after=10,
        )
    )
    blocks.append(
        Para(
            str(m["title"]),
            role="title",
            size=rng.choice((60, 66)),
            align="center",
            indent=0,
            color=head_color,
            kind="title",
            after=24,
        )
    )
    if "document_number" in f:
        blocks.append(
            Para(
                str(m["docno_printed"]),
                size=40,
                align=rng.choice(("center", "right")),
                indent=0,
                kind="docno",
                after=30,
            )
        )
    else:
        blocks.append(Spacer(40))
    loc = []
    if "project_address" in f:
        loc.append(f"{m['address_label']}：{f['project_address']}")
    if m.get("area_text"):
        loc.append(f"建筑面积：{m['area_text']}")
    loc.append(f"建筑层数：地上{m['floors']}层")
    loc.append(f"使用性质：{m['use']}")
    paren = "（" + "；".join(loc) + "）"
    proj = str(f["project_name"]) if "project_name" in f else "建设工程"
    cu = str(f["construction_unit"])
    passed = f["acceptance_conclusion"] == "合格"

    if plan.layout in ("letter", "police_letter"):
        blocks.append(Para(f"{cu}：", size=body, indent=0, kind="addressee"))
        if plan.layout == "letter":
            blocks.append(
                Para(
                    f"根据《中华人民共和国消防法》《建设工程消防设计审查验收管理暂行规定》等有关规定，你单位于{apply_txt}"
                    f"申请的{proj}{paren}消防验收，我局受理后，依法组织进行了消防验收。",
                    size=body,
                )
            )
        else:
            blocks.append(
                Para(
                    f"根据《中华人民共和国消防法》和《建设工程消防监督管理规定》，我支队于{apply_txt}对你单位{proj}"
                    f"{paren.replace('工程地址', '地址').replace('建设地址', '地址')}进行了消防验收。",
                    size=body,
                )
            )
        if passed:
            blocks.append(
                Para(
                    rng.choice(
                        (
                            "经现场评定，该工程消防验收合格。",
                            "经综合评定，该工程消防验收合格。",
                            "综合评定结论为合格。",
                        )
                    ),
                    size=body,
                )
            )
            if rng.random() < 0.6:
                blocks.append(
                    Para(
                        "工程投入使用后，你单位应当依法落实消防安全主体责任，确保消防设施完好有效，"
                        "不得擅自改变使用性质或降低消防技术标准。",
                        size=body,
                    )
                )
        else:
            blocks.append(Para("经现场评定，该工程存在以下问题：", size=body))
            for i, issue in enumerate(m["fail_issues"], 1):  # type: ignore[arg-type]
                blocks.append(Para(f"{i}.{issue}；", size=body))
            blocks.append(
                Para(
                    "综合评定结论为不合格。请你单位按照《中华人民共和国消防法》的有关规定进行整改，"
                    "整改完毕后重新申请消防验收。",
                    size=body,
                )
            )
        reviewer = f"{plan.institution.city}市人民政府"
        blocks.append(
            Para(
                f"如不服本意见，可在收到本意见书之日起六十日内依法向{reviewer}申请行政复议，或者六个月内依法向人民法院提起行政诉讼。",
                size=body,
                after=60,
            )
        )
        pad = rng.uniform(1.0, 3.0)
        blocks.append(
            Para(
                issuer,
                size=body,
                align="right",
                indent=0,
                right_pad=pad,
                kind="signature",
                anchor="signature_name",
            )
        )
        blocks.append(
            Para(
                date_txt,
                size=body,
                align="right",
                indent=0,
                right_pad=pad + 0.5,
                kind="signature",
                anchor="signature",
            )
        )
        if rng.random() < 0.5:
            blocks.append(Spacer(80))
            blocks.append(Rule(color=INK, width=2, before=0, after=10))
            blocks.append(
                Para(f"抄送：{plan.institution.city}市消防救援支队。", size=34, indent=0, kind="note")
            )
        return blocks

    # form: label | value rows, the acceptance department's cell at the bottom carries the seal
    rows: list[list[str]] = []
    rows.append(["建设单位", cu])
    if "project_name" in f:
        rows.append([str(m["project_label"]), proj])
    if "project_address" in f:
        rows.append([str(m["address_label"]), str(f["project_address"])])
    if m.get("area_text"):
        rows.append(["建筑面积", str(m["area_text"])])
    rows.append(["结构类型", f"{m['structure']}，地上{m['floors']}层"])
    rows.append(["使用性质", str(m["use"])])
    rows.append(["申请日期", apply_txt])
    verdict = "合格" if passed else "不合格"
    if passed:
        rows.append(["验收结论", rng.choice((verdict, f"经综合评定，该工程消防验收{verdict}。"))])
    else:
        issues = "；".join(f"{i}.{x}" for i, x in enumerate(m["fail_issues"], 1))  # type: ignore[arg-type]
        rows.append(["存在问题", issues + "。"])
        rows.append(["验收结论", f"经综合评定，该工程消防验收{verdict}。"])
    rows.append(["验收部门意见", ""])
    tall = len(rows) - 1
    table = Table(
        rows,
        [0.24, 0.76],
        size=body - 2,
        role="table",
        label_cols=(0,),
        min_row=1.8,
        center_values=rng.random() < 0.3,
        cell_anchors={(tall, 1): "form_sign"},
        tall_rows={tall: 440},
    )
    blocks.append(table)
    m["form_sign_lines"] = [issuer + "（盖章）" if rng.random() < 0.5 else issuer, date_txt]
    return blocks


# ---------------------------------------------------------------- reports

MISSING_REPORT_FIELDS = ("contact_phone", "contact_person", "report_date", "hazards", "institution_name")


def plan_report(
    rng: random.Random,
    inst: T.Institution,
    roster: tuple[T.Institution, ...],
    defects: tuple[str, ...] = (),
    *,
    digital: bool = False,
) -> DocPlan:
    """A self-inspection report of `inst` under the six focus areas, sealed by the institution."""
    if "late_submission" in defects:
        rdate = T.rand_date(rng, dt.date(2024, 3, 1), dt.date(2024, 3, 28))
    else:
        rdate = T.rand_date(rng, dt.date(2024, 2, 8), DEADLINE)
    name = inst.name
    if "institution_mismatch" in defects:
        same = [i for i in roster if i.name != inst.name and i.category == inst.category]
        name = rng.choice(same or [i for i in roster if i.name != inst.name]).name
    areas = list(AREAS)
    if "missing_area" in defects:
        for a in rng.sample(AREAS, rng.choice((1, 1, 2))):
            areas.remove(a)
    n = rng.randint(3, 14)
    m = n
    if "hazards_outstanding" in defects:
        m = rng.randint(max(0, n - 4), n - 1)
    principal = T.person(rng)
    contact = T.person(rng)
    fields: dict[str, object] = {
        "institution_name": name,
        "institution_category": inst.category,
        "principal": principal,
        "contact_person": contact,
        "contact_phone": T.phone(rng, inst.city),
        "report_date": rdate.isoformat(),
        "areas_covered": [a for a in AREAS if a in areas],
        "hazards_found": n,
        "hazards_rectified": m,
    }
    meta: dict[str, object] = {
        "category_printed": rng.random() < 0.35,
        "principal_printed": rng.random() < 0.45,
        "date_style": rng.choices(("arabic", "cn", "pad"), weights=(5, 4, 1))[0],
        "count_style": rng.choice(("arabic", "arabic", "cn")),
        "unit_word": rng.choice(("项", "项", "条", "处")),
        "heading_levels": rng.choice(("top", "nested")),
        "area_words": {a: rng.choice(T.AREA_HEADINGS[a]) for a in AREAS},
        "table": rng.random() < 0.5 and n <= 12,
        "digital": digital,
        "fonts": _fonts(rng, digital),
        "geometry": _geometry(rng),
        "sentences": {
            a: rng.sample(T.AREA_BODY[a], rng.randint(1, min(3, len(T.AREA_BODY[a])))) for a in AREAS
        },
        "hazards": rng.sample(T.HAZARDS, n)
        if n <= len(T.HAZARDS)
        else [rng.choice(T.HAZARDS) for _ in range(n)],
        "addressee": inst.sponsor if rng.random() < 0.5 else f"{inst.city}市人力资源和社会保障局",
        "fileno": f"{name[:2]}{rng.choice(('发', '字', '报'))}〔2024〕{rng.randint(2, 30)}号",
        "seal_over_date": rng.random() < 0.8,
    }
    length = rng.choices(("short", "medium", "long"), weights=(3, 4, 3))[0]
    meta["length"] = length
    if length == "short":  # a one-page report: a line per area, a short list instead of a table
        meta["sentences"] = {a: v[:1] for a, v in meta["sentences"].items()}  # type: ignore[attr-defined]
        meta.update(table=False, list_max=2, body_size=32, heading_levels="nested", inline_heads=True)
        meta["geometry"].spacing = 1.42  # type: ignore[attr-defined]
        meta["geometry"].top = 24 * MM  # type: ignore[attr-defined]
        meta["geometry"].bottom = 20 * MM  # type: ignore[attr-defined]
    elif length == "medium":
        meta["sentences"] = {a: v[:2] for a, v in meta["sentences"].items()}  # type: ignore[attr-defined]
        meta["list_max"] = 3
    if not meta["category_printed"]:
        del fields["institution_category"]
    if not meta["principal_printed"]:
        del fields["principal"]
    if "missing_field" in defects:
        gone = rng.choices(MISSING_REPORT_FIELDS, weights=(4, 2, 3, 3, 1))[0]
        if gone == "hazards":
            del fields["hazards_found"], fields["hazards_rectified"]
            meta["table"] = False
        else:
            del fields[gone]
        meta["missing"] = gone
    layout = rng.choices(("redhead", "plain", "form_header"), weights=(45, 35, 20))[0]

    seals: list[SealPlan] = []
    own = _round_seal(rng, inst.name, where="signature", stage="original")
    seal_defect = next((d for d in defects if d in ("missing_seal", "seal_mismatch", "seal_partial")), None)
    if seal_defect == "missing_seal":
        own = None  # type: ignore[assignment]
        if rng.random() < 0.5:  # only the principal's name seal: never an organisation seal
            seals.append(name_seal(rng, principal))
            meta["personal_only"] = True
    elif seal_defect == "seal_mismatch":
        if rng.random() < 0.35:
            own = _org_seal(rng, inst.sponsor, where="signature", stage="original")
        else:
            text, sub_t = T.other_org_seal(rng, inst, roster)
            own = _round_seal(rng, text, sub_text=sub_t, where="signature", stage="original")
    elif seal_defect == "seal_partial":
        own.partial_side = rng.choice(("bottom", "right"))
    if own:
        seals.append(own)
    if not seal_defect and rng.random() < 0.2:
        seals.append(name_seal(rng, principal))
    return DocPlan(REPORT, inst, layout, fields, seals, meta, intended=tuple(defects))


_HEAD_NUMS = "一二三四五六七八九十"


def _report_body(plan: DocPlan, rng: random.Random) -> list:
    f, m = plan.fields, plan.meta
    inst = plan.institution
    printed_name = str(f.get("institution_name", ""))
    cat = inst.category
    unit = T.unit_word(cat)
    head = T.head_word(cat)
    body = int(m.get("body_size") or rng.choice((42, 42, 40, 38)))  # type: ignore[call-overload]
    blocks: list = []
    if plan.layout == "redhead":
        red_name = f"{printed_name}文件" if printed_name else "安全生产整治工作领导小组文件"
        # the red head is squeezed onto one line, as printers of 文件 headers do
        size = min(rng.choice((84, 92, 100)), int(1150 / len(red_name)))
        blocks.append(
            Para(
                red_name,
                role="redhead",
                size=size,
                align="center",
                indent=0,
                color=RED,
                kind="redhead",
                after=30,
            )
        )
        blocks.append(Para(str(m["fileno"]), size=40, align="center", indent=0, kind="docno", after=0))
        blocks.append(Rule(color=RED, width=5, before=16, after=60, double=rng.random() < 0.3))
    if printed_name:
        title = rng.choice(T.REPORT_TITLES).format(org=printed_name)
    else:
        title = "关于安全生产整治行动自查情况的报告"
    blocks.append(
        Para(
            title,
            role="title",
            size=rng.choice((56, 60, 64)),
            align="center",
            indent=0,
            kind="title",
            after=40,
            spacing=1.5,
        )
    )
    if plan.layout == "form_header":
        rows = [
            [
                "单位名称",
                printed_name or "",
                "单位类别",
                T.CATEGORY_ZH[cat][0] if "institution_category" in f else "",
            ]
        ]
        rows.append(["主要负责人", str(f.get("principal", "")), "联系人", str(f.get("contact_person", ""))])
        rows.append(["联系电话", str(f.get("contact_phone", "")), "填报日期", ""])
        blocks.append(
            Table(rows, [0.18, 0.34, 0.16, 0.32], size=body - 4, label_cols=(0, 2), min_row=1.8, after=40)
        )
    blocks.append(Para(f"{m['addressee']}：", size=body, indent=0, kind="addressee"))
    blocks.append(Para(T.INTRO.format(unit=unit, head=head), size=body))

    areas = list(f.get("areas_covered", []))
    nested = m["heading_levels"] == "nested"
    sec = 0
    if nested:
        blocks.append(Para("一、自查工作开展情况", role="heading", size=body, kind="heading", before=6))
        sec = 1
    for i, a in enumerate(areas):
        word = m["area_words"][a]  # type: ignore[index]
        label = f"（{_HEAD_NUMS[i]}）{word}" if nested else f"{_HEAD_NUMS[sec + i]}、{word}"
        sents = [
            s.format(
                org=f"我{unit}",
                head=head,
                cat=T.CATEGORY_ZH[cat][0],
                n=rng.randint(2, 12),
                m=rng.randint(50, 400),
            )
            for s in m["sentences"][a]
        ]  # type: ignore[index]
        if nested and (m.get("inline_heads") or rng.random() < 0.5):
            blocks.append(Para(label + "。" + "".join(sents), size=body))
        else:
            blocks.append(
                Para(label, role="heading", size=body, indent=2 if nested else 0, kind="heading", before=6)
            )
            blocks.append(Para("".join(sents), size=body))
    sec = 2 if nested else len(areas) + 1
    blocks.append(
        Para(
            f"{_HEAD_NUMS[sec - 1]}、存在问题及整改情况",
            role="heading",
            size=body,
            indent=0,
            kind="heading",
            before=6,
        )
    )
    if "hazards_found" in f:
        n, k = int(f["hazards_found"]), int(f["hazards_rectified"])  # type: ignore[arg-type]
        cs, uw = str(m["count_style"]), str(m["unit_word"])
        s = rng.choice(T.HAZARD_SENTENCES_ALL if k == n else T.HAZARD_SENTENCES_PARTIAL)
        s = s.replace("项", uw).replace("条", uw).replace("处", uw)
        s = s.format(n=T.fmt_count(n, cs), m=T.fmt_count(k, cs), r=T.fmt_count(n - k, cs))
        blocks.append(Para(s + ("问题清单如下：" if m["table"] else "主要问题及整改情况如下："), size=body))
        hz = m["hazards"]
        done = [True] * k + [False] * (n - k)
        rng.shuffle(done)
        if m["table"]:
            rows = [["序号", "隐患", "整改措施", "整改情况"]]
            for i, ((h, fix), ok) in enumerate(zip(hz, done, strict=False), 1):  # type: ignore[arg-type]
                rows.append(
                    [
                        str(i),
                        h,
                        fix.format(n=rng.randint(2, 20)),
                        "已整改" if ok else rng.choice(("整改中", "限期整改", "正在整改")),
                    ]
                )
            blocks.append(
                Table(
                    rows, [0.1, 0.36, 0.36, 0.18], size=body - 6, header=True, label_cols=(0, 3), min_row=1.4
                )
            )
        else:
            for i, ((h, fix), ok) in enumerate(
                list(zip(hz, done, strict=False))[: int(m.get("list_max", 5))], 1
            ):  # type: ignore[arg-type]
                tail = "，已整改完毕" if ok else "，正在整改"
                blocks.append(
                    Para(f"{i}.{h}。整改措施：{fix.format(n=rng.randint(2, 20))}{tail}。", size=body)
                )
    else:
        blocks.append(
            Para(
                "针对排查中发现的问题，我" + unit + "逐项建立了问题清单和整改台账，明确责任人和整改时限，"
                "能立即整改的立行立改，不能立即整改的制定了整改计划。",
                size=body,
            )
        )
    blocks.append(
        Para(f"{_HEAD_NUMS[sec]}、下一步工作", role="heading", size=body, indent=0, kind="heading", before=6)
    )
    blocks.append(Para(rng.choice(T.NEXT_STEPS).format(unit=unit), size=body, after=20))
    blocks.append(Para("特此报告。", size=body, after=30))
    contact_bits = []
    if "principal" in f and plan.layout != "form_header":
        contact_bits.append(
            Para(f"主要负责人：{f['principal']}", size=body, indent=2, kind="note", anchor="principal")
        )
    if plan.layout != "form_header":
        line = []
        if "contact_person" in f:
            line.append(f"联系人：{f['contact_person']}")
        if "contact_phone" in f:
            line.append(f"联系电话：{f['contact_phone']}")
        if line:
            contact_bits.append(Para("    ".join(line), size=body, indent=2, kind="note"))
    if "institution_category" in f and plan.layout != "form_header":
        contact_bits.append(
            Para(f"单位类别：{rng.choice(T.CATEGORY_ZH[cat])}", size=body, indent=2, kind="note")
        )
    if contact_bits and rng.random() < 0.5:
        blocks.extend(contact_bits)
        contact_bits = []
    blocks.append(Spacer(70))
    pad = rng.uniform(1.0, 3.0)
    foot = printed_name
    if foot:
        blocks.append(
            Para(
                foot,
                size=body,
                align="right",
                indent=0,
                right_pad=pad,
                kind="signature",
                anchor="signature_name",
            )
        )
    if "report_date" in f:
        blocks.append(
            Para(
                T.fmt_date(dt.date.fromisoformat(str(f["report_date"])), str(m["date_style"])),
                size=body,
                align="right",
                indent=0,
                right_pad=pad + 0.5,
                kind="signature",
                anchor="signature",
            )
        )
    else:
        blocks.append(
            Para(
                "年    月    日",
                size=body,
                align="right",
                indent=0,
                right_pad=pad + 0.5,
                kind="signature",
                anchor="signature",
            )
        )
    if contact_bits:
        blocks.append(Spacer(40))
        blocks.extend(contact_bits)
    return blocks


# ---------------------------------------------------------------- not submissions


def plan_unknown(
    rng: random.Random,
    inst: T.Institution,
    roster: tuple[T.Institution, ...],
    kind: str | None = None,
    *,
    digital: bool = False,
) -> DocPlan:
    """Something that is not a submission: a forwarded notice, a licence, a sign-in sheet, a blank page, a "
    "photo."""
    kind = kind or rng.choices(("notice", "license", "signin", "blank", "photo"), weights=(3, 3, 2, 1, 2))[0]
    seals: list[SealPlan] = []
    meta: dict[str, object] = {
        "fonts": _fonts(rng, digital),
        "geometry": _geometry(rng),
        "digital": digital,
        "date_style": rng.choice(("arabic", "cn")),
    }
    if kind == "notice":
        bureau = f"{inst.city}市人力资源和社会保障局"
        meta["bureau"] = bureau
        meta["fileno"] = f"{T.CITIES[inst.city].abbr}人社函〔2024〕{rng.randint(12, 40)}号"
        meta["date"] = dt.date(2024, 2, rng.randint(5, 9))
        seals.append(_round_seal(rng, bureau, where="signature", stage="original"))
    elif kind == "license":
        bureau = inst.sponsor if "人力资源" in inst.sponsor else f"{inst.city}市人力资源和社会保障局"
        meta["bureau"] = bureau
        meta["date"] = T.rand_date(rng, dt.date(2019, 1, 1), dt.date(2023, 6, 30))
        meta["no"] = f"人社民{rng.randint(140100, 141199)}{rng.randint(100000, 999999)}号"
        meta["legal"] = T.person(rng)
        meta["address"] = T.address(rng, inst.city)
        seals.append(_round_seal(rng, bureau, where="signature", stage="original"))
    elif kind == "signin":
        meta["date"] = dt.date(2024, 2, rng.randint(8, 20))
        meta["people"] = [(T.person(rng), r) for r in rng.sample(T.SIGNIN_ROLES, rng.randint(6, 9))]
    return DocPlan(UNKNOWN, inst, kind, {}, seals, meta)


def _unknown_body(plan: DocPlan, rng: random.Random) -> list:
    m = plan.meta
    inst = plan.institution
    ds = str(m["date_style"])
    blocks: list = []
    if plan.layout == "notice":
        bureau = str(m["bureau"])
        blocks.append(
            Para(
                bureau,
                role="redhead",
                size=72 if len(bureau) < 13 else 64,
                align="center",
                indent=0,
                color=RED,
                kind="redhead",
                after=20,
            )
        )
        blocks.append(Para(str(m["fileno"]), size=40, align="center", indent=0, kind="docno"))
        blocks.append(Rule(color=RED, width=5, before=16, after=50))
        blocks.append(
            Para(
                T.NOTICE_TITLE.replace("阳泉市", f"{inst.city}市"),
                role="title",
                size=56,
                align="center",
                indent=0,
                kind="title",
                after=30,
                spacing=1.45,
            )
        )
        blocks.append(Para(T.NOTICE_ADDRESSEE.replace("阳泉高级技工学校", inst.name), size=42, indent=0))
        blocks.append(Para(T.NOTICE_TEXT, size=42, after=20))
        blocks.append(Para("附件：全省技工院校和职业培训评价机构安全生产整治行动方案", size=42, after=60))
        blocks.append(Para(bureau, size=42, align="right", indent=0, right_pad=2, anchor="signature_name"))
        blocks.append(
            Para(
                T.fmt_date(m["date"], ds),
                size=42,
                align="right",
                indent=0,
                right_pad=2.5,  # type: ignore[arg-type]
                anchor="signature",
            )
        )
        blocks.append(Para("（此件依申请公开）", size=38, indent=2, before=30))
        if rng.random() < 0.6:
            blocks.append(PageBreak())
            blocks.append(Para("附件", role="heading", size=42, indent=0))
            blocks.append(
                Para(
                    "全省技工院校和职业培训评价机构安全生产整治行动方案",
                    role="title",
                    size=56,
                    align="center",
                    indent=0,
                    after=30,
                )
            )
            for i, t in enumerate(T.NOTICE_PLAN):
                blocks.append(Para(t, role="heading" if i % 2 == 0 else "body", size=42, indent=2))
    elif plan.layout == "license":
        blocks.append(Spacer(60))
        blocks.append(Para("中华人民共和国", role="title", size=64, align="center", indent=0, after=10))
        blocks.append(Para("民办学校办学许可证", role="title", size=96, align="center", indent=0, after=40))
        blocks.append(Para(f"（副本）    编号：{m['no']}", size=38, align="center", indent=0, after=60))
        for label, val in (
            ("学校名称", inst.name),
            ("学校地址", m["address"]),
            ("法定代表人", m["legal"]),
            ("学校类型", "职业技能培训" if inst.category != "technical_school" else "技工学校"),
            ("办学内容", "电工、焊工、育婴员、养老护理员、中式烹调师等职业技能培训"),
            ("有效期", f"{m['date'].year}年{m['date'].month}月至{m['date'].year + 5}年{m['date'].month}月"),
        ):  # type: ignore[union-attr]
            blocks.append(Para(f"{label}：{val}", size=44, indent=0, after=16))
        blocks.append(Spacer(120))
        blocks.append(
            Para(
                f"发证机关：{m['bureau']}",
                size=42,
                align="right",
                indent=0,
                right_pad=1,
                anchor="signature_name",
            )
        )
        blocks.append(
            Para(
                T.fmt_date(m["date"], ds),
                size=42,
                align="right",
                indent=0,
                right_pad=2,  # type: ignore[arg-type]
                anchor="signature",
            )
        )
    elif plan.layout == "signin":
        blocks.append(
            Para(
                f"{inst.name}安全生产整治工作专题会议签到表",
                role="title",
                size=56,
                align="center",
                indent=0,
                after=30,
                spacing=1.5,
            )
        )
        blocks.append(
            Para(
                f"时间：{T.fmt_date(m['date'], 'arabic')}    地点：行政楼三楼会议室",
                size=40,
                indent=0,  # type: ignore[arg-type]
                after=20,
            )
        )
        rows = [["序号", "姓名", "职务", "签到"]]
        for i, (p, r) in enumerate(m["people"], 1):  # type: ignore[arg-type]
            rows.append([str(i), p, r, ""])
        blocks.append(
            Table(rows, [0.12, 0.28, 0.35, 0.25], size=40, header=True, label_cols=(0, 1, 2, 3), min_row=2.4)
        )
    return blocks


def build_blocks(plan: DocPlan, rng: random.Random) -> list:
    """Turn a plan into layout blocks (same wording for raster, PDF text and DOCX)."""
    if plan.doc_type == CERT:
        return _cert_body(plan, rng)
    if plan.doc_type == REPORT:
        return _report_body(plan, rng)
    return _unknown_body(plan, rng)
