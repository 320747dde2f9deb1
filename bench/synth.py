"""A synthetic national cascade with known truth, for benchmarks.

``python bench/synth.py --tasks N --seed S --out DIR`` writes::

    DIR/docs/…            the documents (txt in the pipe-table and paragraph styles of the seeds, some
                          docx and xlsx, a few in traditional script), one folder per province
    DIR/manifest.yaml     their metadata, with ``parents`` (format of data/manifest.yaml)
    DIR/gold.yaml         counts, units, links and local additions (format of ../shared/gold/seeds.yaml)

The ladder is shaped like the real one: 1 national plan, 31 provinces, ~333 cities, ~2,800 counties and
~23,500 bureaus at 1,000,000 tasks, every level scaled down in proportion for smaller ``N`` (never
below one document per level). Task texts come from the real plans (seeds 001–003 and the corpus' task
tables, read with our own loaders); each level restates its parent's tasks the ways real plans do:
verbatim, reworded, with deadlines or local names added, split, merged, dropped, plus local additions.
Everything is drawn from one ``random.Random(seed)`` in a fixed order: the same seed gives the same bytes.
"""
from __future__ import annotations

import argparse
import io
import math
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

YEAR = 2022
FULL_SCALE = 1_000_000
# Documents per level at FULL_SCALE; bureaus fill whatever the tasks of the levels above leave.
FULL_COUNTS = {"province": 31, "city": 333, "county": 2800}
NATIONAL_TASKS = 64  # real 要点 and 分工方案 hold 30–70 tasks
PER_SECTION = 6
BUREAU_TASKS = 36  # a bureau takes up about 60% of its county's tasks

PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市",
             "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
             "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区"]
_NAME_A = "安宝昌长常崇大德定东丰奉福阜富高广海汉合和河鹤衡洪华怀淮黄惠吉嘉建江金晋荆靖九开康兰乐临灵龙隆泸鹿罗洛茂梅蒙绵南宁平普齐祁清庆饶荣汝瑞三沙山商上韶邵绍石寿舒双顺泗松遂泰滕天通铜万威渭文武西仙襄湘新信兴宿许宣阳扬宜义益永榆玉元岳云枣湛章漳肇镇正郑中舟周株淄资遵"
_NAME_B = "安昌川春城丹德东都丰峰甫阜冈沟谷关海汉和河湖华化淮黄会吉济江津京井靖康口兰乐丽林陵隆鲁罗门明南宁平浦埔屏坪清丘泉仁容山善尚韶胜石水顺松台潭塘泰田通亭潼威渭溪仙乡祥新兴阳仪宜义邑阴荫英营雍源远云章昭镇州竹遵"

# Units of a government at each level (the short form as a plan of that level writes it).
PROVINCE_UNITS = ["省发展改革委", "省教育厅", "省工业和信息化厅", "省民政厅", "省司法厅", "省财政厅",
                  "省人力资源社会保障厅", "省自然资源厅", "省生态环境厅", "省住房城乡建设厅", "省交通运输厅",
                  "省水利厅", "省农业农村厅", "省商务厅", "省文化和旅游厅", "省卫生健康委", "省应急管理厅",
                  "省市场监管局", "省医保局", "省政务服务数据管理局", "省税务局", "省统计局", "省国资委"]
LOCAL_UNITS = ["发展改革局", "教育局", "工业和信息化局", "民政局", "司法局", "财政局", "人力资源社会保障局",
               "自然资源局", "生态环境局", "住房城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局",
               "文化广电旅游局", "卫生健康局", "应急管理局", "市场监管局", "医保局", "政务服务数据管理局",
               "统计局", "国资局", "退役军人事务局", "城市管理综合执法局"]
COLLECTIVES = {"province": ["各地级以上市人民政府", "省直各有关单位"], "city": ["各区县政府", "市直各有关单位"],
               "county": ["各乡镇", "各街道", "各有关部门"], "department": ["其他股室", "属下单位"]}
SECTIONS_OF_BUREAU = ["办公室", "计划财务股", "政策法规股", "行政审批股", "综合股", "业务股",
                      "监督检查股", "信息中心", "人事股", "安全监管股"]

SYNONYMS = [("做好", "抓好"), ("加强", "强化"), ("推进", "推动"), ("及时", "第一时间"), ("完善", "健全"),
            ("进一步", "持续"), ("公开发布", "发布"), ("开展", "组织开展"), ("提高", "提升"), ("深入", "扎实"),
            ("加大", "强化"), ("确保", "保证"), ("各地区", "各地"), ("积极", "主动"), ("规范", "规范有序")]
LOCAL_TEMPLATES = [
    "编印《{place}惠企政策汇编》,通过{place}政府网站专栏和企业服务群免费推送。",
    "在{place}政务服务大厅设立政府信息公开查阅点,配备自助查询终端{n}台。",
    "组织“{place}政府开放日”活动不少于{n}次,邀请人大代表、政协委员和市民代表走进机关。",
    "围绕{place}茶叶、柑橘等特色产业,制作图解、短视频{n}期,讲清扶持资金申领流程。",
    "每月10日前在村务公开栏张贴{place}低保、特困供养名单,接受群众监督。",
    "建成{place}侨务信息服务专栏,用中英双语发布涉侨政策{n}条以上。",
    "对{place}老旧小区改造项目逐个张贴公示牌,写明施工单位、工期和投诉电话。",
    "为{place}港区企业开通通关政策“一对一”咨询热线,值守时间延长至晚上8点。",
    "将{place}河长制巡河记录按周上墙,并在微信公众号同步推送。",
    "在{place}各中小学校门口公示校车线路、车辆和驾驶员信息。",
    "邀请律师团队每季度到{place}社区坐班{n}天,解答依申请公开疑难问题。",
    "录制{place}方言版政策宣讲音频,经乡村大喇叭每周播放不少于{n}次。",
    "对{place}景区门票、停车收费标准实行二维码扫码查询。",
    "在{place}集贸市场电子屏滚动播放食品抽检结果和不合格商户名单。",
    "为{place}外来务工人员编写《入学入户办事指南》,在车站码头免费取阅。",
    "把{place}防汛抗旱物资储备点位置、数量绘成地图,汛前挂网。",
    "依托{place}图书馆开设政府公报阅览角,配备纸质公报{n}套。",
    "组织{place}窗口工作人员开展手语和外语培训{n}场。",
    "建立{place}热线工单“回头看”抽查机制,每月随机回访{n}名来电群众。",
    "在{place}农村集体“三资”平台逐笔公示村级财务收支凭证照片。",
    "面向{place}退休老人举办智能手机查政策培训班{n}期。",
    "对{place}重点工程拆迁补偿标准逐户张榜,张榜期不少于{n}天。",
    "设立{place}企业家接待日,每月第一个周三由分管领导现场答复诉求。",
    "给{place}各村(社区)配发政务公开工作手册,{n}月底前发放到位。",
]
DEADLINES = ["({y}年{m}月底前完成)", "(时间:{y}年{m}月{d}日前)", "({y}年{m}月底前)", "(长期坚持)",
             "(每季度更新)", "于{y}年{m}月底前完成。", "(持续推进)"]


@dataclass
class Task:
    text: str
    units: list[tuple[str, str]]            # (short name, role) in the order written
    upper: list[str] = field(default_factory=list)   # number(s) of the parent task(s) it derives from
    template: int | None = None                      # index of a local template
    number: str = ""                                 # as printed in its own document


@dataclass
class Section:
    number: str
    title: str
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Part:
    number: str
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Doc:
    id: str
    level: str
    region: str
    place: str                       # short name used in texts (江阳市, 平安县)
    issuer: str
    title: str
    doc_no: str
    parent: "Doc | None"
    folder: str
    parts: list[Part] = field(default_factory=list)
    fmt: str = "pipe"
    traditional: bool = False
    numbers: dict = field(default_factory=dict)   # task number -> Task, after numbering

    @property
    def file(self) -> str:
        ext = {"docx": ".docx", "xlsx": ".xlsx"}.get(self.fmt, ".txt")
        return f"docs/{self.folder}/{self.id}{ext}"


# --------------------------------------------------------------------------------------------------
# Templates from the real plans

CN_NUM = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (enough for section numbers).

    >>> [cn(i) for i in (1, 10, 12, 25)]
    ['一', '十', '十二', '二十五']
    """
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUM[tens - 1]) + "十" + (CN_NUM[ones - 1] if ones else "")


def _grams(s: str) -> Counter:
    s = re.sub(r"[\s\d,.;:!?()\[\]、。,;:“”\"'《》〔〕|/—\-()]+", "", s)
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


def _cos(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _clean(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    text = text.replace("|", "").replace("�", "")
    return text.rstrip(",,;;、")


def read_templates(shared: Path) -> list[Part]:
    """The national plan's skeleton (parts, sections, task texts) from the real plans.

    Parts and sections are the State Council's 2021 要点 (seed 003); its obligation sentences and the
    tasks of the seed and corpus task tables join the section they resemble most, near-duplicates
    left out.
    """
    from loaders import load_file

    def load(path: Path, meta: dict):
        try:
            return load_file(path, meta)
        except Exception:  # a template source that fails to load only shrinks the pool
            return None

    seeds, corpus = shared / "seeds", shared / "corpus"
    nat = load(seeds / "003_faeede1183fd7fea.txt", {"level": "national", "region": "全国", "year": 2021})
    if nat is None:
        raise SystemExit(f"{seeds / '003_faeede1183fd7fea.txt'}: cannot read the template plan")
    parts: list[Part] = []
    secs: dict[tuple, Section] = {}
    for s in nat.sections:
        if s.scope != "plan":
            continue
        if s.depth == 1:
            parts.append(Part(s.number.strip("()（）"), _clean(s.title)))
        elif s.depth == 2 and parts and s.path[0] == parts[-1].number:
            sec = Section(s.number.strip("()（）"), _clean(s.title))
            parts[-1].sections.append(sec)
            secs[s.path] = sec
    chosen: list[tuple[Counter, Section]] = []

    def take(text: str, sec: Section | None) -> bool:
        text = _clean(text)
        if len(text) < 14 or len(text) > 160:
            return False
        g = _grams(text)
        if len(chosen) >= NATIONAL_TASKS or any(_cos(g, h) > 0.45 for h, _ in chosen):
            return False
        if sec is None:  # the section whose tasks it resembles most, among those not yet full
            open_secs = [s for s in secs.values() if len(s.tasks) < PER_SECTION]
            if not open_secs:
                return False
            sec = max(open_secs, key=lambda s: _cos(g, _grams(s.title + "".join(t.text for t in s.tasks))))
        elif len(sec.tasks) >= PER_SECTION:
            return False
        sec.tasks.append(Task(text, []))
        chosen.append((g, sec))
        return True

    for t in nat.tasks:
        if t.section in secs:
            take(t.text_norm, secs[t.section])
    others = [(seeds / "002_cf2d3c68f4e2a2f4.txt", {"level": "county", "region": "广州市黄埔区", "year": 2022}),
              (seeds / "001_04c5faad0ae32447.txt", {"level": "department", "region": "江门市台山市", "year": 2021}),
              (corpus / "2021_guangzhou_water_bureau.txt", {"level": "department", "region": "广州市", "year": 2021}),
              (corpus / "2022_guangzhou_city.txt", {"level": "city", "region": "广州市", "year": 2022}),
              (corpus / "2022_hubei_province.txt", {"level": "province", "region": "湖北省", "year": 2022}),
              (corpus / "2021_fujian_nanping_city_ledger.txt", {"level": "city", "region": "福建省南平市", "year": 2021})]
    for path, meta in others:
        rec = load(path, meta)
        if rec is None:
            continue
        for t in rec.tasks:
            if t.section and t.section[0] == "通知":
                continue
            take(t.text_norm, None)
    for part in parts:
        part.sections = [s for s in part.sections if s.tasks]
    parts = [p for p in parts if p.sections]
    return parts


# --------------------------------------------------------------------------------------------------
# The ladder

def plan_counts(n_tasks: int, national_tasks: int) -> dict[str, int]:
    """Documents per level for about ``n_tasks`` tasks in all.

    >>> plan_counts(1_000_000, 62)["county"], plan_counts(1_000, 62)["province"]
    (2800, 1)
    """
    r = n_tasks / FULL_SCALE
    p = min(31, max(1, round(FULL_COUNTS["province"] * r)))
    c = max(p, round(FULL_COUNTS["city"] * r))
    k = max(c, round(FULL_COUNTS["county"] * r))
    upper = national_tasks * (1 + p + c + k)   # restated plans keep about as many tasks as their parent
    b = max(k, round((n_tasks - upper) / BUREAU_TASKS))
    return {"national": 1, "province": p, "city": c, "county": k, "department": b}


class _Names:
    """Unique two-character place names, drawn from the seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self, suffix: str) -> str:
        for _ in range(10_000):
            name = self.rng.choice(_NAME_A) + self.rng.choice(_NAME_B)
            if name[0] != name[1] and name + suffix not in self.used:
                self.used.add(name + suffix)
                return name + suffix
        i = len(self.used)
        self.used.add(f"第{i}{suffix}")
        return f"第{i}{suffix}"


def _spread(children: int, parents: int, rng: random.Random) -> list[int]:
    """How many children each parent gets: every parent at least one, the rest at random."""
    counts = [1] * parents if children >= parents else [0] * parents
    for _ in range(children - sum(counts)):
        counts[rng.randrange(parents)] += 1
    return counts


def _governments(parents: list[Doc], total: int, level: str, tag: str, width: int, kind, doc_no,
                 names: "_Names", rng: random.Random) -> list[Doc]:
    """The city or county governments under ``parents``, ``total`` in all, spread unevenly."""
    out: list[Doc] = []
    for parent, n in zip(parents, _spread(total, len(parents), rng)):
        for _ in range(n):
            i = len(out) + 1
            place = names.new(kind())
            out.append(Doc(f"{YEAR}-{tag}{i:0{width}d}", level, parent.region + place, place, f"{place}人民政府办公室",
                           f"{place}{YEAR}年政务公开工作要点分工方案", doc_no(place, i), parent,
                           f"{parent.folder}/{tag}{i:0{width}d}"))
    return out


def make_ladder(n_tasks: int, national_tasks: int, rng: random.Random) -> list[Doc]:
    counts = plan_counts(n_tasks, national_tasks)
    names = _Names(rng)
    national = Doc(f"{YEAR}-national", "national", "全国", "全国", "国务院办公厅", f"{YEAR}年政务公开工作要点",
                   f"国办发〔{YEAR}〕8号", None, "national")
    docs = [national]
    provinces = []
    for i in range(counts["province"]):
        name = PROVINCES[i]
        short = re.sub(r"(壮族|回族|维吾尔)?(自治区|省|市)$", "", name)
        d = Doc(f"{YEAR}-p{i + 1:02d}", "province", name, name, f"{name}人民政府办公厅",
                f"{name}贯彻落实国务院办公厅{YEAR}年政务公开工作要点分工方案",
                f"{short[:1]}府办〔{YEAR}〕{17 + i}号", national, f"p{i + 1:02d}")
        provinces.append(d)
    cities = _governments(provinces, counts["city"], "city", "c", 4, lambda: "市",
                          lambda place, i: f"{place[:2]}府办函〔{YEAR}〕{40 + i}号", names, rng)
    counties = _governments(cities, counts["county"], "county", "k", 5, lambda: rng.choice("县区"),
                            lambda place, i: f"{place[:2]}府办〔{YEAR}〕{i}号", names, rng)
    bureaus = []
    for k, n in zip(counties, _spread(counts["department"], len(counties), rng)):
        for j, bureau in enumerate(rng.sample(LOCAL_UNITS, min(n, len(LOCAL_UNITS)))):
            issuer = k.place + bureau
            d = Doc(f"{k.id}-b{j + 1:02d}", "department", k.region, k.place, issuer,
                    f"{issuer}{YEAR}年政务公开工作任务分工", f"{k.place[:2]}{bureau[:2]}〔{YEAR}〕{j + 1}号", k,
                    k.folder)
            bureaus.append(d)
    docs += provinces + cities + counties + bureaus
    for d in docs:
        roll = rng.random()
        d.fmt = "docx" if roll < 0.015 else "xlsx" if roll < 0.03 else "pipe" if roll < 0.6 else "para"
        d.traditional = d.fmt in ("pipe", "para") and rng.random() < 0.05
    return docs


# --------------------------------------------------------------------------------------------------
# Restating a parent's plan

def _reword(text: str, rng: random.Random) -> str:
    pairs = [p for p in SYNONYMS if p[0] in text and p[1] not in text]
    rng.shuffle(pairs)
    for a, b in pairs[:3]:
        text = text.replace(a, b, 1)
    return text


_HAS_DEADLINE = re.compile(r"(前|完成|坚持|更新|推进)\)?。?$")


def _deadline(rng: random.Random) -> str:
    return rng.choice(DEADLINES).format(y=YEAR, m=rng.randint(3, 12), d=rng.choice((10, 15, 20, 30)))


def _strip_end(text: str) -> str:
    return text.rstrip("。.;;,,、")


def _split(text: str) -> list[str] | None:
    clauses = [c for c in re.split(r"(?<=[,;。,;])", text) if c]
    if len(clauses) < 2 or len(text) < 36:
        return None
    half = len(text) / 2
    cut = min(range(1, len(clauses)), key=lambda i: abs(len("".join(clauses[:i])) - half))
    a, b = "".join(clauses[:cut]), "".join(clauses[cut:])
    if len(a) < 12 or len(b) < 12:
        return None
    return [_strip_end(a) + "。", b]


def _units_for(doc: Doc, rng: random.Random) -> list[tuple[str, str]]:
    if doc.level == "national":
        return []
    if doc.level == "department":
        lead = rng.choice(SECTIONS_OF_BUREAU)
        out = [(lead, "lead")]
        if rng.random() < 0.6:
            out += [(c, "cooperate") for c in rng.sample(COLLECTIVES["department"], rng.randint(1, 2))]
        return out
    if doc.level == "province":
        pool = PROVINCE_UNITS
    else:
        prefix = "市" if doc.level == "city" else doc.place[-1]
        pool = [prefix + u for u in LOCAL_UNITS]
    lead, *coop = rng.sample(pool, 1 + rng.choice((0, 1, 1, 2)))
    out = [(lead, "lead")] + [(c, "cooperate") for c in coop]
    if rng.random() < 0.4:
        out.append((rng.choice(COLLECTIVES[doc.level]), "cooperate"))
    return out


def restate(doc: Doc, rng: random.Random, national: list[Part] | None = None) -> None:
    """Fill ``doc.parts`` from its parent's (or from the templates for the national plan)."""
    if national is not None:
        for p in national:
            part = Part(p.number, p.title)
            for s in p.sections:
                sec = Section(s.number, s.title)
                for t in s.tasks:
                    sec.tasks.append(Task(t.text, []))
                part.sections.append(sec)
            doc.parts.append(part)
        return
    parent = doc.parent
    bureau = doc.level == "department"
    drop_p = 0.4 if bureau else 0.08
    parent_templates = {t.template for p in parent.parts for s in p.sections for t in s.tasks if t.template is not None}
    local_choices = [i for i in range(len(LOCAL_TEMPLATES)) if i not in parent_templates]
    rng.shuffle(local_choices)
    n_local = rng.choice((0, 1, 1, 2, 2, 3)) if not bureau else rng.choice((0, 1, 1, 2))
    for p in parent.parts:
        part = Part(p.number, _reword(p.title, rng) if rng.random() < 0.3 else p.title)
        for s in p.sections:
            sec = Section(s.number, _reword(s.title, rng) if rng.random() < 0.3 else s.title)
            tasks = s.tasks
            i = 0
            while i < len(tasks):
                t, num = tasks[i], tasks[i].number
                roll = rng.random()
                i += 1
                if roll < drop_p:
                    continue
                roll = (roll - drop_p) / (1 - drop_p)
                if roll < 0.06 and i < len(tasks):       # merge with the next task of the section
                    nxt = tasks[i]
                    i += 1
                    text = _strip_end(t.text) + ";" + nxt.text
                    sec.tasks.append(Task(text, [], [num, nxt.number]))
                    continue
                if roll < 0.12 and (halves := _split(t.text)):
                    for h in halves:
                        sec.tasks.append(Task(h, [], [num]))
                    continue
                text = t.text
                if roll < 0.40:
                    text = _reword(text, rng)
                if rng.random() < 0.2 and not _HAS_DEADLINE.search(text):
                    text = _strip_end(text) + _deadline(rng)
                if rng.random() < 0.1:
                    text = f"结合{doc.place}实际," + text
                sec.tasks.append(Task(text, [], [num]))
            part.sections.append(sec)
        doc.parts.append(part)
    all_secs = [s for p in doc.parts for s in p.sections]
    for ti in local_choices[:n_local]:
        text = LOCAL_TEMPLATES[ti].format(place=doc.place, n=rng.randint(2, 12))
        sec = rng.choice(all_secs)
        sec.tasks.insert(rng.randrange(len(sec.tasks) + 1), Task(text, [], [], template=ti))
    for p in doc.parts:
        p.sections = [s for s in p.sections if s.tasks]
    doc.parts = [p for p in doc.parts if p.sections]


def number_tasks(doc: Doc, rng: random.Random) -> None:
    n = 0
    prev: Task | None = None
    for p in doc.parts:
        for s in p.sections:
            for t in s.tasks:
                n += 1
                t.number = str(n)
                doc.numbers[str(n)] = t
                # A merged units cell: the task above's units apply to this one too.
                same = prev is not None and doc.level != "national" and rng.random() < 0.12
                t.units = list(prev.units) if same else _units_for(doc, rng)
                prev = t


# --------------------------------------------------------------------------------------------------
# Rendering

def _units_text(units: list[tuple[str, str]], rng_bit: int) -> str:
    leads = [u for u, r in units if r == "lead"]
    coop = [u for u, r in units if r == "cooperate"]
    if not coop:
        return "、".join(leads)
    if rng_bit:
        return "、".join(leads) + "牵头," + "、".join(coop) + "配合"
    return "、".join(leads) + "牵头," + "、".join(coop) + "按职责分工配合"


def _notice(doc: Doc) -> list[str]:
    lines = ["当前位置:首页 > 政务公开 > 通知公告", doc.title, f"发布日期:{YEAR}-06-{1 + len(doc.id) % 28:02d}  浏览次数:{len(doc.title) * 7}",
             f"{doc.issuer}关于印发{doc.title}的通知", doc.doc_no]
    if doc.parent is not None:
        lines.append(f"为贯彻落实《{doc.parent.title}》({doc.parent.doc_no})要求,结合{doc.place}实际,"
                     f"现将《{doc.title}》印发给你们,请认真组织实施。")
    else:
        lines.append(f"《{doc.title}》已经国务院同意,现印发给你们,请结合实际认真贯彻落实。")
    lines += [doc.issuer, f"{YEAR}年5月20日", "", doc.title]
    return lines


def render_text(doc: Doc, rng: random.Random) -> str:
    lines = _notice(doc)
    unit_col = "责任股室" if doc.level == "department" else "责任单位"
    if doc.fmt == "pipe":
        lines.append(f"工作任务 | 具体要求 | {unit_col} |")
        for p in doc.parts:
            lines.append(f"{p.number}、{p.title}")
            for s in p.sections:
                prev_units = None
                for j, t in enumerate(s.tasks):
                    head = f"({s.number}){s.title} | " if j == 0 else ""
                    units = _units_text(t.units, rng.getrandbits(1)) if t.units else ""
                    cell = f" {units} |" if units and t.units != prev_units else ""
                    lines.append(f"{head}{t.number}.{t.text} |{cell}")
                    prev_units = t.units
    else:
        lines += ["工作任务", "具体要求", unit_col]
        for p in doc.parts:
            lines.append(f"{p.number}、{p.title}")
            for s in p.sections:
                lines.append(f"({s.number}){s.title}。")
                prev_units = None
                for t in s.tasks:
                    lines.append(f"{t.number}.{t.text}")
                    if t.units and t.units != prev_units:  # a shared cell is printed once
                        lines.append(_units_text(t.units, rng.getrandbits(1)) + "。")
                    prev_units = t.units
    lines.append("")
    text = "\n".join(lines)
    if doc.traditional:
        text = _to_traditional(text)
    return text


_S2T = None


def _to_traditional(text: str) -> str:
    global _S2T
    if _S2T is None:
        import opencc

        _S2T = opencc.OpenCC("s2t")
    return _S2T.convert(text)


def _rows(doc: Doc, rng: random.Random) -> list[tuple[str, str, str]]:
    rows = []
    for p in doc.parts:
        rows.append((f"{p.number}、{p.title}", "", ""))
        for s in p.sections:
            prev_units = None
            for j, t in enumerate(s.tasks):
                units = _units_text(t.units, rng.getrandbits(1)) if t.units and t.units != prev_units else ""
                rows.append((f"({s.number}){s.title}" if j == 0 else "", f"{t.number}.{t.text}", units))
                prev_units = t.units
    return rows


def render_docx(doc: Doc, rng: random.Random) -> bytes:
    import docx

    d = docx.Document()
    for line in _notice(doc):
        if line:
            d.add_paragraph(line)
    rows = _rows(doc, rng)
    table = d.add_table(rows=1 + len(rows), cols=3)
    for c, head in enumerate(("工作任务", "具体要求", "责任单位")):
        table.rows[0].cells[c].text = head
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row):
            if text:
                table.rows[r].cells[c].text = text
    # python-docx stamps the current time into the core properties: fix it for byte-identical output.
    import datetime as _dt

    stamp = _dt.datetime(YEAR, 5, 20)
    d.core_properties.created = d.core_properties.modified = stamp
    buf = io.BytesIO()
    d.save(buf)
    return _zip_fixed(buf.getvalue())


def render_xlsx(doc: Doc, rng: random.Random) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分工"
    ws.append([doc.title])
    ws.append(["工作任务", "具体要求", "责任单位"])
    for row in _rows(doc, rng):
        ws.append([c or None for c in row])
    import datetime as _dt

    wb.properties.created = wb.properties.modified = _dt.datetime(YEAR, 5, 20)
    buf = io.BytesIO()
    wb.save(buf)
    return _zip_fixed(buf.getvalue())


def _zip_fixed(data: bytes) -> bytes:
    """The same archive with fixed member timestamps (zip stores the time of writing)."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>", b"", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(YEAR, 5, 20, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# Manifest and gold

def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def manifest_yaml(docs: list[Doc]) -> str:
    out = ["# Synthetic cascade (bench/synth.py). Paths are relative to this file.", "documents:"]
    for d in docs:
        out.append(f"  - file: {d.file}\n    id: {d.id}\n    level: {d.level}\n    region: {d.region}\n"
                   f"    year: {YEAR}\n    issuer: {d.issuer}\n    title: {_q(d.title)}\n    doc_no: {_q(d.doc_no)}")
        if d.parent is not None:
            out.append(f"    parents: [{d.parent.id}]")
    return "\n".join(out) + "\n"


def _base_unit(short: str) -> str:
    return re.sub(r"^(省|市|县|区)", "", short)


def gold_yaml(docs: list[Doc], seed: int, n_tasks: int) -> str:
    out = [f"# Synthetic gold (bench/synth.py --tasks {n_tasks} --seed {seed}). Format of ../shared/gold/seeds.yaml.",
           "documents:"]
    links, local = [], []
    for d in docs:
        sections = sum(len(p.sections) for p in d.parts)
        out.append(f"  - file: {d.file}\n    level: {d.level}\n    year: {YEAR}\n    region: {d.region}\n"
                   f"    issuer: {d.issuer}\n    counts: {{parts: {len(d.parts)}, sections: {sections}, tasks: {len(d.numbers)}}}")
        if d.parent is not None:
            out.append(f"    parents: [{d.parent.file}]")
        sample = [(n, t) for n, t in d.numbers.items() if t.units][:3]
        if sample:
            out.append("    units:")
            for n, t in sample:
                leads = ", ".join(_base_unit(u) for u, r in t.units if r == "lead")
                out.append(f'      "{n}": {{lead: [{leads}]}}')
        if d.parent is None:
            continue
        for n, t in d.numbers.items():
            ref = f"{d.file}#{n}"
            if not t.upper:
                local.append(ref)
                continue
            upper = f"{d.parent.file}#{t.upper[0]}"
            alts = ", ".join(_q(f"{d.parent.file}#{u}") for u in t.upper[1:])
            links.append(f"  - {{lower: {_q(ref)}, upper: {_q(upper)}" + (f", alternatives: [{alts}]}}" if alts else "}"))
    out.append("links:")
    out += links
    out.append("local:")
    out += [f"  - {_q(r)}" for r in local]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------------

def generate(n_tasks: int, seed: int, out: str | Path, shared: str | Path | None = None) -> dict:
    """Write a synthetic cascade of about ``n_tasks`` tasks into ``out``; returns counts."""
    out = Path(out)
    shared = Path(shared) if shared else ROOT.parent / "shared"
    rng = random.Random(seed)
    national_parts = read_templates(shared)
    n_national = sum(len(s.tasks) for p in national_parts for s in p.sections)
    docs = make_ladder(n_tasks, n_national, rng)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    levels: Counter = Counter()
    total = 0
    for d in docs:
        restate(d, rng, national_parts if d.parent is None else None)
        number_tasks(d, rng)
        path = out / d.file
        path.parent.mkdir(parents=True, exist_ok=True)
        if d.fmt == "docx":
            path.write_bytes(render_docx(d, rng))
        elif d.fmt == "xlsx":
            path.write_bytes(render_xlsx(d, rng))
        else:
            path.write_text(render_text(d, rng), encoding="utf-8")
        levels[d.level] += 1
        total += len(d.numbers)
    (out / "manifest.yaml").write_text(manifest_yaml(docs), encoding="utf-8")
    (out / "gold.yaml").write_text(gold_yaml(docs, seed, n_tasks), encoding="utf-8")
    return {"documents": len(docs), "tasks": total, "levels": dict(levels)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tasks", type=int, default=2000, help="about how many tasks in all")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--shared", help="the shared folder with seeds/ and corpus/ (default ../shared)")
    args = ap.parse_args(argv)
    info = generate(args.tasks, args.seed, args.out, args.shared)
    print(f"{info['documents']} documents, {info['tasks']} tasks "
          f"({', '.join(f'{k} {v}' for k, v in info['levels'].items())}) → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
