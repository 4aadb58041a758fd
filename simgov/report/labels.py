"""Every word a report or figure shows, in English and Chinese: one table.

Metric and policy names, units and the report's headings and captions come from here, so
that a report in either language says the same thing, and a test can check that nothing
is left untranslated.
"""

from __future__ import annotations

LANGS = ("en", "zh")

METRIC = {
    "trust_neighbors": ("Trust in neighbours", "邻里信任"),
    "trust_committee": ("Trust in the committee", "对居委会的信任"),
    "belonging": ("Belonging", "归属感"),
    "participation_rate": ("Participation rate", "社区参与率"),
    "isolated_share": ("Isolated residents (share)", "孤立居民比例"),
    "cohesion_index": ("Cohesion index", "社区凝聚力指数"),
    "clustering": ("Clustering of ties", "关系网络聚类系数"),
    "organizations_active": ("Active organisations", "活跃社会组织数"),
    "disputes_new": ("New disputes (week)", "本周新发纠纷"),
    "disputes_open": ("Open disputes", "未化解纠纷"),
    "group_disputes_open": ("Open group disputes", "未化解群体性纠纷"),
    "disputes_resolved": ("Disputes resolved (week)", "本周化解纠纷"),
    "disputes_relapsed": ("Disputes relapsed (week)", "本周复发纠纷"),
    "resolved_share": ("Disputes resolved (share, past year)", "纠纷化解率（近一年）"),
    "cases_mediated": ("Cases mediated (week)", "本周调解受理"),
    "mediation_agreements": ("Mediation agreements (week)", "本周调解成功"),
    "property_settled": ("Building issues settled by the property side (week)", "本周物业方化解的楼栋问题"),
    "group_dispute_share": ("Disputes that became group disputes (share)", "升级为群体性纠纷的比例"),
    "unmet_needs_share": ("Residents with unmet needs (share)", "有未满足需求的居民比例"),
    "vulnerable_unmet_needs_share": ("Vulnerable residents with unmet needs (share)", "困难群体未满足需求比例"),
    "undetected_needs_share": ("Residents with undetected needs (share)", "需求未被发现的居民比例"),
    "needs_met": ("Needs met (week)", "本周满足需求数"),
    "volunteers": ("Steady volunteers", "稳定志愿者人数"),
    "linkage_strength": ("Linkage strength", "联动强度"),
    "moved_in": ("Residents moved in (week)", "本周迁入居民数"),
    "spend_yuan_total": ("Spending to date (yuan)", "累计支出（元）"),
    "fund_balance_yuan": ("Community fund (yuan)", "社区基金余额（元）"),
    "visits_short": ("Home visits short of capacity", "入户走访缺口（户次）"),
    "policy_yuan_total": ("Policy spending to date (yuan)", "政策累计支出（元）"),
    "policy_staff_hours_total": ("Policy staff hours to date", "政策累计工作人员工时"),
    "policy_volunteer_hours_total": ("Policy volunteer hours to date", "政策累计志愿者工时"),
    "policy_social_worker_hours_total": ("Policy social-worker hours to date", "政策累计社工工时"),
    "committee_balance_yuan": ("Committee budget left (yuan)", "居委会预算余额（元）"),
    "committee_yuan_short": ("Committee money short (yuan, week)", "本周居委会资金缺口（元）"),
    "fund_yuan_short": ("Fund money short (yuan, week)", "本周社区基金缺口（元）"),
    **{f"{who}_hours_{what}": (f"{en} hours {en_what} (week)", f"本周{zh}{zh_what}")
       for who, en, zh in (("staff", "Staff", "工作人员工时"), ("social_worker", "Social-worker", "社工工时"),
                           ("volunteer", "Volunteer", "志愿者工时"), ("organisation", "Organisation", "专业机构工时"))
       for what, en_what, zh_what in (("available", "available", "可用"), ("used", "used", "已用"),
                                      ("short", "short", "缺口"))},
}

POLICY = {
    "door_knocking": ("Door-knocking", "天天敲门"),
    "mediation": ("Mediation (1+1+3)", "“1+1+3”调解"),
    "micro_venture_fund": ("Micro-venture fund", "微创投"),
    "volunteer_pairing": ("Volunteer pairing", "志愿者结对帮扶"),
    "needs_assessment": ("Needs assessment", "需求调查"),
    "org_incubation": ("Organisation incubation", "社会组织孵化"),
    "purchased_services": ("Purchased services", "政府购买服务"),
    "social_enterprise": ("Social enterprise", "社区社会企业"),
    "deliberation_platform": ("Deliberation platform", "四方联席议事"),
    "grid_management": ("Grid management", "网格化管理"),
    "employment_priority": ("Employment priority", "就业双优先"),
    "volunteer_rewards": ("Volunteer rewards", "志愿积分激励"),
    "mutual_aid_day": ("Mutual-aid day", "互助日"),
    "three_party_mechanism": ("Three-party mechanism", "三方联动机制"),
    "red_property_management": ("Red property management", "红色物业"),
    "linkage_platform": ("Linkage platform", "联动平台"),
}

SHOCK = {
    "epidemic_lockdown": ("Epidemic lockdown", "疫情封控"),
    "building_emergency": ("Building emergency", "楼栋突发事件"),
}

TEXT = {
    "baseline": ("baseline", "基线"),
    "week": ("week", "周"),
    "shock_period": ("shock period", "冲击期"),
    "report": ("Report", "报告"),
    "scenario": ("The scenario", "情景"),
    "community": ("Community", "社区"),
    "actors": ("Actors", "主体"),
    "policies_all": ("Policies in every arm", "各方案共有的政策"),
    "no_policies": ("No policies beyond the community's ordinary work.", "除社区日常工作外无其他政策。"),
    "arms": ("Arms", "方案"),
    "sources": ("Sources", "资料来源"),
    "key_numbers": ("Key numbers", "关键指标"),
    "key_caption": ("Mean over the final 52 weeks of each run: mean across replicates [10th, 90th "
                    "percentile across replicates].",
                    "每次运行最后52周的平均值：各重复运行的均值［第10、第90百分位数］。"),
    "metric": ("metric", "指标"),
    "arm": ("arm", "方案"),
    "over_time": ("Over time", "随时间变化"),
    "shocks": ("Shocks", "突发冲击"),
    "shocks_caption": ("Each shock's outcomes, mean across replicates [10th, 90th percentile]: the highest "
                       "share of residents with unmet needs from its start until recovery (at most {after} "
                       "weeks after its end); the weeks after its end until that share is back within "
                       "{tolerance} percentage points of its level in the {pre} weeks before (the runs that "
                       "recovered; how many did, in brackets); the disputes that arose during it. Per run: "
                       "shocks.csv.",
                       "各冲击的结果，各重复运行的均值［第10、第90百分位数］：从冲击开始到恢复期间（至多到冲击结束后"
                       "{after}周）有未满足需求的居民比例的最高值；冲击结束后该比例回到冲击前{pre}周水平{tolerance}个"
                       "百分点以内所需的周数（仅计已恢复的运行，括号内为恢复的运行数）；冲击期间新发纠纷数。"
                       "每次运行的结果见 shocks.csv。"),
    "shock": ("shock", "冲击"),
    "shock_weeks": ("weeks", "周次"),
    "peak_unmet": ("peak unmet needs", "未满足需求峰值"),
    "weeks_to_recover": ("weeks to recover", "恢复所需周数"),
    "disputes_during": ("disputes during", "冲击期间纠纷"),
    "recovered_of": ("{recovered} of {runs} recovered", "{runs}次中{recovered}次恢复"),
    "not_recovered": ("not recovered in the run", "运行期内未恢复"),
    "series_caption": ("Lines: median across replicates; bands: 10th to 90th percentile across "
                       "replicates; n = replicates per arm. Dashed lines: a policy starts; dotted: it ends. "
                       "Shaded: a shock's weeks.",
                       "实线：各重复运行的中位数；色带：第10至第90百分位数；n为每个方案的重复次数。"
                       "虚线：政策开始；点线：政策结束。阴影：冲击期间。"),
    "effects": ("Effects against", "相对于以下方案的效果："),
    "effects_caption": ("Paired difference of final-year means (arm minus reference), mean over {reps} "
                        "replicates that share their random streams, with a 95% Student-t interval. "
                        "Every metric: effects.csv.",
                        "最后一年均值的配对差（方案减参照），基于共享随机数流的{reps}次重复运行的均值，"
                        "附95% t分布置信区间。全部指标见 effects.csv。"),
    "forest_title": ("Effects with 95% intervals", "效果及95%置信区间"),
    "interactions": ("Together against apart: interactions", "组合与单项之和：交互效应"),
    "interactions_caption": ("For each arm that combines policies: its effect against {base}, the sum of the "
                             "effects of its policies each run alone the same way (same seeds), and the "
                             "interaction, their difference, with a 95% interval over {reps} paired "
                             "replicates. An interaction above zero on an outcome where higher is better "
                             "(below zero where lower is better) means the policies do more together than "
                             "apart; an interval that includes zero means they add up. Every metric: "
                             "interactions.csv.",
                             "对每个组合方案：其相对于{base}的效果、其中各项政策以相同方式单独运行（相同随机种子）"
                             "的效果之和，以及二者之差即交互效应，附基于{reps}次配对重复运行的95%置信区间。"
                             "对越高越好的指标，交互效应大于零（越低越好的指标则小于零）表示组合的效果大于各项"
                             "之和；区间包含零表示各项效果简单相加。全部指标见 interactions.csv。"),
    "combined_effect": ("combined", "组合效果"),
    "sum_of_parts": ("sum of parts", "单项效果之和"),
    "interaction": ("interaction", "交互效应"),
    "factorial": ("Full factorial", "全因子设计"),
    "factorial_caption": ("Every combination of {factors} ({cells} arms, same seeds). Effects coding "
                          "(Montgomery, Design and Analysis of Experiments): a main effect is the mean outcome "
                          "with the factor on minus the mean with it off, over every combination of the "
                          "others; a two-way interaction is half the difference between one factor's effect "
                          "with the other on and with it off. 95% intervals over {reps} paired replicates. "
                          "Every metric: factorial.csv.",
                          "{factors}的全部组合（{cells}个方案，相同随机种子）。效应编码（Montgomery《实验设计与"
                          "分析》）：主效应为该因子开启时与关闭时结果均值之差（对其他因子的所有组合取平均）；"
                          "二阶交互效应为一个因子在另一因子开启与关闭时效果之差的一半。95%置信区间基于{reps}"
                          "次配对重复运行。全部指标见 factorial.csv。"),
    "term": ("effect", "效应"),
    "arm_part": ("{arm}: {policy} alone", "{arm}：仅{policy}"),
    "arm_base": ("{arm}: its parameters without its policies", "{arm}：仅其参数设置，不含其政策"),
    "arm_none": ("no policy", "无政策"),
    "difference": ("difference from reference", "与参照方案之差"),
    "difference_pp": ("difference from reference (pp)", "与参照方案之差（百分点）"),
    "friendly_tie": ("tie: grey weak, dark strong", "关系：灰色弱、深色强"),
    "cost": ("Cost and cost-effectiveness", "成本与成本效益"),
    "cost_caption": ("Policy spending (any payer) and hours per simulated year, against the reference. "
                     "Effect per 10,000 yuan and per 100 staff hours: improvement a year in percentage "
                     "points (shares, indices) or units (counts), shown where the effect's 95% interval "
                     "excludes zero. Full tables: costs.csv, effects.csv.",
                     "每模拟年的政策支出（任何出资方）与工时，相对于参照方案。每万元、每百工时的效果："
                     "份额与指数以百分点计、计数以个计，仅在效果95%置信区间不含零时列出。完整表格见 "
                     "costs.csv、effects.csv。"),
    "yuan_per_year": ("yuan a year", "元/年"),
    "staff_hours_per_year": ("staff hours a year", "工作人员工时/年"),
    "social_worker_hours_per_year": ("social-worker hours a year", "社工工时/年"),
    "volunteer_hours_per_year": ("volunteer hours a year", "志愿者工时/年"),
    "per_10k_yuan": ("effect per 10,000 yuan", "每万元效果"),
    "per_100_hours": ("effect per 100 staff hours", "每百工时效果"),
    "ce_title": ("Improvement per 10,000 yuan a year", "每年每万元带来的改善"),
    "network": ("The community's network", "社区关系网络"),
    "network_caption": ("Residents of {buildings} of {total} buildings ({n} residents, replicate 0), "
                        "grouped by building; colour: trust in neighbours; black ring: vulnerable resident; "
                        "grey to dark lines: weak to strong ties; dashed red: hostile ties; "
                        "thick orange: parties to an open dispute.",
                        "抽样{buildings}栋楼（共{total}栋，{n}名居民，第0次重复），按楼栋分组；颜色：邻里信任；"
                        "黑色圆环：困难群体；灰到深色连线：弱到强关系；红色虚线：敌对关系；粗橙线：未化解纠纷的当事人。"),
    "start": ("start", "开始"),
    "end": ("end", "结束"),
    "reproduce": ("Reproduce", "复现"),
    "status": ("status", "状态"),
    "replicates": ("replicates", "次重复"),
    "weeks": ("weeks", "周"),
    "seed": ("seed", "随机种子"),
    "residents": ("residents", "居民"),
    "households": ("households", "户"),
    "buildings": ("buildings", "栋楼"),
    "grids": ("grids", "个网格"),
    "yuan_budget": ("yearly budget, yuan", "年度预算（元）"),
    "sensitivity": ("Sensitivity", "敏感性分析"),
    "discovery": ("Scenario discovery", "情景发现"),
    "trust": ("trust", "信任"),
    # the summary at the top of a run or compare report
    "summary": ("Summary", "摘要"),
    "lead_stop": (".", "："),  # after a bold run-in heading
    "reference": ("reference", "参照"),
    "yearly_cost": ("Policy cost a year", "每年政策成本"),
    "binding": ("Binding constraints", "紧约束资源"),
    "rests_on": ("What this rests on", "结论依据"),
    "verdict_better": ("better", "改善"),
    "verdict_worse": ("worse", "变差"),
    "verdict_unclear": ("unclear (the interval includes zero)", "不确定（区间包含零）"),
    "verdict_neutral": ("no better direction", "无优劣方向"),
    "one_replicate": ("one replicate: no interval", "仅一次重复：无区间"),
    "cost_line": ("{yuan} yuan, {staff} staff hours and {volunteer} volunteer hours",
                  "{yuan}元、工作人员{staff}工时、志愿者{volunteer}工时"),
    "constraints_not_recorded": ("not recorded in this results folder (it predates the resource pools)",
                                 "本结果文件夹未记录（早于资源池记录）"),
    "constraints_none": ("none: no pool of hours or money fell short in a tenth of the weeks or more",
                         "无：没有任何工时或资金资源池在一成以上的周次出现缺口"),
    "constraint_item": ("{pool} ({share} of weeks)", "{pool}（{share}的周次）"),
    "pool_staff": ("staff hours short", "工作人员工时不足"),
    "pool_social_worker": ("social workers' hours short", "社会工作者工时不足"),
    "pool_volunteer": ("volunteer hours short", "志愿者工时不足"),
    "pool_organisation": ("professional organisations' hours short", "专业机构工时不足"),
    "pool_committee": ("committee budget short", "居委会预算不足"),
    "pool_fund": ("community fund short", "社区基金不足"),
    "summary_compare": ("Compared {arms} in {scenario}, each against {reference}: {reps} replicates each, "
                        "{years} years ({weeks} weeks) after the warm-up.",
                        "在{scenario}中比较了{arms}，均以{reference}为参照：每个方案{reps}次重复，"
                        "模拟{years}年（{weeks}周，不含预热期）。"),
    "summary_run": ("Ran {arms} of {scenario}: {reps} replicates, {years} years ({weeks} weeks) after the warm-up.",
                    "运行了{scenario}的{arms}：{reps}次重复，模拟{years}年（{weeks}周，不含预热期）。"),
    "summary_effect_note": ("Effects: paired difference of final-year means from the reference, mean over {reps} "
                            "replicates with a 95% interval; the three largest changes among the main outcomes, "
                            "clear ones first. Better or worse follows each metric's better direction.",
                            "效果：与参照方案最后一年均值的配对差，{reps}次重复的均值及95%置信区间；列出主要结果中"
                            "变化最大的三项，明确的在前。改善或变差依各指标的优劣方向判断。"),
    "summary_level_note": ("Levels: mean of the final-year means over replicates [10th, 90th percentile].",
                           "水平值：各重复运行最后一年均值的平均［第10、第90百分位数］。"),
    "validation_none": ("'{name}' has no validation record: its patterns have not been checked "
                        "(docs/validation.md lists the bundled scenarios that have).",
                        "“{name}”没有验证记录：其模式尚未检验（已检验的内置情景见 docs/validation.md）。"),
    "validation_all": ("Validation: all {total} pattern checks of this scenario pass ({reps} replicates; "
                       "docs/validation.md).",
                       "验证：本情景全部{total}项模式检验通过（{reps}次重复；见 docs/validation.md）。"),
    "validation_some": ("Validation: {passed} of {total} pattern checks of this scenario pass ({reps} replicates; "
                        "the misses are explained in docs/validation.md).",
                        "验证：本情景{total}项模式检验中{passed}项通过（{reps}次重复；未通过项的说明见 "
                        "docs/validation.md）。"),
    "extends_note": ("The scenario extends '{parent}': what it does not set comes from there.",
                     "本情景继承自“{parent}”：未设定的内容取自该情景。"),
    "crn_compare": ("Every arm ran with the same replicate seeds (common random numbers), so differences are "
                    "the policies' effects, not chance.",
                    "各方案使用相同的重复随机种子（共同随机数），差异来自政策而非偶然。"),
    "status_line": ("Results folder: {status}.", "结果文件夹：{status}。"),
    "status_complete": ("complete", "完整"),
    "status_interrupted": ("interrupted: some runs are missing", "已中断：部分运行缺失"),
    "status_failed": ("a run failed: some runs are missing", "有运行失败：部分运行缺失"),
    "status_running": ("still running or stopped abruptly", "仍在运行或意外中止"),
    "key_caption_one": ("Mean over the final 52 weeks of the run (one replicate).",
                        "运行最后52周的平均值（仅一次重复）。"),
    "cumulative_note": ("Totals to date and balances: the value at the end, not a yearly mean.",
                        "累计值与余额：取期末值，而非年均值。"),
    "effects_caption_one": ("Difference of final-year means (arm minus reference) of one replicate: no interval. "
                            "Every metric: effects.csv.",
                            "最后一年均值之差（方案减参照），仅一次重复：无置信区间。全部指标见 effects.csv。"),
    "area": (" · {area} km²", "，面积{area}平方公里"),
    "community_line": ("{residents} residents in {households} households, {buildings} buildings and {grids} "
                       "grids{area}.", "{residents}名居民，{households}户，{buildings}栋楼，{grids}个网格{area}。"),
    "actors_line": ("{cadres} committee cadres, {party_members_resident} resident and {party_members_sunk} sunk "
                    "Party members, {social_workers} social workers, {steady_volunteers} steady volunteers in "
                    "{volunteer_teams} teams, {self_organisations} self-organisations, {professional_organisations} "
                    "professional organisations, {donors} donors; a yearly budget of {budget} yuan.",
                    "社区干部{cadres}名，在册党员{party_members_resident}名、下沉党员{party_members_sunk}名，"
                    "社会工作者{social_workers}名，稳定志愿者{steady_volunteers}名（{volunteer_teams}支队伍），"
                    "居民自组织{self_organisations}个，专业社会组织{professional_organisations}个，捐赠方{donors}个；"
                    "年度预算{budget}元。"),
    # sweeps
    "sweep_report": ("Sweep report", "参数扫描报告"),
    "experiment": ("The experiment", "实验设计"),
    "sweep_summary": ("Swept {factors} in {scenario}: {points:,} design points x {reps} replicates of {weeks} "
                      "weeks; {ok:,} of {total:,} runs finished.",
                      "在{scenario}中扫描了{factors}：{points:,}个设计点 × {reps}次重复，每次{weeks}周；"
                      "共{total:,}次运行，完成{ok:,}次。"),
    "sweep_top_factor": ("{outcome}: {factor} matters most ({index} {value}).",
                         "{outcome}：影响最大的是{factor}（{index} {value}）。"),
    "sweep_best_box": ("Best box of scenario discovery: {rule} (coverage {coverage}, density {density}).",
                       "情景发现的最佳区域：{rule}（覆盖率{coverage}，密度{density}）。"),
    "design_line": ("Design: {method}, {points:,} points x {reps} replicates = {runs:,} runs of {weeks} weeks; "
                    "each run records {stat}.",
                    "设计：{method}，{points:,}个设计点 × {reps}次重复 = {runs:,}次运行，每次{weeks}周；"
                    "每次运行记录{stat}。"),
    "crn_note": ("Replicate i has the same seed at every point (common random numbers).",
                 "同一重复序号在各设计点使用相同随机种子（共同随机数）。"),
    "stat_final_year_mean": ("the mean over its final 52 weeks", "最后52周的平均值"),
    "stat_final": ("the final value", "最终值"),
    "stat_mean": ("the mean over all weeks", "全部周次的平均值"),
    "factor": ("factor", "因子"),
    "path": ("path", "路径"),
    "range": ("range or values", "取值范围"),
    "levels": ("levels", "个水平"),
    "runs_heading": ("Runs", "运行情况"),
    "runs_line": ("{ok:,} of {total:,} runs finished; {failed:,} failed; {missing:,} not yet run.",
                  "共{total:,}次运行，完成{ok:,}次，失败{failed:,}次，未运行{missing:,}次。"),
    "session": ("session", "批次"),
    "executor": ("executor", "执行方式"),
    "workers": ("workers", "进程数"),
    "runs": ("runs", "运行次数"),
    "failed": ("failed", "失败"),
    "seconds": ("seconds", "秒"),
    "failed_runs": ("Failed runs (the first ten; all are in the runs table with their error):",
                    "失败的运行（前十条；全部见运行表中的错误信息）："),
    "response": ("Outcomes across the design", "各设计点的结果"),
    "response_caption": ("Each dot: one design point, its outcome averaged over {reps} replicates.",
                         "每个点代表一个设计点，其结果为{reps}次重复运行的平均值。"),
    "no_indices": ("No sensitivity indices (see the notes).", "未计算敏感性指数（见说明）。"),
    "notes": ("Notes", "说明"),
    "first_order": ("first order S1", "一阶指数 S1"),
    "total_order": ("total ST", "总效应指数 ST"),
    "mu_star": ("mu*", "mu*"),
    "sigma": ("sigma", "sigma"),
    "delta": ("delta", "delta"),
    "noisy_panel": ("replicate noise: {share:.0%} of the variance", "重复运行噪声占方差{share:.0%}"),
    "sens_title_sobol": ("Sobol' indices with 95% intervals", "Sobol敏感性指数及95%置信区间"),
    "sens_title_morris": ("Morris elementary effects", "Morris基本效应"),
    "sens_title_delta": ("Delta indices with 95% intervals", "Delta敏感性指数及95%置信区间"),
    "sens_caption_sobol": ("Share of the variance of each outcome (replicate means) due to each factor alone (S1) "
                           "and with its interactions (ST); bars: 95% bootstrap intervals (SALib). A panel "
                           "titled in orange: replicate noise is over 10% of the variance of the point means, "
                           "which inflates ST and blurs small indices; add replicates. Full table: sensitivity.csv.",
                           "各结果（重复运行均值）方差中由单个因子单独解释（S1）及连同交互作用解释（ST）的份额；"
                           "误差线为95% bootstrap置信区间（SALib）。标题为橙色的子图：重复运行噪声超过"
                           "设计点均值方差的10%，会抬高ST并模糊较小的指数，应增加重复次数。"
                           "完整表格见 sensitivity.csv。"),
    "sens_caption_morris": ("mu*: mean absolute elementary effect of a factor over its range (in the outcome's "
                            "unit), with its 95% interval; sigma: their spread (non-linearity or interactions). "
                            "Full table: sensitivity.csv.",
                            "mu*：因子在其取值范围内基本效应绝对值的均值（单位同结果），附95%置信区间；"
                            "sigma：基本效应的离散程度（非线性或交互作用）。完整表格见 sensitivity.csv。"),
    "sens_caption_delta": ("Delta: moment-independent importance of each factor (0 to 1); S1: first-order index "
                           "estimated from the same sample; bars: 95% intervals. Full table: sensitivity.csv.",
                           "Delta：各因子与矩无关的重要性（0到1）；S1：由同一样本估计的一阶指数；"
                           "误差线为95%置信区间。完整表格见 sensitivity.csv。"),
    "discovery_caption": ("Good design points: {conditions} ({good} points). A classification tree splits the "
                          "factor space; each box is a leaf where good points are the majority. Coverage: share "
                          "of all good points in the box; density: share of the box's points that are good.",
                          "良好设计点：{conditions}（共{good}个）。分类树划分因子空间，每个区域为良好点占多数的叶节点。"
                          "覆盖率：区域内良好点占全部良好点的比例；密度：区域内良好点所占比例。"),
    "no_boxes": ("No region where good points are the majority.", "未找到良好点占多数的区域。"),
    "prim": ("PRIM", "PRIM（耐心规则归纳法）"),
    "prim_caption": ("PRIM (EMA Workbench) peels the factor space from all sides towards a box ever denser in "
                     "good points; each dot is a peel step, trading coverage for density. The ringed step is the "
                     "densest that still covers at least {coverage} of the good points; its limits are in the "
                     "table. Every step: prim.csv.",
                     "PRIM（EMA Workbench）从各个方向逐步剥离因子空间，使区域内良好点越来越密；每个点是一步剥离，"
                     "以覆盖率换取密度。圈出的一步是覆盖至少{coverage}良好点的步骤中密度最高的；其界限见下表。"
                     "全部步骤见 prim.csv。"),
    "prim_skipped": ("PRIM was skipped: EMA Workbench is not installed. Install it (pip install 'simgov[ema]') "
                     "and analyse again with:",
                     "未运行 PRIM：未安装 EMA Workbench。请安装（pip install 'simgov[ema]'）后重新分析："),
    "prim_none": ("PRIM found no box: no design point is good, or every one is.",
                  "PRIM 未找到区域：没有良好设计点，或全部设计点都是良好点。"),
    "prim_title": ("PRIM peeling trajectory", "PRIM 剥离轨迹"),
    "prim_chosen": ("chosen step", "选定的一步"),
    "prim_res_dim": ("factors restricted", "受限因子数"),
    "low": ("from", "下限"),
    "high": ("to", "上限"),
    "sweep_prim_box": ("PRIM's box: {rule} (coverage {coverage}, density {density}).",
                       "PRIM 区域：{rule}（覆盖率{coverage}，密度{density}）。"),
    "box": ("box", "区域"),
    "rule": ("rule", "条件"),
    "coverage": ("coverage", "覆盖率"),
    "density": ("density", "密度"),
    "points": ("points", "设计点"),
    "other_points": ("other points", "其他设计点"),
    "good_points": ("good points", "良好设计点"),
    "best_box": ("best box", "最佳区域"),
    "also_bounded": ("The box also bounds: ", "该区域另限定："),
    "discovery_title": ("Best box: coverage {coverage:.0%}, density {density:.0%}",
                        "最佳区域：覆盖率{coverage:.0%}，密度{density:.0%}"),
    "resume_note": ("An interrupted sweep is finished, without rerunning what is done, by:",
                    "中断的扫描可用以下命令继续（已完成的运行不会重复）："),
    "not_significant": ("–", "–"),
    # the teaching demo (simgov demo)
    "demo_title": ("simgov teaching demo", "simgov 教学演示"),
    "demo_run": ("Run", "运行"),
    "demo_reset": ("Reset", "重置"),
    "demo_step": ("Step", "单步"),
    "demo_play": ("▶", "▶ 连续运行"),
    "demo_pause": ("❚❚", "❚❚ 暂停"),
    "demo_speed": ("Pause between weeks when playing (ms)", "连续运行时每周间隔（毫秒）"),
    "demo_setup": ("Setup", "设置"),
    "demo_scenario": ("Scenario", "情景"),
    "demo_seed": ("Seed", "随机种子"),
    "demo_more": ("more policies", "其他政策"),
    "demo_setup_note": ("Scenario and seed take effect at Reset; policies stay as set.",
                        "情景和随机种子在点击 Reset（重置）后生效；政策设置保持不变。"),
    "demo_policies": ("Policies", "政策"),
    "demo_policies_note": ("A change acts from the next step (week {week}) on; the run so far stays as it was.",
                           "更改从下一步（第{week}周）起生效，此前的运行结果不变。"),
    "demo_not_applied": ("Not applied", "未生效"),
    "demo_week": ("Week", "周次"),
    "demo_of_weeks": ("of {weeks}", "共{weeks}周"),
    "demo_colour_by": ("Colour residents by", "居民着色依据"),
    "demo_grievance": ("Grievance", "不满情绪"),
    "demo_taking_part": ("Taking part (recently)", "近期参与社区活动"),
    "demo_unmet": ("Has an unmet need", "有未满足的需求"),
    "demo_undetected": ("Has a need no service knows of", "有未被发现的需求"),
    "demo_yes": ("yes", "是"),
    "demo_no": ("no", "否"),
    "demo_vulnerable": ("vulnerable resident", "困难群体居民"),
    "demo_party": ("Party member", "党员"),
    "demo_volunteer": ("steady volunteer", "稳定志愿者"),
    "demo_hostile": ("hostile tie", "敌对关系"),
    "demo_dispute": ("open dispute", "未化解纠纷"),
    "demo_group_dispute": ("group dispute", "群体性纠纷"),
    "demo_network_title": ("Week {week}: {n} residents in {buildings} buildings",
                           "第{week}周：{buildings}栋楼的{n}名居民"),
    "demo_network_sample": ("Week {week}: {n} residents of {buildings} of {total} buildings",
                            "第{week}周：{total}栋楼中{buildings}栋的{n}名居民"),
    "demo_policy_change": ("policy changed", "政策调整"),
    "demo_disputes": ("Disputes open", "未化解纠纷"),
    "demo_all": ("all", "全部"),
    "demo_group": ("group disputes", "群体性纠纷"),
    "demo_needs": ("Residents with needs (share)", "有需求的居民比例"),
    "demo_unmet_short": ("unmet", "未满足"),
    "demo_undetected_short": ("undetected", "未被发现"),
    "demo_info": ("Info", "说明"),
    "demo_finished": ("The run has reached its last week; press Reset to start again.",
                      "已运行到最后一周；点击 Reset（重置）重新开始。"),
    "demo_lever_door_knocking": ("home visits a week", "每周入户走访户数"),
    "demo_lever_mediation": ("disputes the studio can take a week", "调解室每周可受理纠纷数"),
    "demo_lever_micro_venture_fund": ("fund budget (yuan)", "基金总额（元）"),
    "demo_lever_volunteer_pairing": ("vulnerable residents paired", "结对帮扶的困难居民数"),
    "demo_lever_needs_assessment": ("households surveyed a round", "每轮调查户数"),
    "demo_lever_org_incubation": ("groups incubated a year", "每年孵化的组织数"),
    "demo_lever_purchased_services": ("contract (yuan a year)", "购买服务金额（元/年）"),
    "demo_lever_social_enterprise": ("employees", "员工人数"),
    "demo_lever_deliberation_platform": ("meetings a month", "每月议事会次数"),
    "demo_lever_grid_management": ("grid workers added per grid", "每个网格新增网格员"),
    "demo_lever_employment_priority": ("local jobs a year", "每年本地优先就业岗位"),
    "demo_lever_volunteer_rewards": ("reward per volunteer hour (yuan)", "志愿服务每小时奖励（元）"),
    "demo_lever_mutual_aid_day": ("weeks between mutual-aid days", "互助日间隔（周）"),
    "demo_lever_three_party_mechanism": ("staff hours a week at the three-party table", "三方联席每周工作人员工时"),
    "demo_lever_red_property_management": ("social-worker hours a week guiding the three parties",
                                           "社工每周引导三方联动工时"),
    "demo_lever_linkage_platform": ("linkage strength the platform builds to", "联动平台的目标联动强度"),
}


#: A comparison under parameter uncertainty (simgov.uncertainty; simgov.report.decision_page).
DECISION_TEXT = {
    "decision_report": ("Comparison under uncertainty", "不确定性下的方案比较"),
    "decision_lead": ("Compared {arms} in {scenario}, each against {reference}, over {draws} draws of the "
                      "uncertain parameters ({source}): {reps} replicates of each arm per draw, {years} years "
                      "({weeks} weeks) after the warm-up.",
                      "在{scenario}中比较了{arms}，均以{reference}为参照，覆盖不确定参数的{draws}组抽样（{source}）："
                      "每组抽样每个方案{reps}次重复，模拟{years}年（{weeks}周，不含预热期）。"),
    "decision_best": ("{arm} is the best of these arms for {metric} with probability {p}",
                      "就{metric}而言，{arm}是这些方案中最好的，概率为{p}"),
    "decision_sensitive": ("the decision on {metric} (at {yuan} yuan a year per {unit}) is most sensitive to "
                           "`{path}` (EVPPI {value} yuan a year, {share} of the value of perfect information)",
                           "在每{unit}每年{yuan}元的支付意愿下，关于{metric}的决策对`{path}`最敏感"
                           "（部分完全信息期望值每年{value}元，占完全信息期望值的{share}）"),
    "decision_settled": ("no parameter's uncertainty changes the decision on {metric} at {yuan} yuan a year "
                         "per {unit}: {arm} has the largest net benefit in every draw",
                         "在每{unit}每年{yuan}元的支付意愿下，任何参数的不确定性都不改变关于{metric}的决策："
                         "{arm}在每组抽样中净收益最大"),
    "unit_point": ("percentage point", "个百分点"),
    "unit_one": ("unit", "单位"),
    "source_prior": ("their priors", "先验分布"),
    "source_posterior": ("the calibrated posterior {file}", "校准后验 {file}"),
    "decision_table": ("Which arm is best", "哪个方案最好"),
    "decision_caption": ("Probability that each arm is the best of those compared (P(best), adding up to 1 over "
                         "the arms) and that it is better than the reference, over the parameter draws, by each "
                         "metric's better direction (decision.csv).",
                         "在参数抽样中，各方案在所比较方案中最好的概率（P(最好)，各方案之和为1）及其优于参照方案的概率，"
                         "按各指标的更优方向判断（decision.csv）。"),
    "p_best": ("P(best)", "P(最好)"),
    "p_beats": ("P(better than {reference})", "P(优于{reference})"),
    "ceac_title": ("Cost-effectiveness acceptability", "成本效果可接受曲线"),
    "ceac_caption": ("Probability that each arm has the largest net benefit (yuan per unit of effect times the "
                     "effect, minus the extra cost a year), across the yuan a year one is willing to pay per "
                     "unit of effect (a percentage point, or one for counts); ceac.csv.",
                     "各方案净收益（每单位效果的支付意愿乘以效果，减去每年新增成本）最大的概率，随每单位效果"
                     "（一个百分点，计数指标为一）每年愿意支付的金额变化；ceac.csv。"),
    "yuan_per_unit_axis": ("yuan a year per unit of effect", "每单位效果每年支付意愿（元）"),
    "p_most_ce": ("probability most cost-effective", "成本效果最优的概率"),
    "evppi_title": ("Which uncertainty matters", "哪些不确定性最重要"),
    "evppi_caption": ("Expected value of partial perfect information (EVPPI, yuan a year): what knowing a "
                      "parameter exactly would be worth to the decision at {yuan} yuan a year per unit of effect, "
                      "by regression on the draws (Strong, Oakley & Brennan 2014); the largest {n} per outcome "
                      "(evppi.csv has all).",
                      "部分完全信息期望值（EVPPI，元/年）：在每单位效果每年{yuan}元的支付意愿下，准确知道某个参数对决策"
                      "的价值，由对抽样的回归估计（Strong, Oakley & Brennan 2014）；每个结果列出最大的{n}个"
                      "（evppi.csv含全部）。"),
    "parameter": ("parameter", "参数"),
    "evppi": ("EVPPI (yuan a year)", "EVPPI（元/年）"),
    "share_of_evpi": ("share of EVPI", "占EVPI比例"),
    "outcome": ("outcome", "结果"),
    "interval_both": ("Intervals cover parameter and replicate uncertainty (the mixture over the draws); "
                      "effects.csv also keeps the replicate-only interval (rep_ci_low, rep_ci_high).",
                      "区间同时涵盖参数与重复的不确定性（各抽样的混合分布）；effects.csv另存仅含重复不确定性的区间"
                      "（rep_ci_low、rep_ci_high）。"),
    "crn_draws": ("Every arm of a draw ran with the same replicate seeds, and every draw with the same seeds "
                  "(common random numbers), so differences are the policies' and the parameters' effects.",
                  "同一抽样的各方案使用相同的重复随机种子，各抽样也使用相同种子（共同随机数），差异来自政策与参数。"),
}
TEXT.update(DECISION_TEXT)


def t(key: str, lang: str = "en") -> str:
    """A text of the report in ``lang``."""
    return TEXT[key][LANGS.index(lang)]


def texts(lang: str = "en") -> dict[str, str]:
    """Every text of the report in ``lang``, by key (for the templates)."""
    i = LANGS.index(lang)
    return {key: pair[i] for key, pair in TEXT.items()}


def metric(name: str, lang: str = "en") -> str:
    return METRIC[name][LANGS.index(lang)] if name in METRIC else name


def policy(name: str, lang: str = "en") -> str:
    return POLICY[name][LANGS.index(lang)] if name in POLICY else name


def shock(name: str, lang: str = "en") -> str:
    return SHOCK[name][LANGS.index(lang)] if name in SHOCK else name


def arm(name: str, lang: str = "en") -> str:
    """An arm's display name: the policy's name for arms named after one, else the name."""
    if name == "baseline":
        return t("baseline", lang)
    return policy(name, lang) if name in POLICY else name


def arm_label(name: str, spec: dict, lang: str = "en") -> str:
    """An arm's display name: the scenario's ``label`` (``label_zh`` in Chinese) where it gives
    one, else ``arm`` (the policy's name for arms named after one), else the name in words."""
    own = spec.get("label_zh" if lang == "zh" else "label")
    if own:
        return own
    if name == "baseline" or name in POLICY:
        return arm(name, lang)
    return name.replace("_", " ").replace("-", " ").capitalize()


def check_lang(lang: str) -> str:
    from simgov.errors import InputError, Problem, allowed

    if lang not in LANGS:
        raise InputError(Problem(f"unknown report language '{lang}'; allowed: {allowed(LANGS)}", path="--lang"))
    return lang
