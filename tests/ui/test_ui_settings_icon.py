"""Every Settings section of the suite has the icon Odoo's settings page asks for (it was a 404)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("fusion_accounting_core", "fusion_accounting", "fusion_accounting_followup")
APP = re.compile(r"<app\b[^>]*>", re.DOTALL)


def _apps():
    for addon in ADDONS:
        for view in sorted((ROOT / addon / "views").glob("*.xml")):
            for tag in APP.findall(view.read_text(encoding="utf-8")):
                name = re.search(r'\bname="([^"]+)"', tag)
                logo = re.search(r'\blogo="([^"]+)"', tag)
                yield view.name, name.group(1) if name else None, logo.group(1) if logo else None


def test_each_settings_section_has_its_icon():
    apps = list(_apps())
    assert apps, "the suite declares its settings section"
    for view, name, logo in apps:
        # Odoo's settings form shows ``logo`` or else /<name>/static/description/icon.png.
        path = ROOT / logo.lstrip("/") if logo else ROOT / name / "static" / "description" / "icon.png"
        assert path.is_file(), f"{view}: settings section {name!r} has no icon at {path.relative_to(ROOT)}"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" or path.suffix == ".svg"
