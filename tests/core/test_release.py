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
    assert source_digest(str(old)) != source_digest(str(new))

    same = _checkout(tmp_path / "same")
    for ignored in ("tests", "media", "staticfiles", ".git"):
        (same / ignored).mkdir()
        (same / ignored / "x.py").write_text("anything = 1\n")
    (same / "reports" / "notes.txt").write_text("not drawn with")
    assert source_digest(str(same)) == source_digest(str(old))


def test_a_named_release_is_used_as_it_is_and_an_unnamed_one_is_this_checkouts_digest(settings):
    settings.PORTAL_RELEASE = "4f2a9c1"
    assert release_id() == "4f2a9c1"
    settings.PORTAL_RELEASE = ""
    assert release_id() == source_digest(str(settings.BASE_DIR))
    assert len(release_id()) == 16
