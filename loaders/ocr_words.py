"""OCR's misreadings inside the few words a plan's units and labels are made of.

The PP-OCR models read the Song face's `门` as `内` (or `內`) throughout a scan: 各部门 comes out as 各部内,
(责任部门:…) as (责任部內:…), 门户网站 as 内户网站. A unit then bears a name no office has, and a label
no reader knows leaves its note a task of its own. `部内` and `内户` are no words of a government plan
(its own words are 内部, 部门, 门户), so in OCR's text alone they are read as the words printed. Nothing
else is touched: `内` is a word of its own everywhere else (区内, 内容, 国内).

The same models read a small 辦 as `瓣` (a petal: 瓣公室) and 入 as `人` (市场准人). Each is put back only
where the word it makes is one a plan prints (辦公室, 辦公廳, 辦事處: a unit; 平政辦發〔2020〕: a document
number's issuer; 市场准入: the 负面清单's own term); 瓣 and 人 stay as read anywhere else.

A mirror's pinyin glosses (經(jīng)濟) come out of a scan without their tone marks, which is how the text's
reader knows them (loaders.normalize.strip_pinyin): on a line that holds them, they are dropped here.
"""
from __future__ import annotations

import re

__all__ = ["mended", "glossed"]

# 部门 (各部门, 责任部门, 工作部门, 部门网站) read 部内, unless 内 opens a word of its own there
# (全部内容, 部内设机构, 内部, 内外); 门户 (门户网站) read 内户.
_MISREAD = re.compile(r"(?<=部)[内內](?![部容设設外])|[内內](?=户网|户站)")
# 辦公室 / 办公厅 / 辦事處 read 瓣公室 …; 市场准入 (市場准入) read 市场准人
# and in a document number's issuer abbreviation (平政辦發〔2020〕5號 read 平政瓣发[2020)5号)
# (宿政務瓣[2024]1號: an abbreviation that ends with 辦)
# (滬府瓣字〔2025〕5號: a number's issuer that ends with 辦字 as with 辦發)
_OTHER = ((re.compile(r"瓣(?=公室|公厅|公廳|事处|事處|[发發函字]?[〔\[［(（【]\s*\d{4})"), "辦"), (re.compile(r"(?<=市场准|市場准)人"), "入"),
          # and a document number's year in its 〔〕, read [2019], 【2016], (2020): 海府办函[2019]168号; 吐政办[2020】17号
          (re.compile(r"(?<=[发發函字办辦])[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(?=\d{1,4}\s*[号號])"), r"〔\1〕"),
          # a title inside a title, 〈…〉, read as ASCII brackets or half a book-title one: 印发<某市2016年…要点>的通知,
          # <…要点》 (a scan holds no page's tags; its brackets' halves may be read in boxes of their own)
          (re.compile(r"<([\u4e00-\u9fff][^<>《》〈〉\n]{0,60}?)[>》〉]"), r"〈\1〉"),
          (re.compile(r"<(?=[\u4e00-\u9fff])"), "〈"), (re.compile(r"(?<=[\u4e00-\u9fff])>"), "〉"),
          # the 廳 of 国务院办公厅, 中共中央办公厅, 省人民政府办公厅 and a 直辖市's (上海市人民政府办公厅): their
          # offices are every one a 厅, read as nothing
          (re.compile(r"((?:国务院|國務院|中共中央|省人民政府|(?:北京|天津|上海|重庆|重慶)市人民政府)[办辦瓣]公)(?![室厅廳])"),
           lambda m: m.group(1).replace("瓣", "辦") + ("廳" if re.search("[國務辦瓣]", m.group(1)) else "厅")),
          # and 关于 whose 关 (關, glossed 關(guān) on a mirror's page) was lost after the issuer: 某办公室于印发…
          # (after its 廳 is put back: 國務院辦公于印發)
          (re.compile(r"(?<=公室|公厅|公廳|政府)于(?=印发|印發|转发|轉發)"), "关于"),
          # a units label's 责 (責) read as 黄, or as nothing after the note's bracket: (黄任单位:…), (任單位:…)
          (re.compile(r"(?:黄|(?<=[(（]))任(?=[单單][位]\s*[:：])"), "責任"))


# A pinyin gloss glued to a character (關(guān)於), as OCR reads it: tone marks lost or misread (guan, diän),
# letters parted by spaces (k ai), a full-width bracket. On a glossed page (:func:`glossed`) each is one; elsewhere
# two on a line, or one with a tone mark.
_V = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüäëïöâêîôû"
# (an o inside a gloss read as O or 0: 工作(zuO), 工作(zu0))
_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])[(（] ?[{_V}](?:[{_V}O0]| (?=[{_V}])){{0,7}} ?[)）]")
_TONED = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
# On a glossed page, also a gloss that opens a line (the line wrapped between a character and its gloss:
# …有|(gua n)工作) and one whose o OCR read as O or 0 (統(tO ng), 動(d 0 ng)): letters, never a number of the plan's.
_LOOSE = re.compile(rf"(?:(?<=[\u4e00-\u9fff)）])|^)[(（] ?[a-z{_V[3:]}](?:[{_V}O0]| (?=[{_V}O0])){{0,7}} ?[)）]")


def glossed(texts: list[str]) -> bool:
    """Whether a scanned page's text is glossed with pinyin: three glosses on it or more."""
    return sum(len(_GLOSS.findall(t)) for t in texts if "(" in t or "（" in t) >= 3


def mended(text: str, glosses: bool = False) -> str:
    """OCR's text with 门 back in the unit and label words it misread.

    >>> mended("(责任部內:办公室)县政府各部内,依托政府内户网站公开,区内各单位")
    '(责任部门:办公室)县政府各部门,依托政府门户网站公开,区内各单位'
    >>> mended("公开全部内容")
    '公开全部内容'
    >>> mended("瓣公室牵头,落实市场准人负面清单,人人参与")
    '辦公室牵头,落实市场准入负面清单,人人参与'
    >>> mended("平政瓣发[2020)5号,清公開瓣函〔2021〕3號,花瓣,宿政務瓣[2024]1號,某辦公室于印發")
    '平政辦发〔2020〕5号,清公開辦函〔2021〕3號,花瓣,宿政務辦〔2024〕1號,某辦公室关于印發'
    >>> mended("關(guan)於印發(fa）《政務(wu)公開(k ai)要點(diän)》")
    '關於印發《政務公開要點》'
    >>> mended("(gua n)工作要求,推動(d 0 ng)法治,統(tO ng)籌(2)", glosses=True)
    '工作要求,推動法治,統籌(2)'
    >>> mended("政务服务(app)平台")
    '政务服务(app)平台'
    >>> mended("工作(zuO)要點,工作(zu0)任務,有(yOu)關"), mended("關于印發<某市2016年政務公開工作要點》的通知")
    ('工作要點,工作任務,有關', '關于印發〈某市2016年政務公開工作要點〉的通知')
    >>> mended("滬府瓣字〔2025〕5號,上海市人民政府瓣公關于"), mended("(黄任單位:市政府辦公廳)(任單位:各區政府)(任务)")
    ('滬府辦字〔2025〕5號,上海市人民政府辦公廳關于', '(責任單位:市政府辦公廳)(責任單位:各區政府)(任务)')
    >>> mended("國務院辦公于印發")
    '國務院辦公廳关于印發'
    >>> mended("國務院辦公"), mended("中共中央瓣公、国务院办公厅"), mended("某市人民政府办公室"), mended("a<b>c"), mended("印发<某市")
    ('國務院辦公廳', '中共中央辦公廳、国务院办公厅', '某市人民政府办公室', 'a<b>c', '印发〈某市')
    """
    if "(" in text or "（" in text:
        found = _GLOSS.findall(text)
        if glosses or len(found) >= 2 or any(_TONED.search(g) for g in found):
            text = _GLOSS.sub("", text)
        if glosses:
            text = _LOOSE.sub("", text)
    for pattern, right in _OTHER:
        text = pattern.sub(right, text)
    return _MISREAD.sub("门", text) if ("内" in text or "內" in text) else text

