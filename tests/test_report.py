"""Reports: sections, figure files, languages, and rebuilding from a results folder."""

import base64
import re

import matplotlib.image as mpimg
import pytest

from simgov.cli import main
from simgov.metrics import METRIC_NAMES
from simgov.policies import POLICY_TYPES
from simgov.report import build_report
from simgov.report import labels as L
from simgov.report.style import cjk_font


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    assert main(["run", "b-community", "--reps", "2", "--weeks", "6", "--out", str(out), "--quiet"]) == 0
    return out


def figures_are_images(folder, names):
    for name in names:
        path = folder / "figures" / f"{name}.png"
        assert path.is_file(), name
        image = mpimg.imread(path)
        assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 200, name


def embedded_svgs(html: str) -> list[str]:
    return [base64.b64decode(b).decode() for b in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)]


def test_run_report_has_its_sections_and_figures(run_dir):
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    for heading in ("The scenario", "Key numbers", "Over time", "The community&#39;s network", "Reproduce"):
        assert heading in html, heading
    assert "Effects against" not in html  # a run compares nothing
    figures_are_images(run_dir, ["timeseries", "network"])
    assert len(embedded_svgs(html)) == 2
    assert "http" not in html.split("<body>")[1].replace("http://www.w3.org", "")  # nothing fetched


def test_compare_report_has_forest_plot_and_cost_effectiveness(compare_dir):
    html = (compare_dir / "report.html").read_text(encoding="utf-8")
    for heading in ("Effects against baseline", "Cost and cost-effectiveness", "effect per 10,000 yuan",
                    "effect per 100 staff hours", "Mediation (1+1+3)", "Door-knocking"):
        assert heading in html, heading
    figures_are_images(compare_dir, ["timeseries", "effects", "cost_effectiveness", "network"])
    assert len(embedded_svgs(html)) == 4


def test_chinese_report_uses_chinese_labels_and_a_cjk_font(compare_dir, tmp_path):
    import shutil

    folder = tmp_path / "zh"
    shutil.copytree(compare_dir, folder)
    assert main(["report", str(folder), "--lang", "zh"]) == 0
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    for text in ("关键指标", "社区凝聚力指数", "未化解群体性纠纷", "天天敲门", "“1+1+3”调解",
                 "成本与成本效益", "每万元效果"):
        assert text in html, text
    assert "Key numbers" not in html and "Over time" not in html
    font = cjk_font()
    assert font is not None, "a CJK font must be installed (.ci/run installs fonts-noto-cjk)"
    assert f'name="figure-font" content="{font}"' in html
    assert "Noto Sans CJK SC" in html.split("</style>")[0]  # the page's own font choice
    svgs = embedded_svgs(html)
    assert any("社区凝聚力指数" in s for s in svgs)  # figure text kept as text...
    assert all(font in s for s in svgs if "社区" in s)  # ...with the CJK font named
    figures_are_images(folder, ["timeseries", "effects"])


def test_report_rebuilds_from_the_folder_alone(run_dir):
    (run_dir / "report.html").unlink()
    for png in (run_dir / "figures").glob("*.png"):
        png.unlink()
    build_report(run_dir, "en")
    assert (run_dir / "report.html").is_file() and (run_dir / "figures" / "timeseries.png").is_file()


def test_report_command_refuses_a_folder_without_results(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "not a simgov results folder" in capsys.readouterr().err


def test_every_metric_and_policy_has_both_labels():
    for name in METRIC_NAMES:
        assert name in L.METRIC and all(L.METRIC[name]), name
    for name in POLICY_TYPES:
        assert name in L.POLICY and all(L.POLICY[name]), name
    for key, pair in L.TEXT.items():
        assert len(pair) == len(L.LANGS) and all(pair), key
    assert any("\u4e00" <= ch <= "\u9fff" for ch in L.metric("cohesion_index", "zh"))


# ---------------------------------------------------------------------------- the summary first
def summary_of(html: str) -> str:
    return html.split('<section id="summary">', 1)[1].split("</section>", 1)[0]


def test_the_summary_comes_before_any_figure_and_names_every_arm_that_ran(compare_dir):
    html = (compare_dir / "report.html").read_text(encoding="utf-8")
    assert html.index('<section id="summary">') < html.index("<img")
    summary = summary_of(html)
    for label in ("baseline", "Mediation (1+1+3)", "Door-knocking"):
        assert label in summary, label
    assert "Micro-venture fund" not in html  # an arm of the scenario that did not run
    for text in ("Policy cost a year", "Binding constraints", "What this rests on", "Validation:"):
        assert text in summary, text
    assert re.search(r"(better|worse|unclear)", summary)


def test_one_replicate_says_so_instead_of_printing_nan(tmp_path):
    out = tmp_path / "one"
    assert main(["compare", "b-community", "--reps", "1", "--weeks", "3", "--arm", "mediation", "--out", str(out),
                 "--quiet"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"\bnan\b", html.lower())
    assert "one replicate: no interval" in summary_of(html)


def test_numbers_are_formatted_by_kind():
    from simgov.report import numbers as N

    assert N.metric_value(0.1234, "unmet_needs_share") == "12.3%"
    assert N.metric_value(124.0, "disputes_open") == "124"
    assert N.metric_value(1234567.0, "spend_yuan_total") == "1,234,567"
    assert N.metric_value(0.41234, "cohesion_index") == "0.412"
    assert N.metric_difference(0.012, "unmet_needs_share") == "+1.2 pp"
    assert N.metric_difference(-0.00001, "cohesion_index") == "0.000"  # no "-0.000"
    assert N.interval(float("nan"), float("nan"), "disputes_open", one_replicate="none") == "none"
    # each metric's declared better direction decides
    assert N.direction("disputes_open", -3.0, -5.0, -1.0) == "better"
    assert N.direction("cohesion_index", -0.01, -0.02, -0.005) == "worse"
    assert N.direction("cohesion_index", 0.01, -0.02, 0.03) == "unclear"
    assert N.direction("clustering", 0.01, 0.005, 0.02) == "neutral"


def test_a_pool_binds_when_used_up_in_most_weeks_and_a_balance_when_it_runs_out():
    import pandas as pd

    from simgov.report import constraints

    weeks = range(0, 11)
    ts = pd.DataFrame({"week": weeks, "staff_hours_available": 100.0,
                       "staff_hours_used": [100.0] * 8 + [50.0] * 3,  # used up in 7 of 10 weeks
                       "volunteer_hours_available": 100.0, "volunteer_hours_used": 40.0,
                       "committee_balance_yuan": [500.0, 100.0] + [0.0] * 9,
                       "fund_balance_yuan": 0.0,  # never held money: binds nothing
                       "social_worker_hours_available": 10.0, "social_worker_hours_used": 5.0,
                       "social_worker_hours_short": [0.0] * 5 + [3.0] * 6})  # asked beyond what it had, 6 of 10
    assert constraints.recorded(ts) == ["staff_hours", "social_worker_hours", "volunteer_hours",
                                        "committee_balance_yuan", "fund_balance_yuan"]
    bound = dict(constraints.binding(ts))
    assert set(bound) == {"staff_hours", "social_worker_hours", "committee_balance_yuan"}
    assert bound["social_worker_hours"] == 0.6
    assert bound["staff_hours"] == 0.7 and bound["committee_balance_yuan"] == 0.9
    assert constraints.recorded(ts[["week"]]) == []


def test_share_axes_span_at_least_the_minimum_and_counts_start_at_zero():
    import matplotlib.pyplot as plt

    from simgov.report.figures import MIN_SHARE_SPAN, honest_ylim

    fig, ax = plt.subplots()
    honest_ylim(ax, "cohesion_index", 0.46, 0.48)
    low, high = ax.get_ylim()
    assert high - low >= MIN_SHARE_SPAN - 1e-9 and low <= 0.46 and high >= 0.48 and 0 <= low and high <= 1
    honest_ylim(ax, "participation_rate", 0.01, 0.03)
    assert ax.get_ylim()[0] == 0.0
    honest_ylim(ax, "disputes_open", 14.0, 35.0)
    assert ax.get_ylim()[0] == 0.0 and ax.get_ylim()[1] > 35.0
    plt.close(fig)


def test_totals_to_date_are_read_at_the_end_not_averaged(run_dir):
    import pandas as pd

    from simgov.report.run_page import RunReport

    report = RunReport(run_dir, "en")
    summary = pd.read_csv(run_dir / "summary.csv")
    end = summary[(summary.metric == "spend_yuan_total")]["final"].mean()
    table = report.key_numbers()["table"]
    row = next(r for r in table["rows"] if r[0] == L.metric("spend_yuan_total"))
    assert row[1]["text"] == f"{end:,.0f}"


def test_a_scenario_that_extends_another_does_not_borrow_its_description(tmp_path):
    from simgov.scenario import load_scenario

    child = tmp_path / "child.yaml"
    child.write_text("extends: b-community\nname: child\nactors:\n  cadres: 3\n", encoding="utf-8")
    sc = load_scenario(child)
    assert sc.description == "" and sc.title == ""
    assert load_scenario("b-community").description  # the parent keeps its own


def test_report_text_in_the_scenario_file_is_escaped(tmp_path):
    child = tmp_path / "esc.yaml"
    child.write_text("extends: b-community\nname: esc\ndescription: \"<script>alert(1)</script>\"\n",
                     encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(child), "--reps", "1", "--weeks", "2", "--out", str(out), "--quiet"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
