"""Keyboard users always see where they are, and reduced motion turns animations off.

- Tabbing through the main pages of a facilitator (home, round, results, roadmap, workshop) and
  the public ones (login, accessibility statement), the skip link comes first (unless a field
  has the focus on arrival, as on the login page) and every element
  that takes the focus shows a focus indicator (an outline or a ring), on itself or, for a
  visually hidden radio or checkbox, on its label.
- With ``prefers-reduced-motion: reduce`` animations stop and transitions are instant; without
  it, they keep Bootstrap's.
"""

import pytest

from .conftest import login

DESKTOP = {"width": 1440, "height": 900}
MAX_STOPS = 60

# What the focused element (or the label of a visually hidden input) shows: (outline, ring).
INDICATOR = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) { return null; }
  window.cxSeen = window.cxSeen || new Set();
  if (window.cxSeen.has(el)) { return null; }
  window.cxSeen.add(el);
  const describe = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || el.value || '').trim().slice(0, 40);
  if (el.matches('.btn-check') && el.nextElementSibling) { el = el.nextElementSibling; }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  return [describe, outline || ring];
}"""


def tab_stops(page):
    """Presses Tab until the focus leaves the page or comes back (at most MAX_STOPS times);
    returns (element, visible) per stop."""
    stops = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        found = page.evaluate(INDICATOR)
        if found is None:
            break
        stops.append(found)
    return stops


@pytest.fixture
def published_demo(demo):
    from assessments.models import Round
    from tests.conftest import publish

    round_ = Round.objects.get(organisation__slug="demo-retail")
    publish(round_)
    return round_


def test_every_focus_stop_is_visible(browser, live_server, published_demo):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    r = f"/o/demo-retail/rounds/{published_demo.pk}"
    hidden, walked = {}, 0
    for path in ("/accounts/login/", "/accessibility/"):
        page.goto(live_server.url + path)
        autofocus = page.evaluate("() => document.activeElement !== document.body")  # the login form's e-mail field
        stops = tab_stops(page)
        assert stops and (autofocus or stops[0][0].startswith("a ")), f"{path}: the skip link is not the first stop ({stops[:1]})"
        hidden.update({f"{path} {name}": visible for name, visible in stops if not visible})
    login(page, live_server, "consultant@demo.test")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for path in ("/", f"{r}/", f"{r}/results/", f"{r}/roadmap/", f"{r}/raci/", f"{r}/workshop/D3/"):
        page.goto(live_server.url + path)
        stops = tab_stops(page)
        assert len(stops) >= 5, f"{path}: only {len(stops)} focus stops"
        hidden.update({f"{path} {name}": visible for name, visible in stops if not visible})
        walked += len(stops)
    context.close()
    assert walked > 6 * 20
    assert hidden == {}, f"focus stops without a visible indicator: {sorted(hidden)}"


@pytest.mark.parametrize(("motion", "moving"), [("reduce", False), ("no-preference", True)])
def test_reduced_motion_stops_animations_and_transitions(browser, live_server, motion, moving):
    context = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion=motion)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    # A Bootstrap spinner only slows down under reduced motion by itself: app.css stops it.
    spinner = page.evaluate(
        """() => {
          const el = document.createElement('span');
          el.className = 'spinner-border';
          document.querySelector('main').append(el);
          const style = getComputedStyle(el);
          return [parseFloat(style.animationDuration), style.animationIterationCount];
        }"""
    )
    button = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.btn')).transitionDuration)")
    context.close()
    if moving:
        assert spinner[0] >= 0.5 and spinner[1] == "infinite" and button >= 0.1
    else:
        assert spinner[0] < 0.001 and spinner[1] == "1" and button < 0.001
