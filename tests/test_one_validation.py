"""One validation whatever the source: every number finite and a number, every flag a boolean,
and an event's kind that fits its date, refused from data/ before anything can be published.

(The same rules read back from PostGIS: tests/test_database_path.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_geo


def _replace_first(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        pytest.param(
            "metadata/figures.yaml",
            "    - value: 50\n",
            "    - value: .nan\n",
            "data/metadata/figures.yaml: icic-kz-section-area: field 'alternatives[0].value': "
            "Input should be a finite number (got nan)",
            id="nan-alternative",
        ),
        pytest.param(
            "metadata/figures.yaml",
            "    - value: 50\n",
            "    - value: -.inf\n",
            "data/metadata/figures.yaml: icic-kz-section-area: field 'alternatives[0].value': "
            "Input should be a finite number (got -inf)",
            id="infinite-alternative",
        ),
        pytest.param(
            "metadata/figures.yaml",
            "    - value: 50\n",
            "    - value: true\n",
            "data/metadata/figures.yaml: icic-kz-section-area: field 'alternatives[0].value': "
            "Input should be a valid number (got True)",
            id="boolean-as-number",
        ),
        pytest.param(
            "metadata/sources.yaml",
            "  title_is_descriptive: true\n",
            "  title_is_descriptive: 1\n",
            "data/metadata/sources.yaml: art-kz-pm-dushanbe-2024: field 'title_is_descriptive': "
            "Input should be a valid boolean (got 1)",
            id="number-as-boolean",
        ),
        pytest.param(
            "maps.yaml",
            "zoom: 8}",
            "zoom: true}",
            "data/maps.yaml: kazakhstan-uzbekistan: field 'view.zoom': Input should be a valid integer (got True)",
            id="boolean-as-zoom",
        ),
        pytest.param(
            "metadata/events.yaml",
            'date: "2023-05-05"\n  date_precision: day\n  place: Tashkent\n  countries: [KZ, UZ]\n  projects: [central-asia-icic]',
            'date: "2030-05-05"\n  date_precision: day\n  place: Tashkent\n  countries: [KZ, UZ]\n  projects: [central-asia-icic]',
            "data/metadata/events.yaml: icic-roadmap-signed: field 'date': a 'signed' event dated 2030-05-05 lies "
            "after the newest source reporting it (2023-05); mark it `planned: true` if the sources report it as scheduled",
            id="signed-after-its-sources",
        ),
    ],
)
def test_a_value_no_column_could_carry_back_is_refused(
    data_copy: Path, file: str, old: str, new: str, expected: str
) -> None:
    _replace_first(data_copy / file, old, new)
    result = run_geo("--data", str(data_copy), "validate", cwd=data_copy.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = [line.removeprefix("  - ") for line in result.stderr.splitlines()[1:]]
    assert expected in problems, result.stderr


def test_a_planned_signing_may_lie_after_its_sources(data_copy: Path) -> None:
    _replace_first(
        data_copy / "metadata" / "events.yaml",
        'date: "2023-05-05"\n  date_precision: day\n  place: Tashkent\n  countries: [KZ, UZ]\n  projects: [central-asia-icic]',
        'date: "2030"\n  date_precision: year\n  planned: true\n  place: Tashkent\n  countries: [KZ, UZ]\n  projects: [central-asia-icic]',
    )
    result = run_geo("--data", str(data_copy), "validate", cwd=data_copy.parent)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("event", "newest", "refused"),
    [
        ("2023", "2023-05", False),
        ("2023-06", "2023-05", True),
        ("2023-05-31", "2023-05", False),
        ("2024-01-01", "2023", True),
    ],
)
def test_partial_dates_compare_by_their_widest_reading(event: str, newest: str, refused: bool) -> None:
    from geo.validate import _first_day, _last_day

    assert (_first_day(event) > _last_day(newest)) is refused
