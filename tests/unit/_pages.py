"""Hand-made PageText fixtures shaped like OCR output (boxes) and text layers (lines)."""

from __future__ import annotations

from records.models import PageText, TextLine


def ocr_page(rows: list[list[str]], *, page_no: int = 1, conf: float = 0.98, x_gap: int = 200) -> PageText:
    """Each inner list is one visual row; its items become separate OCR boxes left to right."""
    lines = []
    y = 100
    for row in rows:
        x = 100
        for cell in row:
            w = 40 * len(cell)
            lines.append(TextLine(text=cell, bbox=[x, y, x + w, y + 40], confidence=conf))
            x += w + x_gap
        y += 80
    return PageText(page_no=page_no, width=1654, height=2339, dpi=200, origin="ocr", lines=tuple(lines))


def text_page(lines: list[str], *, origin: str = "text_layer") -> PageText:
    return PageText(page_no=1, width=1654, height=2339, dpi=200, origin=origin,  # type: ignore[arg-type]
                    lines=tuple(TextLine(text=t, bbox=None) for t in lines))


LETTER_CERT = [
    ["阳泉市住房和城乡建设局"],
    ["建设工程消防验收意见书"],
    ["阳住建消验字[2023]第015号"],
    ["阳泉高级技工学校："],
    ["你单位报送的阳泉高级技工学校实训楼工程（地址：阳泉市城区德胜街36号；建筑面积：8,460.25㎡）竣工验收消防"],
    ["验收申请及相关材料收悉。经审查和现场评定，该工程消防验收合格。"],
    ["阳泉市住房和城乡建设局"],
    ["二〇二三年十二月十五日"],
]

TABLE_CERT = [
    ["建设工程消防验收意见书"],
    ["文号", "晋中住建消验字〔2023〕第8号"],
    ["建设单位", "晋中市职业技能培训中心"],
    ["工程名称", "晋中市职业技能培训中心综合楼"],
    ["工程地址", "晋中市榆次区迎宾街88号"],
    ["建筑面积", "12,000平方米"],
    ["验收结论", "不合格"],
    ["发证机关", "晋中市住房和城乡建设局"],
    ["2024年3月5日"],
]

REPORT = [
    ["大同技师学院关于安全生产整治自查情况的报告"],
    ["根据《关于印发全省技工院校和职业培训评价机构安全生产整治行动方案的通知》（晋人社厅发〔2024〕9号）要求，我校开展自查。"],
    ["一、意识形态方面"],
    ["二、办学条件达标方面"],
    ["三、校园安全方面"],
    ["四、实习实训方面"],
    ["五、食品卫生安全方面"],
    ["本次共排查隐患12项，已整改10项，其余正在整改。"],
    ["主要负责人：李明"],
    ["联系人：王芳", "联系电话：0352-6012345"],
    ["大同技师学院"],
    ["2024年2月26日"],
]
