"""Sources parsed before the current way of reading are read again on first use."""

from __future__ import annotations

import io

import pytest

from webapp.extensions import db
from webapp.models import Project, Source
from webapp.services import accounts, source_reading, sources
from webapp.services.parsing.reflow import READER_VERSION
from webapp.vocabulary import FileType, SourceStatus

from ..conftest import TEST_KEY_PREFIX
from ..factories import make_project, make_user

pytestmark = pytest.mark.usefixtures("db")

WRAPPED = "Co\ufb00ee sales rose: 82%\nof subscribers are still active.\n"


@pytest.fixture
def project(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")
    user = make_user(app, email="reader@example.com")
    return make_project(app, user)


def upload(app, project) -> str:
    with app.app_context():
        user = accounts.get_user(project.user_id)
        source = sources.add_upload(
            user, db.session.get(Project, project.id), "notes.txt", io.BytesIO(WRAPPED.encode())
        )
        source_reading.run_parse(source.id)
        return source.id


def test_a_new_parse_is_read_as_written_and_says_so(app, project):
    source_id = upload(app, project)
    with app.app_context():
        source = db.session.get(Source, source_id)
        assert source.parsed_text == "Coffee sales rose: 82% of subscribers are still active."
        assert source.parse_details["reader"] == READER_VERSION


def test_an_upload_read_the_old_way_is_parsed_again_from_its_file(app, project):
    source_id = upload(app, project)
    with app.app_context():
        source = db.session.get(Source, source_id)
        source.parsed_text, source.parse_details = WRAPPED.strip(), {"encoding": "utf-8"}
        db.session.commit()

        source_reading.read_again_if_outdated(source)
        db.session.commit()
        source = db.session.get(Source, source_id)
        assert source.parsed_text == "Coffee sales rose: 82% of subscribers are still active."
        assert source.parse_details == {"encoding": "utf-8", "reader": READER_VERSION}


def test_an_imported_page_read_the_old_way_is_read_again_from_its_text(app, project):
    with app.app_context():
        source = Source(
            project_id=project.id,
            user_id=project.user_id,
            filename="A page",
            file_type=FileType.URL,
            file_size=0,
            source_url="https://example.com/page",
            status=SourceStatus.PARSED,
            parsed_text=WRAPPED.strip(),
            word_count=9,
            parse_details={"title": "A page"},
        )
        db.session.add(source)
        db.session.commit()

        source_reading.read_again_if_outdated(source)
        db.session.commit()
        assert source.parsed_text == "Coffee sales rose: 82% of subscribers are still active."
        assert source.parse_details == {"title": "A page", "reader": READER_VERSION}
