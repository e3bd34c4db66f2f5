"""The executive mirror (issue #18): each participant's private page and PDF, and who may open them.

A closed round of six executives answering four questions (D1.1, D1.2, D2.1, D2.2), chosen so that
every figure is known in advance (the domain's rules are tested in tests/unit/test_mirror.py):

    person     function  D1.1 D1.2 D2.1 D2.2   D1 score  D2 score
    A (resp.)  sales     1    1    4    4      1         4
    B (spons.) sales     5    4    2    3      4.5       2.5
    C          sales     4    4    4    4      4         4
    D          cfo       4    5    4    4      4.5       4
    E          cfo       5    5    3    3      5         3
    G          cfo       4    4    5    5      4         5

D1: median 4.25, IQR 4–4.5 (A is 3.25 below: an outlier). D2: median 4, IQR 3.25–4 (B's 2.5 is no
outlier). Sales against the rest in D1: 3.17 against 4.50 (a perception gap of 1.33).
"""

import html
import re
import subprocess
import time

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Answer, Participant, RoundStatus

pytestmark = pytest.mark.django_db

QUESTIONS = ("D1.1", "D1.2", "D2.1", "D2.2")
PEOPLE = {
    "A": ("respondent", "sales", (1, 1, 4, 4)),
    "B": ("sponsor", "sales", (5, 4, 2, 3)),
    "C": ("c@acme.test", "sales", (4, 4, 4, 4)),
    "D": ("d@acme.test", "cfo", (4, 5, 4, 4)),
    "E": ("e@acme.test", "cfo", (5, 5, 3, 3)),
    "G": ("g@acme.test", "cfo", (4, 4, 5, 5)),
}


def make_round(org, framework, *, anonymous=False, functions=None, close=True, title="Pulse 2027"):
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title=title, anonymous=anonymous
    )
    questions = {q.key: q for q in framework.questions.filter(key__in=QUESTIONS)}
    answers, people = [], {}
    for name, (who, function, levels) in PEOPLE.items():
        email = org.members_by_role[who].email if who in org.members_by_role else who
        function = (functions or {}).get(name, function)
        participant = services.participant_invite(round_=round_, email=email, function=function).participant
        people[name] = participant
        answers += [
            Answer(participant=participant, question=questions[k], level=lv) for k, lv in zip(QUESTIONS, levels, strict=True)
        ]
    Answer.objects.bulk_create(answers)
    round_.status = RoundStatus.OPEN
    round_.save()
    if close:
        services.round_transition(round_=round_, to="closed")
    round_.refresh_from_db()
    round_.people = people
    return round_


def own_url(round_, name="assessments:mirror"):
    return reverse(name, args=[round_.organisation.slug, round_.pk])


def other_url(round_, person, name="assessments:mirror_participant"):
    return reverse(name, args=[round_.organisation.slug, round_.pk, round_.people[person].pk])


def user_of(org, person):
    who = PEOPLE[person][0]
    return org.members_by_role[who] if who in org.members_by_role else Participant.objects.filter(user__email=who).first().user


def english(client_for, user):
    """A client for ``user``, who reads the pages in English (the user's own language wins over any cookie)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return client_for(user)


@pytest.fixture
def closed(org, framework):
    return make_round(org, framework)


def text_of(response) -> str:
    """The page's text as read: tags out, entities decoded, white space collapsed."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------------------------- the page


def test_a_participant_reads_their_own_figures(org, closed, client_for):
    response = english(client_for, user_of(org, "A")).get(own_url(closed))
    assert response.status_code == 200
    text = text_of(response)
    assert "you 1.00 · median 4.25 · interquartile range 4.00–4.50" in text  # D1
    assert "you 4.00 · median 4.00 · interquartile range 3.25–4.00" in text  # D2
    assert "Outlier: 2 levels or more from the median" in text
    # Contested questions: D1.1, D1.2 (range 4), D2.1 (range 3); a level is a whole number.
    assert "you 1 · median 4.00 · interquartile range 4.00–4.75" in text
    assert "D2.2 ·" not in text
    # Their function (sales, 3 people) against the rest (3 people), and the workshop's list.
    assert "Sales (3 people): 3.17 · the rest of the committee (3 people): 4.50" in text
    assert "Perception gap in D1" in text and ": 1.33 levels between functions" in text
    assert "Contested question D2.1" in text
    # Nobody else's own figure: B's D2 score (2.50) is in no committee figure either.
    assert "2.50" not in text


def test_the_page_is_french_by_default_with_decimal_commas(org, closed, client_for):
    response = client_for(user_of(org, "A")).get(own_url(closed))
    with translation.override("fr"):
        expected = translation.gettext("you %(value)s") % {"value": "1,00"}
    assert expected in text_of(response)


def test_the_participant_form_of_the_url_is_their_own_too(org, closed, client_for):
    response = english(client_for, user_of(org, "B")).get(other_url(closed, "B"))
    assert response.status_code == 200
    assert "you 2.50 · median 4.00" in text_of(response)


@pytest.mark.parametrize("url", [own_url, lambda r: other_url(r, "B")], ids=["own form", "participant form"])
def test_another_participant_cannot_open_bs_mirror(org, closed, client_for, url):
    client = english(client_for, user_of(org, "A"))
    if url is own_url:
        # The own form always shows the requester's mirror: A's, never B's.
        assert "2.50" not in text_of(client.get(url(closed)))
    else:
        assert client.get(url(closed)).status_code == 404
    assert client.get(other_url(closed, "B", "reports:mirror_participant_pdf")).status_code == 404


@pytest.mark.parametrize("who", ["viewer", "facilitator"])
def test_a_member_who_takes_no_part_has_no_own_mirror(org, closed, client_for, who):
    client = client_for(org.members_by_role[who])
    assert client.get(own_url(closed)).status_code == 404
    assert client.get(own_url(closed, "reports:mirror_pdf")).status_code == 404


def test_the_sponsor_cannot_open_someone_elses(org, closed, client_for):
    client = client_for(user_of(org, "B"))
    assert client.get(other_url(closed, "A")).status_code == 404
    assert client.get(other_url(closed, "A", "reports:mirror_participant_pdf")).status_code == 404


def test_an_outsider_finds_nothing(org, closed, outsider, client_for):
    client = client_for(outsider)
    for url in (
        own_url(closed),
        other_url(closed, "A"),
        own_url(closed, "reports:mirror_pdf"),
        other_url(closed, "A", "reports:mirror_participant_pdf"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Pulse 2027" not in response.content and b"Acme" not in response.content


def test_anonymous_visitor_is_sent_to_login(closed, client):
    response = client.get(own_url(closed))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_a_withdrawn_participant_has_no_mirror(org, closed, client_for):
    Participant.objects.filter(pk=closed.people["A"].pk).update(withdrawn_at="2027-01-01T00:00:00Z")
    client = client_for(user_of(org, "A"))
    assert client.get(own_url(closed)).status_code == 404
    assert client_for(org.members_by_role["facilitator"]).get(other_url(closed, "A")).status_code == 404


def test_the_facilitator_opens_bs_mirror_in_an_attributed_round(org, closed, client_for):
    response = english(client_for, org.members_by_role["facilitator"]).get(other_url(closed, "B"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Executive mirror of" in text and closed.people["B"].user.display_name in text
    assert "participant 2.50 · median 4.00" in text
    assert "you 2.50" not in text


def test_no_mirror_of_another_in_an_anonymous_round_not_even_for_the_facilitator(org, framework, client_for):
    round_ = make_round(org, framework, anonymous=True)
    facilitator = client_for(org.members_by_role["facilitator"])
    assert facilitator.get(other_url(round_, "B")).status_code == 404
    assert facilitator.get(other_url(round_, "B", "reports:mirror_participant_pdf")).status_code == 404


def test_an_anonymous_round_shows_own_against_the_committee_only(org, framework, client_for):
    round_ = make_round(org, framework, anonymous=True)
    response = english(client_for, user_of(org, "A")).get(own_url(round_))
    text = text_of(response)
    assert "you 1.00 · median 4.25 · interquartile range 4.00–4.50" in text
    assert "Anonymous round: no comparison by function." in text
    assert "Sales" not in text and "CFO" not in text and "people):" not in text
    assert "Only you can open this page" in text or "only you can open this page" in text


def test_the_function_view_is_hidden_for_a_group_of_two(org, framework, client_for):
    round_ = make_round(org, framework, functions={"C": "cfo"})  # sales: A and B only
    text = text_of(english(client_for, user_of(org, "A")).get(own_url(round_)))
    assert "No comparison by function" in text
    assert "Sales (" not in text and "people):" not in text
    # C now sees the CFOs (4 people) against the rest (2 people): hidden too.
    text = text_of(english(client_for, user_of(org, "C")).get(own_url(round_)))
    assert "CFO (" not in text and "No comparison by function" in text


def test_before_closing_the_participant_reads_when_it_comes_and_others_find_nothing(org, framework, client_for):
    round_ = make_round(org, framework, close=False)
    response = english(client_for, user_of(org, "A")).get(own_url(round_))
    assert response.status_code == 200
    text = text_of(response)
    assert "Available after closing" in text
    assert "· median" not in text and "interquartile range" not in text
    assert client_for(user_of(org, "A")).get(own_url(round_, "reports:mirror_pdf")).status_code == 404
    assert client_for(user_of(org, "B")).get(other_url(round_, "A")).status_code == 404


def test_a_published_round_keeps_the_mirror(org, closed, client_for):
    from tests.conftest import publish

    publish(closed)
    assert "you 1.00 · median 4.25" in text_of(english(client_for, user_of(org, "A")).get(own_url(closed)))


def test_the_page_costs_a_fixed_number_of_queries(org, closed, client_for, django_assert_max_num_queries):
    client = client_for(user_of(org, "A"))
    with django_assert_max_num_queries(16):
        assert client.get(own_url(closed)).status_code == 200


# --------------------------------------------------------------------------------------------- links


def test_links_to_the_mirror(org, closed, client_for):
    mirror = own_url(closed)
    participant = client_for(user_of(org, "A"))
    assert mirror in participant.get(reverse("assessments:round", args=[org.slug, closed.pk])).content.decode()
    Participant.objects.filter(pk=closed.people["A"].pk).update(submitted_at="2027-01-01T00:00:00Z")
    assert mirror in participant.get(reverse("assessments:answer_done", args=[org.slug, closed.pk])).content.decode()
    round_page = client_for(org.members_by_role["facilitator"]).get(reverse("assessments:round", args=[org.slug, closed.pk]))
    assert other_url(closed, "B") in round_page.content.decode()


def test_no_link_before_closing_nor_to_others_in_an_anonymous_round(org, framework, client_for):
    open_ = make_round(org, framework, close=False)
    page = client_for(user_of(org, "A")).get(reverse("assessments:round", args=[org.slug, open_.pk])).content.decode()
    assert own_url(open_) not in page
    anonymous = make_round(org, framework, anonymous=True, title="Anonymous pulse")
    page = client_for(org.members_by_role["facilitator"]).get(reverse("assessments:round", args=[org.slug, anonymous.pk]))
    assert other_url(anonymous, "B") not in page.content.decode()


# --------------------------------------------------------------------------------------------- the PDF


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "mirror.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_the_pdf_holds_the_participants_figures_and_nobody_elses(org, closed, client_for, tmp_path):
    client = english(client_for, user_of(org, "A"))
    start = time.perf_counter()
    response = client.get(own_url(closed, "reports:mirror_pdf"))
    elapsed = time.perf_counter() - start
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    assert "Your executive mirror" in text
    assert "4.25" in text and "4.00–4.50" in text and "1.00" in text  # D1: A's own, the median, the IQR
    assert "Outlier" in text and "Sales" in text and "3.17" in text
    assert "2.50" not in text  # B's own D2 score
    print(f"mirror PDF: {elapsed:.2f} s")  # noqa: T201 — the time the report quotes


def test_the_facilitators_pdf_of_b_holds_bs_figures(org, closed, client_for, tmp_path):
    response = english(client_for, org.members_by_role["facilitator"]).get(
        other_url(closed, "B", "reports:mirror_participant_pdf")
    )
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "2.50" in text and closed.people["B"].user.display_name.split()[0] in text


def test_the_pdf_escapes_user_text(org, framework, client_for, tmp_path):
    from reports.mirror import render_mirror_html

    round_ = make_round(org, framework, title="<b>Pulse</b> & co")
    org.name = "Acme <script>x()</script>"
    org.save()
    from assessments.mirror import mirror_page

    round_.refresh_from_db()
    html = render_mirror_html(mirror_page(round_=round_, participant=round_.people["A"]), round_=round_, own=True, language="en")
    assert "<script>x()" not in html and "&lt;script&gt;" in html
    assert "<b>Pulse</b>" not in html and "&lt;b&gt;Pulse&lt;/b&gt;" in html
