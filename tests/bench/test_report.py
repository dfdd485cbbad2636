from collections import Counter

from bench.load import Measurement
from bench.report import Page, Report, Row

HEALTHZ = Page("/healthz/", "planner", "baseline")
HOME = Page("/", "planner", "home page")


def _report():
    first = Measurement("/healthz/", seconds=10, ok=2200)
    last = Measurement("/healthz/", seconds=10, ok=1800)
    report = Report(
        when="today", machine={"CPUs (nproc)": "2"}, data={"agencies": 920}, settings={}, baseline_runs=[first, last]
    )
    report.rows = [
        Row(HEALTHZ, Measurement("/healthz/", seconds=20, ok=4000), 1),
        Row(HOME, Measurement("/", seconds=10, ok=500, errors=Counter({502: 3})), 7),
    ]
    return report


def test_throughput_is_given_as_a_ratio_to_the_healthz_runs():
    report = _report()

    assert report.baseline == 200
    assert report.table()[2][:6] == ["`/`", "planner", "home page", "0.25", "50", "7"]
    assert report.table()[1][3] == "1.00"


def test_the_results_file_has_the_table_machine_data_and_how_to_reproduce():
    text = _report().markdown()

    assert "| `/` | planner | home page | 0.25 | 50 | 7 | 502: 3 |" in text
    assert "start → end of the run: 220 → 180" in text
    assert "- CPUs (nproc): 2" in text and "- agencies: 920" in text
    assert "make bench" in text


def test_the_monthly_report_timing_has_its_own_section():
    report = _report()
    assert "## Monthly report" not in report.markdown()

    report.monthly = ["- full build: 2.00 s; **1.10 × WeasyPrint alone**."]

    text = report.markdown()
    assert "## Monthly report\n\n- full build: 2.00 s; **1.10 × WeasyPrint alone**.\n" in text
