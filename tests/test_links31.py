"""Verdicts on real cascades (session 31), short texts of our own:

1. A row waiting for the plan between (a county's plan compared with its province's, its city's plan not
   held) names as who must act that plan's issuer: the one its cited title opens with, else the city's
   government or office as the cited number says (府办/政办: the office; 府/政: the government), else the
   city's office by the ladder; or says it cannot be told (the place one up not known). Before: the
   county's own office.
2. A city's customary abbreviation that is no character of its name (洪府办发 南昌, 榕政办 福州, 甬政办发
   宁波) is its by elimination in a county's citations: neither the State Council's, nor the province's
   fixed one-character names, nor the county's own. Before: not recognised (the number left out of what
   the row waits for, a held city plan without its number not linked).
3. A notice issuing two plans (政务服务 + 政务公开) whose line breaks were lost is split as its lined form is.
"""
from __future__ import annotations

import re



# --- a notice issuing two plans, its line breaks lost ------------------------------------------------

_TWO_PLANS = """某县人民政府办公室关于印发《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》的通知
各乡镇人民政府,县直各单位:
《某县2021年政务服务工作要点》和《某县2021年政务公开工作要点》已经县人民政府同意,现印发给你们。
某县人民政府办公室
2021年6月2日
某县2021年政务服务工作要点
坚持以人民为中心,深化放管服改革。
一、深化一件事一次办
(一)推进全流程网上办理。推进政务服务大厅标准化建设。(县行政审批服务局牵头)
(二)优化窗口服务。推行好差评制度,及时整改差评事项。(县行政审批服务局牵头)
某县2021年政务公开工作要点
一、围绕稳经济做好公开
(一)做好助企纾困政策公开。及时公开减税降费政策。(县财政局牵头)
(二)做好重大项目信息公开。及时公开重大建设项目批准信息。(县发展改革局牵头)
"""


def test_a_flattened_two_plan_notice_is_split_as_its_lined_form(tmp_path):
    from loaders import load_file

    def read(text):
        path = tmp_path / "two.txt"
        path.write_text(text, encoding="utf-8")
        rec = load_file(path)
        return rec.document.kind, [(t.section, t.clause, t.text[:10], [(a.name, a.role) for a in t.assignments])
                                   for t in rec.tasks]

    lined = read(_TWO_PLANS)
    assert [t[1] for t in lined[1]] == ["obligation", "obligation", "other_plan", "other_plan"]
    # its line breaks lost (the other plan's title after the date, the 政务公开 plan's after a note): the same
    # records (before: the four tasks read as one plan, the 政务公开 title glued to a 政务服务 task)
    assert read(re.sub(r"\n", "", _TWO_PLANS)) == lined
    assert read(re.sub(r"\n", " ", _TWO_PLANS)) == lined
