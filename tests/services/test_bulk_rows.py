"""The rows of a bulk job as the runner sees them: every row of the CSV in spreadsheet
order (header = row 1, blank lines counted), each with its brief or why it cannot be
written. Built-in voices only: no database."""

from __future__ import annotations

from webapp.services.bulk import plan_rows
from webapp.services.parsing.csv_topics import read_topics
from webapp.services.plans import PLANS

CSV = (
    b"Topic,Voice,Target_Length,Channel,Workflow,Custom_Instructions\n"
    b"Pricing pages,Casual,short,,,Keep it short\n"
    b"\n"
    b",casual,,,,\n"
    b"Onboarding emails,,,,Newsletter,\n"
    b"Launch week,,,,campaign_pack,\n"
    b"Spring sale,witty,,linkedin,,\n"
    b"Hiring,gen_z,,,,\n"
    b"Digest,,,twitter,newsletter,\n"
)


def test_rows_keep_their_spreadsheet_numbers_and_say_why_they_cannot_be_written():
    rows = plan_rows(None, PLANS["free"], read_topics(CSV))
    assert [(r.row, r.writable) for r in rows] == [
        (2, True),
        (4, False),
        (5, True),
        (6, False),
        (7, True),
        (8, False),
        (9, False),
    ]
    pricing, empty, newsletter, campaign, sale, hiring, digest = rows
    assert (pricing.topic, pricing.voice, pricing.target_length, pricing.channel) == (
        "Pricing pages",
        "casual",
        "short",
        "blog",
    )
    assert pricing.custom_instructions == "Keep it short" and pricing.workflow == "blog_post"
    assert empty.error == {"code": "INVALID_SOURCE", "message": "Row 4: topic is empty."}
    assert (newsletter.workflow, newsletter.channel, newsletter.voice) == (
        "newsletter",
        "email",
        "professional",
    )
    assert campaign.error["code"] == "VALIDATION_ERROR"
    assert "blog_post or newsletter" in campaign.error["message"]
    assert sale.channel == "linkedin"
    assert hiring.error["code"] == "VOICE_NOT_AVAILABLE"
    assert "channel applies to the blog_post workflow only" in digest.error["message"]
    assert [r.entry()["status"] for r in rows] == [
        "queued",
        "failed",
        "queued",
        "failed",
        "queued",
        "failed",
        "failed",
    ]


def test_a_plan_with_every_voice_writes_the_row_the_free_plan_refuses():
    rows = plan_rows(None, PLANS["starter"], read_topics(b"topic,voice\nHiring,gen_z\n"))
    assert rows[0].writable and rows[0].voice == "gen_z"
