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
def compare_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp")
    assert main(["compare", "b-community", "--reps", "2", "--weeks", "8", "--arm", "mediation",
                 "--arm", "door_knocking", "--out", str(out), "--quiet"]) == 0
    return out


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
    for heading in ("The scenario", "Key numbers", "Over time", "The community&#x27;s network", "Reproduce"):
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
