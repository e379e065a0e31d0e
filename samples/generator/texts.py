"""Vocabulary and wording of the generated documents.

Everything here is fictitious but shaped like the real thing: Shanxi cities, the 举办单位 that
sponsor technical schools and training/evaluation institutions, the housing-and-construction
bureaus (and, before 2019, the 公安消防支队) that issue fire-acceptance opinions, and the way
self-inspection reports word the six focus areas of 晋人社厅发〔2024〕9号.

Helpers turn numbers and dates into the spellings seen on paper (二〇二三年十二月十五日, 十二条,
阳住建消验字〔2023〕第015号) while the truth keeps the canonical value.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

# ---------------------------------------------------------------- places


@dataclass(frozen=True)
class City:
    """A prefecture-level city of Shanxi with what its documents need."""

    name: str  # 阳泉
    abbr: str  # 阳 (as in 阳住建消验字)
    area_code: str  # 0353
    districts: tuple[str, ...]
    roads: tuple[str, ...]


CITIES: dict[str, City] = {
    c.name: c
    for c in (
        City(
            "太原",
            "并",
            "0351",
            ("小店区", "迎泽区", "杏花岭区", "尖草坪区", "万柏林区", "晋源区"),
            ("长风街", "学府街", "迎泽大街", "南内环街", "并州北路", "滨河东路", "龙城大街", "胜利街"),
        ),
        City(
            "大同",
            "同",
            "0352",
            ("平城区", "云冈区", "新荣区"),
            ("御河西路", "魏都大道", "文兴路", "迎宾街", "同泉路"),
        ),
        City(
            "阳泉",
            "阳",
            "0353",
            ("城区", "矿区", "郊区"),
            ("德胜东街", "桃河北路", "南大街", "义白路", "北大街", "泉中路"),
        ),
        City(
            "晋中", "晋中", "0354", ("榆次区", "太谷区"), ("顺城街", "迎宾西街", "汇通路", "安宁街", "蕴华街")
        ),
        City(
            "长治",
            "长",
            "0355",
            ("潞州区", "上党区", "屯留区"),
            ("英雄中路", "太行西街", "紫金西街", "府后西街", "长兴路"),
        ),
        City(
            "晋城",
            "晋市",
            "0356",
            ("城区", "泽州县"),
            ("凤台东街", "泽州路", "书院街", "红星东街", "中原西街"),
        ),
        City("临汾", "临", "0357", ("尧都区", "侯马市"), ("鼓楼南大街", "平阳南街", "滨河西路", "五一东路")),
        City(
            "吕梁", "吕", "0358", ("离石区", "孝义市"), ("永宁中路", "滨河北西路", "龙凤南大街", "北川河西路")
        ),
        City(
            "运城",
            "运",
            "0359",
            ("盐湖区", "河津市"),
            ("河东东街", "解放北路", "中银大道", "学苑路", "禹都大道"),
        ),
        City("朔州", "朔", "0349", ("朔城区", "怀仁市"), ("开发南路", "民福东街", "张辽北路", "文远路")),
        City("忻州", "忻", "0350", ("忻府区", "原平市"), ("和平东街", "七一北路", "长征西街", "建设北路")),
    )
}


@dataclass(frozen=True)
class Institution:
    """One roster row: who submits, in which category, and who sponsors it (举办单位)."""

    name: str
    category: str  # technical_school | training_institution | evaluation_institution
    city: str
    sponsor: str


def _hrss(city: str) -> str:
    return f"{city}市人力资源和社会保障局"


BASE_ROSTER: tuple[Institution, ...] = (
    Institution("阳泉高级技工学校", "technical_school", "阳泉", _hrss("阳泉")),
    Institution("太原市高级技工学校", "technical_school", "太原", _hrss("太原")),
    Institution("太原市机电技工学校", "technical_school", "太原", "太原市教育局"),
    Institution("大同技师学院", "technical_school", "大同", _hrss("大同")),
    Institution("长治技师学院", "technical_school", "长治", _hrss("长治")),
    Institution("晋城技师学院", "technical_school", "晋城", _hrss("晋城")),
    Institution("山西焦煤技师学院", "technical_school", "太原", "山西焦煤集团有限责任公司"),
    Institution("晋能控股技师学院", "technical_school", "大同", "晋能控股集团有限公司"),
    Institution("潞安技师学院", "technical_school", "长治", "潞安化工集团有限公司"),
    Institution("山西建筑工程技师学院", "technical_school", "太原", "山西建设投资集团有限公司"),
    Institution("阳泉市华阳技工学校", "technical_school", "阳泉", "华阳新材料科技集团有限公司"),
    Institution("晋中市高级技工学校", "technical_school", "晋中", _hrss("晋中")),
    Institution("运城市技工学校", "technical_school", "运城", _hrss("运城")),
    Institution("忻州市交通技工学校", "technical_school", "忻州", "山西交通控股集团有限公司"),
    Institution("临汾华晋技工学校", "technical_school", "临汾", "山西华晋教育科技有限公司"),
    Institution("朔州市高级技工学校", "technical_school", "朔州", _hrss("朔州")),
    Institution("吕梁市技工学校", "technical_school", "吕梁", _hrss("吕梁")),
    Institution("长治市职业技能培训中心", "training_institution", "长治", _hrss("长治")),
    Institution(
        "阳泉市城区职业技能培训学校", "training_institution", "阳泉", "阳泉市城区人力资源和社会保障局"
    ),
    Institution("太原市万柏林区兴晋职业培训学校", "training_institution", "太原", "山西兴晋教育咨询有限公司"),
    Institution("大同市平城区阳光职业培训学校", "training_institution", "大同", "大同阳光教育科技有限公司"),
    Institution("晋中市榆次区安泰职业培训学校", "training_institution", "晋中", "山西安泰集团有限责任公司"),
    Institution("运城市盐湖区家政服务职业培训学校", "training_institution", "运城", "运城市盐湖区妇女联合会"),
    Institution("朔州市职业技能公共实训基地", "training_institution", "朔州", _hrss("朔州")),
    Institution(
        "忻州市忻府区振兴职业培训学校", "training_institution", "忻州", "忻州振兴人力资源开发有限公司"
    ),
    Institution("山西省职业技能鉴定指导中心", "evaluation_institution", "太原", "山西省人力资源和社会保障厅"),
    Institution("阳泉市职业技能鉴定中心", "evaluation_institution", "阳泉", _hrss("阳泉")),
    Institution("晋城市技能人才评价中心", "evaluation_institution", "晋城", _hrss("晋城")),
    Institution(
        "华阳新材料科技集团职业技能等级认定中心",
        "evaluation_institution",
        "阳泉",
        "华阳新材料科技集团有限公司",
    ),
    Institution("吕梁市职业技能鉴定所", "evaluation_institution", "吕梁", _hrss("吕梁")),
    Institution("临汾市职业技能鉴定站", "evaluation_institution", "临汾", _hrss("临汾")),
)

_TRAINING_BRANDS = (
    "启航",
    "众诚",
    "鑫源",
    "育才",
    "恒达",
    "博远",
    "金桥",
    "弘毅",
    "华安",
    "新时代",
    "德馨",
    "通达",
    "明德",
    "立信",
    "宏图",
    "安康",
    "瑞丰",
    "精工",
    "泰和",
    "华夏",
)
_TRAINING_KINDS = ("职业培训学校", "职业技能培训学校", "技能培训中心", "职业培训学校")
_COMPANY_TAIL = ("教育科技有限公司", "企业管理咨询有限公司", "人力资源服务有限公司", "教育咨询有限公司")


def synth_institution(rng: random.Random, taken: set[str]) -> Institution:
    """A made-up private training institution (for corpora larger than the base roster)."""
    for _ in range(200):
        city = rng.choice(list(CITIES.values()))
        brand = rng.choice(_TRAINING_BRANDS)
        name = f"{city.name}市{rng.choice(city.districts)}{brand}{rng.choice(_TRAINING_KINDS)}"
        if name not in taken:
            sponsor = f"山西{brand}{rng.choice(_COMPANY_TAIL)}"
            return Institution(name, "training_institution", city.name, sponsor)
    raise RuntimeError("ran out of synthetic institution names")


CATEGORY_ZH = {
    "technical_school": ("技工院校", "技工学校"),
    "training_institution": ("职业培训机构",),
    "evaluation_institution": ("评价机构", "职业技能评价机构"),
}

# ---------------------------------------------------------------- authorities and numbers


def issuing_authority(rng: random.Random, city: str, year: int) -> str:
    """The body that issues the fire-acceptance opinion in that year (住建 since mid-2019)."""
    if year >= 2020 or (year == 2019 and rng.random() < 0.5):
        if rng.random() < 0.8:
            return f"{city}市住房和城乡建设局"
        return f"{city}市{rng.choice(CITIES[city].districts)}住房和城乡建设局"
    if rng.random() < 0.5:
        return f"山西省{city}市公安消防支队"
    return f"{city}市公安消防支队"


def document_number(rng: random.Random, city: str, year: int, police: bool) -> tuple[str, str]:
    """Return (printed 文号, canonical 文号 with 〔〕 brackets and ASCII digits)."""
    abbr = CITIES[city].abbr
    prefix = f"{abbr}公消验" if police else f"{abbr}住建消验"
    if rng.random() < 0.6:
        prefix += "字"
    n = rng.randint(1, 180 if not police else 420)
    num = rng.choice((f"第{n:03d}号", f"{n}号", f"第{n:04d}号" if police else f"第{n}号"))
    brackets = rng.choices(("〔〕", "[]", "【】", "（）"), weights=(6, 2, 1, 1))[0]
    printed = f"{prefix}{brackets[0]}{year}{brackets[1]}{num}"
    canonical = f"{prefix}〔{year}〕{num}"
    return printed, canonical


def other_org_seal(
    rng: random.Random, inst: Institution, roster: tuple[Institution, ...]
) -> tuple[str, str | None]:
    """An organisation seal of some other body, as found on submissions by mistake: (ring text, sub text)."""
    kind = rng.choice(("union", "finance", "other_school", "party"))
    if kind == "union":
        return f"{inst.name}工会委员会", None
    if kind == "finance":
        return inst.name, "财务专用章"
    if kind == "party":
        return f"{inst.name}安全生产委员会办公室", None
    others = [i.name for i in roster if i.name != inst.name and i.sponsor != inst.name]
    return rng.choice(others), None


SPECIAL_PURPOSE = ("财务专用章", "合同专用章", "发票专用章")

# ---------------------------------------------------------------- people and phones

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓"
    "许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊"
    "金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "建国",
    "建军",
    "志强",
    "晓东",
    "海峰",
    "丽",
    "敏",
    "静",
    "伟",
    "芳",
    "娜",
    "秀英",
    "军",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂英",
    "玉兰",
    "文博",
    "晋生",
    "向阳",
    "红梅",
    "卫东",
    "瑞峰",
    "鹏飞",
    "慧敏",
    "晓燕",
    "国栋",
    "宏伟",
    "雅婷",
    "志刚",
    "俊杰",
    "凯",
    "蕾",
    "宁",
    "婷",
    "永红",
    "海燕",
    "立新",
)


def person(rng: random.Random) -> str:
    """A Chinese personal name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def phone(rng: random.Random, city: str) -> str:
    """A landline with the city's area code, or a mobile number."""
    if rng.random() < 0.5:
        return f"{CITIES[city].area_code}-{rng.randint(2, 8)}{rng.randint(100000, 999999)}"
    prefix = rng.choice(("39", "35", "38", "52", "58", "83", "87", "99", "33", "80"))
    return f"1{prefix}{rng.randint(10000000, 99999999)}"


# ---------------------------------------------------------------- numbers and dates

_CN_DIGITS = "〇一二三四五六七八九"


def cn_int(n: int) -> str:
    """12 -> 十二, 105 -> 一百零五 (counts as written in prose)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return "零一二三四五六七八九"[n]
    if n < 20:
        return "十" + ("" if n == 10 else _CN_DIGITS[n - 10])
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + ("" if n % 10 == 0 else _CN_DIGITS[n % 10])
    h, r = divmod(n, 100)
    if r == 0:
        return _CN_DIGITS[h] + "百"
    if r < 10:
        return _CN_DIGITS[h] + "百零" + _CN_DIGITS[r]
    return _CN_DIGITS[h] + "百" + (cn_int(r) if r >= 20 else "一" + cn_int(r))


def cn_date(d: dt.date) -> str:
    """二〇二三年十二月十五日."""
    year = "".join(_CN_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{cn_int(d.month)}月{cn_int(d.day)}日"


def fmt_date(d: dt.date, style: str) -> str:
    """A date as printed: arabic (2023年12月5日), padded (2023年12月05日) or cn (二〇二三年十二月五日)."""
    if style == "cn":
        return cn_date(d)
    if style == "pad":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    return f"{d.year}年{d.month}月{d.day}日"


def fmt_count(n: int, style: str) -> str:
    """A count as printed: 12 or 十二."""
    return cn_int(n) if style == "cn" else str(n)


def fmt_area(value: float, rng: random.Random) -> str:
    """A building area as printed (平方米, ㎡ or m²)."""
    unit = rng.choice(("平方米", "㎡", "m²", "平方米"))
    # Either always two decimals, or trailing zeros dropped (8460.50 -> 8460.5); never fewer
    # digits than the value has (f"{v:g}" kept six significant digits: 20398.68 -> 20398.7).
    return f"{value:.2f}{unit}" if rng.random() < 0.8 else f"{value:.2f}".rstrip("0").rstrip(".") + unit


def rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A uniformly drawn date in [start, end]."""
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


# ---------------------------------------------------------------- certificates

BUILDINGS = (
    "实训楼",
    "综合教学楼",
    "学生公寓楼",
    "实训车间及附属用房",
    "图书信息中心",
    "学生食堂",
    "综合楼",
    "培训楼",
    "技能鉴定考核楼",
    "学生宿舍楼",
    "体育馆",
    "办公楼",
    "实训基地一期",
    "教学楼改造",
)
PROJECT_SUFFIX = ("工程", "新建工程", "建设项目", "改造工程", "项目")
USES = ("教学实训", "学生宿舍", "教学办公", "餐饮", "培训考核", "体育活动")
STRUCTURES = ("框架结构", "框架剪力墙结构", "砖混结构", "钢结构")
CERT_TITLES = ("建设工程消防验收意见书", "特殊建设工程消防验收意见书", "建设工程消防验收意见书")
POLICE_TITLE = "建设工程消防验收意见书"

FAIL_ISSUES = (
    "室内消火栓系统静压不满足规范要求",
    "部分疏散走道未设置疏散指示标志",
    "消防控制室未设置可直接报警的外线电话",
    "防火门闭门器缺失，不能自行关闭",
    "自动喷水灭火系统末端试水装置压力不足",
    "疏散楼梯间内设置有可燃物储藏间",
    "火灾自动报警系统部分探测器未安装",
    "应急照明照度不满足规范要求",
)


def address(rng: random.Random, city: str) -> str:
    """A street address in the city."""
    c = CITIES[city]
    return f"{city}市{rng.choice(c.districts)}{rng.choice(c.roads)}{rng.randint(1, 399)}号"


def project_name(rng: random.Random, inst: str) -> str:
    """A building project of the institution (…实训楼新建工程)."""
    return f"{inst}{rng.choice(BUILDINGS)}{rng.choice(PROJECT_SUFFIX)}"


# ---------------------------------------------------------------- self-inspection reports

AREA_HEADINGS: dict[str, tuple[str, ...]] = {
    "ideology": (
        "意识形态方面",
        "意识形态工作",
        "意识形态安全",
        "意识形态领域",
        "意识形态工作责任制落实情况",
    ),
    "school_conditions": (
        "办学条件达标方面",
        "办学条件",
        "办学条件达标情况",
        "设置标准达标情况",
        "办学（培训）条件达标方面",
    ),
    "campus_safety": (
        "校园安全方面",
        "校园消防安全",
        "校园安全（消防、用电、疏散通道）",
        "消防及用电安全",
        "场所安全方面",
    ),
    "internship_training": (
        "实习实训方面",
        "学生实习管理",
        "实习实训安全",
        "实操场所及实训安全",
        "实习实训管理情况",
    ),
    "food_hygiene": (
        "食品卫生安全方面",
        "食品安全",
        "食堂及饮用水卫生",
        "食品卫生和疫情防控",
        "食品卫生安全",
    ),
    "other": (
        "其他方面",
        "其他安全工作",
        "心理健康及周边环境",
        "其他（心理健康、校园贷、周边环境）",
        "其他安全隐患排查",
    ),
}

AREA_BODY: dict[str, tuple[str, ...]] = {
    "ideology": (
        "{org}严格落实党组织领导下的{head}负责制，意识形态工作责任制层层落实到位。",
        "教学培训全部使用国家规范教材，未发现使用非法出版物情况。",
        "定期对师生思想动态开展舆情分析研判，对倾向性、苗头性问题及时商议对策，维护意识形态安全。",
        "建立了课堂、讲座、论坛、网站、微信公众号等阵地管理台账，做到专人负责、逐级审核。",
    ),
    "school_conditions": (
        "对照{cat}设置标准逐项自查，教学场地、师资、设施设备均达到设置标准要求。",
        "各项业务正常开展，机构运转正常，办学许可证在有效期内。",
        "对个别实训工位不足的情况制定了整改措施，已于本学期新增工位{n}个。",
        "教学、住宿场地与申报情况一致，未发现擅自变更办学地址情况。",
    ),
    "campus_safety": (
        "全面排查了教学楼、实训楼、宿舍、食堂等重点部位，消防安全管理制度、责任制度落实到位。",
        "安全出口、疏散通道、消防车道保持畅通，应急照明、疏散标志、灭火器、消火栓等设施完好有效。",
        "对用火用电用气情况开展专项检查，清理私拉乱接电线{n}处，更换老化线路{m}米。",
        "校舍、围墙、运动场等区域未发现危房，消防设施设备定期检查并建立了台账。",
    ),
    "internship_training": (
        "严格执行《职业学校学生实习管理规定》，坚持“无协议不实习”，守牢1个“严禁”、27个“不得”底线红线。",
        "设立了实习工作机构，明确了各部门管理职责，实习学生全部签订三方协议并购买实习责任保险。",
        "实操场所符合规定，实训设备安全防护装置齐全，实操前进行安全教育并规范操作。",
    ),
    "food_hygiene": (
        "建立健全了食品安全卫生管理制度，食堂从业人员持健康证上岗。",
        "日常饮用水、餐饮设施定期检测，食堂保持清洁，通风和排烟装置运行正常。",
        "重点场所定期消毒，设有医务室和观察室，开通了师生就医绿色通道。",
    ),
    "other": (
        "制定了校园安全管理规定和突发事件应急预案，每学期组织疏散演练。",
        "设有心理健康咨询辅导室，配备专兼职心理教师{n}名，定期开展心理健康教育。",
        "未发现校园贷、诈骗、校园暴力、私藏管制刀具等案件，与驻地派出所建立了定期协调机制。",
        "联合属地部门对周边治安、道路交通和经营场所进行了排查，净化了周边环境。",
    ),
}

HAZARDS: tuple[tuple[str, str], ...] = (
    ("部分灭火器压力不足", "更换灭火器{n}具"),
    ("学生宿舍楼安全出口指示灯损坏", "更换安全出口指示灯"),
    ("实训楼配电箱未上锁、无警示标识", "加装门锁并张贴警示标识"),
    ("食堂排烟管道油污较多", "委托专业公司清洗排烟管道"),
    ("教学楼消火栓箱内水带老化", "更换消防水带{n}盘"),
    ("围墙局部破损", "修补围墙并加装防护网"),
    ("宿舍存在私拉乱接电线现象", "拆除私接电线，开展安全用电教育"),
    ("应急照明灯不亮", "更换应急照明灯{n}盏"),
    ("疏散通道堆放杂物", "清理杂物，明确专人每日巡查"),
    ("实训车间安全警示标识缺失", "补齐安全警示标识"),
    ("食堂从业人员健康证过期", "组织从业人员重新体检办证"),
    ("校园监控存在盲区", "新增监控摄像头{n}个"),
    ("锅炉房操作人员未持证上岗", "安排人员参加培训取证"),
    ("实训设备防护罩缺失", "加装防护罩"),
    ("消防控制室值班记录不全", "完善值班制度和记录"),
    ("学生心理健康档案不完整", "补建心理健康档案"),
)

HAZARD_SENTENCES_PARTIAL = (
    "共排查安全隐患{n}项，已整改{m}项，其余{r}项正在整改中。",
    "此次自查共发现各类隐患{n}处，截至目前已整改{m}处，剩余{r}处已制定整改计划、限期整改。",
    "本次排查发现问题{n}条，已整改{m}条，{r}条正在整改。",
)
HAZARD_SENTENCES_ALL = (
    "共排查安全隐患{n}项，已整改{m}项。",
    "发现问题{n}条，已全部整改完毕。",
    "此次自查共发现各类隐患{n}处，已全部立行立改，整改率100%。",
    "共排查出问题隐患{n}项，已整改{m}项，整改完成率100%。",
)

REPORT_TITLES = (
    "{org}关于安全生产整治行动自查情况的报告",
    "{org}安全生产整治自查情况报告",
    "{org}关于开展安全生产整治行动的自查报告",
    "关于{org}安全生产整治行动自查情况的报告",
)

INTRO = (
    "根据《山西省人力资源和社会保障厅关于印发全省技工院校和职业培训评价机构安全生产整治行动方案的通知》"
    "（晋人社厅发〔2024〕9号）文件要求，我{unit}高度重视，成立了以{head}为组长的安全生产整治工作领导小组，"
    "制定了安全生产整治实施方案，对照整治重点内容对本单位所有场所开展了全面排查，"
    "做到有记录、有图片、有通报、有整改，底数清、问题清、重点清、责任清。现将自查情况报告如下："
)

NEXT_STEPS = (
    "下一步，我{unit}将坚持立行立改，对尚未整改到位的问题实行挂牌督办、动态跟踪，确保按期整改到位；"
    "持续加大安全宣传教育力度，切实增强师生安全防范意识，严防安全事故发生。",
    "下一步，我{unit}将进一步压实安全责任，落实“党政同责、一岗双责、齐抓共管、失职追责”要求，"
    "健全安全隐患排查治理长效机制，全力确保教学、培训、评价工作安全稳定。",
)


def unit_word(category: str) -> str:
    """How the institution calls itself in prose (我校 / 我中心)."""
    return {"technical_school": "校", "training_institution": "校", "evaluation_institution": "中心"}[
        category
    ]


def head_word(category: str) -> str:
    """Title of the head of the institution (校长 / 主任)."""
    return {"technical_school": "校长", "training_institution": "校长", "evaluation_institution": "主任"}[
        category
    ]


# ---------------------------------------------------------------- other papers (not submissions)

NOTICE_TEXT = (
    "现将省人社厅《关于印发全省技工院校和职业培训评价机构安全生产整治行动方案的通知》（晋人社厅发〔2024〕9号）"
    "文件转发你们，请各单位认真对照通知要求，压实工作责任，全力做好安全生产整治工作。各单位安全生产整治行动落实情况，"
    "按照时间节点报市人社局。"
)
NOTICE_TITLE = (
    "阳泉市人力资源和社会保障局关于转发省人社厅《关于印发全省技工院校和职业培训评价机构"
    "安全生产整治行动方案的通知》的通知"
)
NOTICE_ADDRESSEE = "各县（区）人社局、高新区组织与人力资源部，阳泉高级技工学校，各职业培训、评价机构："
NOTICE_PLAN = (
    "一、指导思想",
    "以习近平新时代中国特色社会主义思想为指导，按照“全面排查、摸清底数、落实责任、健全机制、消除隐患”的总体要求和"
    "“谁举办、谁负责，谁审批、谁负责，谁主管、谁负责”的工作原则，对全省技工院校、职业培训、评价机构存在的各类隐患进行全面整治。",
    "二、整治范围",
    "全省技工院校、职业培训机构、评价机构。",
    "三、整治重点",
    "（一）意识形态方面。（二）办学条件达标方面。（三）校园安全方面。（四）实习实训方面。（五）食品卫生安全方面。（六）其他方面。",
)

SIGNIN_ROLES = (
    "校长",
    "副校长",
    "办公室主任",
    "保卫科科长",
    "教务科科长",
    "后勤科科长",
    "学生科科长",
    "实训中心主任",
    "财务科科长",
)
