"""``make setup`` provisions Odoo 19 from the source it is given, Community only on the addons path."""

import subprocess
import sys
import tarfile

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import setup_odoo


def fake_odoo(root, major=19, modules=None):
    """A source tree shaped like Odoo's: ``odoo/release.py`` and addons with manifests."""
    (root / "odoo" / "addons").mkdir(parents=True)
    (root / "odoo" / "release.py").write_text(
        f"FINAL = 'final'\nversion_info = ({major}, 0, 0, FINAL, 0, '')\n", encoding="utf-8"
    )
    for name, (licence, depends) in (modules or {}).items():
        (root / "odoo" / "addons" / name).mkdir()
        manifest = {"name": name, "license": licence, "depends": depends}
        (root / "odoo" / "addons" / name / "__manifest__.py").write_text(repr(manifest), encoding="utf-8")
    return root


MIXED = {
    "account": ("LGPL-3", ["base"]),
    "account_accountant": ("OEEL-1", ["account"]),
    "account_reports": ("OEEL-1", ["account"]),
    "l10n_ca_reports": ("LGPL-3", ["account_reports"]),  # Community licence, Enterprise dependency
    "web_studio_bridge": ("LGPL-3", ["l10n_ca_reports"]),  # two steps away
    "knowledge": ("OPL-1", ["base"]),
    "purchase": ("LGPL-3", ["account"]),
}


def test_release_version_is_read_without_importing_odoo(tmp_path):
    assert setup_odoo.tree_version(fake_odoo(tmp_path / "a")) == 19
    assert setup_odoo.tree_version(fake_odoo(tmp_path / "b", major=18)) == 18
    assert setup_odoo.tree_version(tmp_path / "nothing") is None


def test_proprietary_modules_and_all_their_dependents_leave_the_addons_path(tmp_path):
    tree = fake_odoo(tmp_path / "src", modules=MIXED)
    setup_odoo.split_proprietary(tree / "odoo" / "addons", tmp_path / "enterprise")
    community = sorted(p.name for p in (tree / "odoo" / "addons").iterdir())
    enterprise = sorted(p.name for p in (tmp_path / "enterprise").iterdir())
    assert community == ["account", "purchase"]
    assert enterprise == ["account_accountant", "account_reports", "knowledge", "l10n_ca_reports", "web_studio_bridge"]


def test_a_community_tree_moves_nothing(tmp_path):
    tree = fake_odoo(tmp_path / "src", modules={"account": ("LGPL-3", ["base"])})
    setup_odoo.split_proprietary(tree / "odoo" / "addons", tmp_path / "enterprise")
    assert not (tmp_path / "enterprise").exists()


@pytest.fixture
def odoo_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(setup_odoo, "ODOO_DIR", tmp_path / ".odoo")
    (tmp_path / ".odoo").mkdir()
    return tmp_path / ".odoo"


def test_each_kind_of_source_lands_as_one_tree(tmp_path, odoo_dir):
    tree = fake_odoo(tmp_path / "odoo-19.0", modules={"account": ("LGPL-3", ["base"])})
    archive = tmp_path / "odoo-19.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tree, arcname="odoo-19.0")
    git = tmp_path / "mirror"
    subprocess.run(["git", "init", "-q", "-b", "19.0", str(git)], check=True)
    fake_odoo(git)
    subprocess.run(["git", "-C", str(git), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(git), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "19.0"], check=True
    )
    for source in (str(tree), str(archive), f"file://{git}"):
        target = odoo_dir / "src"
        setup_odoo.fetch_source(source, target)
        assert setup_odoo.tree_version(target) == 19, source
        assert not (target / ".git").exists() or source.startswith("file://")


def test_a_source_of_another_version_is_refused(tmp_path, odoo_dir):
    tree = fake_odoo(tmp_path / "odoo-18", major=18)
    with pytest.raises(setup_odoo.SetupError, match="Odoo 18, not Odoo 19"):
        setup_odoo.fetch_source(str(tree), odoo_dir / "src")
    assert not (odoo_dir / "src").exists()


def test_an_unreachable_git_source_fails_with_a_sentence_not_a_prompt(tmp_path, odoo_dir):
    with pytest.raises(setup_odoo.SetupError, match="git clone"):
        setup_odoo.fetch_source(f"file://{tmp_path}/no-such-repository", odoo_dir / "src")
