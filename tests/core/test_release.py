"""The release in the key of what is kept across deployments (core/release.py)."""

from core.release import release_id
from core.release import source_digest


def _checkout(root, template="<p>{{ figure }}</p>"):
    (root / "reports" / "templates").mkdir(parents=True)
    (root / "reports" / "views.py").write_text("PAGE = 1\n")
    (root / "reports" / "templates" / "page.html").write_text(template)
    return root


def test_the_digest_changes_with_a_template_and_not_with_what_pages_are_not_drawn_with(tmp_path):
    old, new = _checkout(tmp_path / "old"), _checkout(tmp_path / "new", template="<p>{{ figure|number }}</p>")
    assert source_digest(old, [old / "reports"]) != source_digest(new, [new / "reports"])

    same = _checkout(tmp_path / "same")
    (same / "reports" / "notes.txt").write_text("not drawn with")
    (same / "reports" / "__pycache__").mkdir()
    (same / "reports" / "__pycache__" / "views.py").write_text("compiled = 1\n")
    (same / "media").mkdir()
    (same / "media" / "upload.json").write_text("{}")  # outside the folders walked
    assert source_digest(same, [same / "reports"]) == source_digest(old, [old / "reports"])


def test_a_named_release_is_used_as_it_is_and_an_unnamed_one_is_the_digest_taken_at_the_start(settings):
    settings.PORTAL_RELEASE = "4f2a9c1"
    assert release_id() == "4f2a9c1"
    settings.PORTAL_RELEASE = ""
    at_start = release_id()
    assert len(at_start) == 16 and at_start != "4f2a9c1"
    assert release_id() == at_start  # not taken again: a file replaced now does not change this process's release
