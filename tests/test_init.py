"""`handouts init` (issue 25, item 3): a new clinic's commented clinic.yaml and empty content folder, asked or given as
options, vetted before anything is written, never replaced without --force, and checked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import flat, pdf_text
from handouts import load_library
from handouts.model import LANGS

HARBOR = ["--name", "Harbor Light Acupuncture", "--phone", "(207) 555-0142", "--address", "12 Wharf Street",
          "--address", "Portland, ME 04101", "--colour", "#1f4e9a", "--practitioner", "Mei Chen, L.Ac.",
          "--practitioner", "Sam Ortiz, L.Ac.", "--languages", "en", "--offers", "hip-pain,low-back-pain",
          "--booking-url", "https://harborlight.example/book", "--emergency-number", "911", "--logo", "",
          "--crisis-line", "988"]


@pytest.fixture
def logo(tmp_path) -> Path:
    from PIL import Image

    path = tmp_path / "harbor-logo.png"
    Image.new("RGB", (600, 200), "#1F4E9A").save(path)
    return path


def test_init_with_options_writes_a_commented_profile_that_loads_and_prints(run, tmp_path, logo):
    folder = tmp_path / "harbor"
    result = run("init", folder, *HARBOR, "--logo", logo)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output and "Next, print a test sheet" in result.output
    for sub in ("conditions", "sections", "points", "brochures/conditions"):
        assert (folder / sub).is_dir() and not any((folder / sub).iterdir())
    assert (folder / "logo.png").read_bytes() == logo.read_bytes()
    clinic = load_library(folder).clinic
    assert clinic.name == "Harbor Light Acupuncture" and clinic.phone == "(207) 555-0142"
    assert clinic.address == ("12 Wharf Street", "Portland, ME 04101") and clinic.colour == "#1F4E9A"
    assert clinic.practitioners == ("Mei Chen, L.Ac.", "Sam Ortiz, L.Ac.") and clinic.logo == "logo.png"
    assert clinic.languages == ("en",) and clinic.offers == ("hip-pain", "low-back-pain")
    assert clinic.booking_url == "https://harborlight.example/book" and clinic.crisis_line == "988"
    out = tmp_path / "test.pdf"
    assert run("leaflet", "hip-pain", "--content", folder, "-o", out).exit_code == 0
    text = flat(" ".join(pdf_text(out)))
    assert "Harbor Light Acupuncture" in text and "(207) 555-0142" in text and "Clifton" not in text


def test_every_field_of_the_clinic_profile_is_explained_in_the_written_file(run, tmp_path):
    from handouts.library.schema import Clinic

    folder = tmp_path / "c"
    assert run("init", folder, *HARBOR).exit_code == 0
    lines = (folder / "clinic.yaml").read_text("utf-8").splitlines()
    for name in Clinic.model_fields:
        at = next((i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{name}:")), None)
        assert at is not None, f"{name} is not in the written clinic.yaml"
        assert lines[at - 1].startswith("# ") and not lines[at - 1].lstrip("# ").startswith(f"{name}:"), \
            f"{name} has no comment above it"


def test_init_asks_for_what_is_not_given_and_asks_again_after_a_wrong_answer(run, tmp_path):
    folder = tmp_path / "asked"
    answers = "\n".join([
        "Harbor Light Acupuncture",       # name
        "12 Wharf Street", "Portland, ME 04101", "",  # address lines, then an empty line
        "(207) 555-0142",                 # phone
        "",                               # booking page: none
        "",                               # emergency number: 911
        "988",                            # crisis line
        "blue", "#1F4E9A",                # a colour that is not one, then one
        "",                               # logo: none
        "Mei Chen, L.Ac.", "",            # practitioners
        "en,fr", "en",                    # a language we do not have, then one
        "hip-pian", "hip-pain",           # a misspelt condition, then the right one
    ]) + "\n"
    result = CliInput(run)("init", folder, input=answers)
    assert result.exit_code == 0, result.output
    assert "'#blue' is not a colour in the form #RRGGBB" in result.output
    assert "fr: give one or more of en, es, zh" in result.output
    assert "no condition 'hip-pian' (did you mean 'hip-pain'?)" in result.output
    clinic = load_library(folder).clinic
    assert clinic.colour == "#1F4E9A" and clinic.languages == ("en",) and clinic.offers == ("hip-pain",)
    assert clinic.emergency_number == "911" and clinic.booking_url is None and clinic.logo is None


def CliInput(run):
    from click.testing import CliRunner

    from conftest import main

    def _run(*args, input: str):
        return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return _run


def test_an_existing_clinic_yaml_is_kept_without_force_and_replaced_with_it(run, tmp_path):
    folder = tmp_path / "c"
    assert run("init", folder, *HARBOR).exit_code == 0
    before = (folder / "clinic.yaml").read_text("utf-8")
    result = run("init", folder, *HARBOR[:-2], "--crisis-line", "")
    assert result.exit_code == 1
    assert f"{folder / 'clinic.yaml'} exists; use --force to replace it" in result.output
    assert (folder / "clinic.yaml").read_text("utf-8") == before
    assert run("init", folder, *HARBOR[:-2], "--crisis-line", "", "--force").exit_code == 0
    assert load_library(folder).clinic.crisis_line is None


def test_a_logo_that_is_not_an_image_is_refused_as_the_loader_refuses_it_and_nothing_is_written(run, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("not a picture", "utf-8")
    folder = tmp_path / "c"
    result = run("init", folder, *HARBOR, "--logo", fake)
    assert result.exit_code == 2
    assert "--logo" in result.output and "logo.png is not a usable PNG or JPEG image" in result.output
    assert "Traceback" not in result.output and not folder.exists()


@pytest.mark.parametrize("option, value, message", [
    ("--colour", "#12345", "is not a colour in the form #RRGGBB"),
    ("--languages", "de", "de: give one or more of en, es, zh"),
    ("--offers", "hip", "no condition 'hip'"),
])
def test_a_wrong_option_is_a_usage_error_naming_it(run, tmp_path, option, value, message):
    folder = tmp_path / "c"
    result = run("init", folder, *HARBOR, option, value)
    assert result.exit_code == 2 and option in result.output and message in result.output
    assert not folder.exists()


def test_offers_all_and_every_language_leave_the_settings_off(run, tmp_path):
    folder = tmp_path / "c"
    args = [a for a in HARBOR]
    args[args.index("--languages") + 1] = "en,es,zh"
    args[args.index("--offers") + 1] = "all"
    assert run("init", folder, *args).exit_code == 0
    data = yaml.safe_load((folder / "clinic.yaml").read_text("utf-8"))
    assert "offers" not in data and tuple(data["languages"]) == LANGS
    assert load_library(folder).clinic.offers is None


def test_the_readme_lists_every_field_of_the_clinic_profile_with_an_example():
    from handouts.library.schema import Clinic

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme.split("## Your clinic", 1)[1].split("\n## ", 1)[0]
    assert "handouts init" in section
    for name in Clinic.model_fields:
        row = next((line for line in section.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"{name} is not in the README's Your clinic table"
        assert row.split("|")[2].strip().strip("`"), f"{name} has no example"


def test_an_empty_name_is_refused_naming_the_option(run, tmp_path):
    args = list(HARBOR)
    args[args.index("--name") + 1] = "   "
    result = run("init", tmp_path / "c", *args)
    assert result.exit_code == 1 and "handouts init: --name:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "c").exists()
