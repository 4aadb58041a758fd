"""A compare report in a real browser (Debian's chromium through Playwright, as the demo's browser
test): the summary is the first thing on the page, above every figure, and holds every arm's label."""

import shutil

import pytest

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(./dev test installs it with apt-get when run as root; or: apt-get install chromium)")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summary_is_first_on_screen_and_names_every_arm(compare_dir, tmp_path, lang):
    from simgov.report import build_report
    from simgov.report.run_page import RunReport

    folder = tmp_path / lang
    shutil.copytree(compare_dir, folder)
    build_report(folder, lang)
    labels = [RunReport(folder, lang).arm(a) for a in ("baseline", "mediation", "door_knocking")]
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = []
            page.on("pageerror", lambda e: errors.append(e))
            page.goto((folder / "report.html").as_uri())
            summary = page.locator("#summary")
            top = summary.bounding_box()
            assert top is not None and top["y"] < 300  # on the first screen
            first_figure = page.locator("img").first.bounding_box()
            assert first_figure["y"] > top["y"] + top["height"]  # every figure comes after it
            text = summary.inner_text()
            for label in labels:
                assert label in text, label
            assert page.locator("#summary .arm").count() == 3  # only the arms that ran
            assert not errors
        finally:
            browser.close()
