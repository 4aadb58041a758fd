"""The demo's info panel, in the NetLogo style, in English and Chinese: what it is, how it works,
how to use it, things to notice, things to try.

What "things to notice" says was checked by running the experiments as a class would
(``experiments/teaching_lesson.py``: the teaching estate, a policy switched on at week 52,
ten seeds); the numbers of "things to try" are that script's, read from its record
(simgov.demo.lesson), as docs/teaching.md's are.
"""

from __future__ import annotations

import re

from simgov.demo.lesson import panel_numbers

SECTIONS = ("what", "how", "use", "notice", "try", "credits")

TITLES = {
    "what": ("What is it?", "这是什么？"),
    "how": ("How it works", "模型如何运作"),
    "use": ("How to use it", "如何使用"),
    "notice": ("Things to notice", "值得注意的现象"),
    "try": ("Things to try", "可以尝试的实验"),
    "credits": ("Credits and references", "致谢与参考资料"),
}

TEXT = {
    "what": (
        """A small simulated estate in a Chinese city, where the residents' committee and the Party
branch work with social organisations, social workers, volunteers and charity money
("Party-building-led five-society linkage", 党建引领 五社联动). Each dot is a resident; the
picture groups them by building and household. Each step is one week. You can switch the
community's practices on and off while it runs (door-knocking, mediation, a micro-venture
fund and ten others) and watch cohesion and conflict respond.

It is a teaching model: the estate is illustrative (B community's proportions scaled down to a
few hundred residents) and its effect sizes are assumptions from the literature, not
measurements. Use it to reason about mechanisms, not to forecast a real community.""",
        """一个模拟的中国城市小区：居委会和党组织联合社会组织、社会工作者、社区志愿者和社会慈善资源
开展工作（党建引领“五社联动”）。每个点代表一位居民，按楼栋和家庭分组排列。每一步代表一周。
运行过程中可以随时开启或关闭社区的各项做法（天天敲门、“1+1+3”调解、微创投以及其他十项政策），
观察社区凝聚力与矛盾冲突如何变化。

这是一个教学模型：小区是示意性的（按B社区的人口构成缩小到几百名居民），各项效果的大小是根据
文献设定的假设，而非实测数据。请用它来理解机制，而不是预测某个真实社区。"""),
    "how": (
        """Every week runs eight mechanisms in order:

1. **Needs** arise (care, health, money, legal ...), more often among elderly, disabled and low-income residents.
2. **Outreach** finds them: residents report some themselves, volunteers and Party members refer others, visits find more; isolated residents' needs stay hidden.
3. **Services** meet known needs within the weekly hours of cadres, social workers, volunteers and organisations.
4. **Disputes** arise between neighbours and in buildings; left alone, some escalate to multi-party and group disputes; they resolve or relapse.
5. **Participation** spreads from friend to friend (complex contagion), from a core of Party members, retirees and volunteers; taking part forms new ties; volunteers can burn out.
6. **Organisations** form around active residents, recruit and fold.
7. **Resources**: the budget, grants and donations.
8. **Influence**: trust and belonging spread over friendly ties and are dragged down by hostile ties and disorder.

Policies act through these mechanisms: door-knocking makes visits (needs found, trust in the
committee, an invitation to take part); mediation takes disputes in hand before they escalate;
the micro-venture fund pays residents' projects, whose teams become organisations and invite
their friends. The cohesion index is the mean of trust in neighbours, trust in the committee,
belonging, participation and not being isolated.""",
        """每周依次运行八个机制：

1. **需求**产生（照料、健康、经济、法律等），老年、残疾和低收入居民更常出现。
2. **发现**需求：一部分由居民自己反映，一部分由志愿者和党员转介，走访能发现更多；孤立居民的需求往往被隐藏。
3. **服务**在社区干部、社工、志愿者和社会组织每周的服务时间内满足已知需求。
4. **纠纷**在邻里之间和楼栋里产生；无人处理时，一部分会升级为多方纠纷和群体性纠纷；纠纷可能化解，也可能复发。
5. **参与**在朋友之间传播（复杂传染），从党员、退休居民和志愿者这一核心向外扩散；参加活动会结识新朋友；志愿者可能倦怠流失。
6. **社会组织**围绕活跃居民成立、招募成员，也可能解散。
7. **资源**：预算、项目资助和捐赠。
8. **影响**：信任和归属感沿友好关系传播，敌对关系和社区失序会拉低它们。

政策通过这些机制起作用：天天敲门开展入户走访（发现需求、提升对居委会的信任、邀请居民参与）；
调解在纠纷升级前介入；微创投资助居民的项目，项目团队会成为社会组织并带动朋友参与。
社区凝聚力指数是邻里信任、对居委会的信任、归属感、参与率和“非孤立”五项的平均值。"""),
    "use": (
        """- **Reset** builds the community again from the chosen scenario and seed (week 0). The same seed gives the same run.
- **Step** simulates one week; **▶** plays week after week and **❚❚** pauses; the slider sets the pause between weeks.
- **Policies**: a switch turns a practice on or off, its slider sets its size (visits a week, cases a week, the fund's budget ...). A change acts from the next week on: the weeks already run stay as they were, and a dotted line marks the change on the plots. The settings stay when you press Reset, so you can also start a run with them from week 0.
- **Colour residents by** chooses what the colours show: trust, belonging, grievance, who took part recently, who has an unmet need, whose need no service knows of.
- In the picture: a black ring is a vulnerable resident (empty-nest elderly, disabled, low-income, special groups), a red diamond a Party member, a green square a steady volunteer; grey lines are ties (darker = stronger), dashed red lines hostile ties, thick orange lines open disputes and thick dark red lines group disputes.""",
        """- **Reset（重置）**按所选情景和随机种子重新生成社区（第0周）。相同的种子得到相同的运行结果。
- **Step（单步）**模拟一周；**▶**逐周连续运行，**❚❚**暂停；滑块设置每周之间的间隔。
- **政策**：开关用于开启或关闭一项做法，滑块设置其规模（每周走访户数、每周受理纠纷数、基金总额等）。更改从下一周起生效：已运行的各周保持不变，图中以点线标出更改的时间。点击 Reset 时政策设置保持不变，因此也可以从第0周起带着这些设置运行。
- **居民着色依据**选择颜色表示的内容：邻里信任、对居委会的信任、归属感、不满情绪、近期是否参与活动、是否有未满足的需求、是否有未被发现的需求。
- 图中：黑色圆环为困难群体居民（空巢老人、残疾人、低收入家庭、特殊人群），红色菱形为党员，绿色方块为稳定志愿者；灰色连线为社会关系（颜色越深关系越强），红色虚线为敌对关系，粗橙线为未化解纠纷，粗深红线为群体性纠纷。"""),
    "notice": (
        """- Needs come and go every week, and most unmet needs in this estate are *undetected*: no service knows of them. Colour by "has a need no service knows of" and look at who the blue dots are: mostly vulnerable (ringed) residents, with fewer ties than most.
- Door-knocking works first on trust in the committee and on hidden needs, not on neighbours' trust: watch "trust in the committee" (colour) and the "undetected" line, not only the cohesion index.
- Disputes are rare events in a few hundred residents: one run can show a group dispute that another never has. A difference in one run is one story; the Things to try section says how to check it.
- Organisations grow in steps: the micro-venture fund funds projects twice a year, and each round adds new groups at once.
- What a policy leaves behind differs: switch door-knocking off after a year and watch how fast hidden needs and the trust in the committee it built go back (Things to try, 4).""",
        """- 需求每周都在产生和满足，而本小区大多数未满足的需求是*未被发现*的：没有任何服务知道它们。选择“有未被发现的需求”着色，看看蓝点是谁：大多是困难群体居民（带圆环），他们的社会关系比多数居民少。
- 天天敲门首先影响的是对居委会的信任和隐藏的需求，而不是邻里之间的信任：请关注“对居委会的信任”着色和“未被发现”曲线，而不只是凝聚力指数。
- 在几百人的小区里，纠纷是偶发事件：一次运行中出现的群体性纠纷，另一次运行可能从未出现。一次运行中的差异只是一个故事；“可以尝试的实验”一节说明如何检验。
- 社会组织是阶梯式增长的：微创投每年两轮资助项目，每一轮都会一下子增加几个新团体。
- 政策留下的影响各不相同：一年后关闭天天敲门，观察隐藏的需求和它建立起来的对居委会的信任各自以多快的速度回落（见“可以尝试的实验”第4条）。"""),
    "try": (
        """1. **Door-knocking and hidden needs.** Reset, play to week 52 and note "undetected" needs and trust in the committee. Switch door-knocking on (3 visits a week) and play to week 156. Then Reset and do it again with 15 visits a week. Over {seeds} seeds, 3 visits took undetected needs in the third year from {d3_u0} to {d3_u1} of residents and trust in the committee from {d3_t0} to {d3_t1}; 15 visits took them to {d15_u1} and {d15_t1}.
2. **Mediation and group disputes.** Reset, play to week 52 with colour by grievance, and watch the orange and red lines. Switch mediation on at 1 case a week, play on; then try 5. Over {seeds} seeds, open disputes in the third year went from {m_d0} to {m_d1} on average ({m5_d1} with 5 cases) and the share of disputes resolved from {m_r0} to {m_r1}; group disputes were open {m_g0} on average without mediation and {m_g1} with it, and seeds differ a lot. Change the seed and run it again: does the same happen?
3. **Micro-venture fund and participation.** Reset, play to week 52, colour by "taking part". Switch the fund on (20,000 yuan) and play on; watch active organisations jump at each funding round, and where in the picture the new participants are. Over {seeds} seeds, organisations in the third year went from {f_o0} to about {f_o1} and participation from {f_p0} to {f_p1}.
4. **Switching off.** Run door-knocking at 15 visits a week from week 53 to 104 only, then switch it off. Over {seeds} seeds, in the year after, undetected needs were at {off_u} ({kept_u} had it stayed on, {never_u} without it), and trust in the committee at {off_t} ({kept_t} on, {never_t} without). Which effect lasts longer, and why?
5. Put the three together with a small budget and compare with each alone. For claims about effects, use `simgov compare teaching-estate --reps 10`, which runs every arm with the same seeds and gives 95% intervals.""",
        """1. **天天敲门与隐藏的需求。**点击 Reset，运行到第52周，记下“未被发现”的需求和对居委会的信任。开启天天敲门（每周3户），运行到第156周。然后重置，改为每周15户再做一次。在{seeds}个随机种子下，每周走访3户使第三年需求未被发现的居民比例由{d3_u0}变为{d3_u1}，对居委会的信任由{d3_t0}变为{d3_t1}；每周15户则分别为{d15_u1}和{d15_t1}。
2. **调解与群体性纠纷。**点击 Reset，按“不满情绪”着色运行到第52周，观察橙色和红色连线。开启调解（每周受理1件）继续运行；再试每周5件。在{seeds}个随机种子下，第三年未化解纠纷平均由{m_d0}件变为{m_d1}件（每周5件时为{m5_d1}件），纠纷化解率由{m_r0}变为{m_r1}；未化解的群体性纠纷平均在无调解时为{m_g0}件，有调解时为{m_g1}件，不同种子之间差别很大。换一个随机种子再运行一次：还会这样吗？
3. **微创投与社区参与。**点击 Reset，运行到第52周，按“近期参与社区活动”着色。开启微创投（基金2万元）继续运行；观察每轮资助时活跃社会组织数的跃升，以及新参与的居民出现在图中的什么位置。在{seeds}个随机种子下，第三年社会组织由{f_o0}个变为约{f_o1}个，参与率由{f_p0}变为{f_p1}。
4. **关闭政策。**只在第53至104周开启天天敲门（每周15户），然后关闭。在{seeds}个随机种子下，随后一年需求未被发现的比例为{off_u}（一直开启为{kept_u}，从未开启为{never_u}），对居委会的信任为{off_t}（一直开启为{kept_t}，从未开启为{never_t}）。哪一种效果持续得更久？为什么？
5. 在有限预算下同时开启三项政策，与单独开启每一项比较。关于效果的结论，请使用 `simgov compare teaching-estate --reps 10`：它用相同的随机种子运行每个方案，并给出95%置信区间。"""),
    "credits": (
        """simgov: an agent-based model on Mesa. The teaching estate follows B community (Yang Shan
2021, a public-housing community in Chongqing) scaled down, with practices from Wuhan,
Nanjing, Chengdu and Luzhou cases (see the scenario file, `simgov show teaching-estate`).
Mechanisms and their sources: docs/mechanisms.md; policies: docs/policies.md; the lesson
plan: docs/teaching.md.""",
        """simgov：基于 Mesa 的多主体模型。教学小区参照B社区（杨珊，2021，重庆市保障性住房社区）按比例
缩小，各项做法参照武汉、南京、成都和泸州的案例（见情景文件，`simgov show teaching-estate`）。
机制及其来源：docs/mechanisms.md；政策：docs/policies.md；教案：docs/teaching.md。"""),
}


def info_markdown(lang: str = "en") -> str:
    """The whole info text in ``lang`` as Markdown. Chinese lines wrapped in the source are joined
    within a paragraph: a line break there would show as a space between characters."""
    k = 0 if lang == "en" else 1

    def text(section: str) -> str:
        body = TEXT[section][k]
        if section == "try":  # the lesson script's numbers (simgov.demo.lesson)
            body = body.format_map(panel_numbers())
        return re.sub(r"(?<=\S)\n(?=[^\n\-0-9])", "", body) if lang == "zh" else body

    return "\n\n".join(f"### {TITLES[s][k]}\n\n{text(s)}" for s in SECTIONS)
