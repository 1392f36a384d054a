"""The console in a real browser (Debian's Chromium, driven by Playwright), against the app in
this process on a loopback socket; the Open API checked at each step.

Screenshots of each screen are written where `CLOPOS_CONSOLE_SCREENSHOTS` says (docs/console.md
shows them; see there how to make them again)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pytest

from tests.console.conftest import Screenshots
from tests.console.helpers import PASSWORD, api_order, operator, push_order
from tests.support import SANDBOX, LiveServer

# One database is enough here: the HTTP tests cover both.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@dataclass
class Console:
    live: LiveServer
    page: Any
    name: str
    shot: Screenshots
    # The questions the page asked (window.confirm), each answered yes unless `refuse`.
    asked: list[str] = field(default_factory=list)
    refuse: bool = False

    def answer(self, dialog: Any) -> None:
        self.asked.append(dialog.message)
        if self.refuse:
            dialog.dismiss()
        else:
            dialog.accept()

    def sign_in(self, *, screenshot: bool = False) -> Any:
        page = self.page
        page.goto("/console/")
        page.wait_for_url("**/console/login**")
        page.get_by_label("Operator name").fill(self.name)
        page.get_by_label("Password").fill(PASSWORD)
        if screenshot:
            self.shot(page, "sign-in", full_page=False)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/console/b/openapitest/orders**")
        return page


@pytest.fixture
def console(
    make_server: Callable[..., LiveServer], chromium: Any, screenshots: Screenshots
) -> Iterator[Console]:
    # Without the sandbox's seeded history: the tests count every order on the board.
    live = make_server(sandbox_controls=True, seed_demo_history=False)
    name = operator(live, name="cashier")
    context = chromium.new_context(
        base_url=live.url, viewport={"width": 1280, "height": 860}, locale="en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(8000)
    found = Console(live, page, name, screenshots)
    page.on("dialog", found.answer)
    try:
        yield found
    finally:
        context.close()  # before the server stops: its event streams end with the pages


def test_an_order_arrives_live_is_accepted_made_ready_and_closed(console: Console) -> None:
    live, page = console.live, console.sign_in(screenshot=True)
    page.wait_for_selector("body[data-live=on]")  # the event stream is open
    page.evaluate("window.stillTheSamePage = true")
    order = push_order(live)
    card = page.locator(f"#order-{order['id']}")
    card.wait_for()  # no reload: the change log told the page
    assert card.get_attribute("data-status") == "PENDING"
    assert "2 × Cappuccino" in card.inner_text() and "Oat milk" in card.inner_text()
    assert api_order(live, order["id"])["status"] == "PENDING"
    console.shot(page, "orders")

    page.click(f"#accept-{order['id']}")
    page.wait_for_selector(f"#order-{order['id']}[data-status=RECEIVED]")
    accepted = api_order(live, order["id"])
    assert accepted["status"] == "RECEIVED" and accepted["receipt"]["order_status"] == "NEW"

    page.click(f"#status-{order['id']}-ready")
    page.wait_for_selector(f"#order-{order['id']} [data-kitchen=READY]")
    assert api_order(live, order["id"])["receipt"]["order_status"] == "READY"
    console.shot(page, "orders-ready")

    page.get_by_label("Paid with").select_option(label="Card")
    page.click(f"#close-{order['id']}")
    assert console.asked[-1] == f"Close receipt {accepted['receipt_id']} as paid?"
    page.wait_for_selector(f"#order-{order['id']}[data-status=DELIVERED]")
    delivered = api_order(live, order["id"])
    assert delivered["status"] == "DELIVERED" and delivered["receipt"]["status"] == 2
    assert [p["name"] for p in delivered["receipt"]["payment_methods"]] == ["Card"]
    assert page.evaluate("window.stillTheSamePage") is True
    assert "paid: Card 10.60" in page.locator("#status").inner_text()

    # A kitchen tablet or a phone: the same page at 390 px.
    second = push_order(live)
    page.wait_for_selector(f"#order-{second['id']}")
    page.set_viewport_size({"width": 390, "height": 844})
    console.shot(page, "orders-phone")


def test_a_stop_list_toggle_is_seen_by_the_api(console: Console) -> None:
    live, page = console.live, console.sign_in()
    page.get_by_role("link", name="Menu").click()
    page.get_by_role("button", name="Stop Cappuccino").click()
    page.get_by_role("button", name="Resume Cappuccino").wait_for()
    headers = live.v2_headers()
    stopped = live.http.get("/open-api/v2/products/stop-list", headers=headers).json()["data"]
    assert [(entry["id"], entry["limit"]) for entry in stopped] == [(19, 0)]
    console.shot(page, "menu")
    page.get_by_role("button", name="Resume Cappuccino").click()
    page.get_by_role("button", name="Stop Cappuccino").wait_for()
    assert live.http.get("/open-api/v2/products/stop-list", headers=headers).json()["data"] == []


def test_a_client_created_in_the_console_exchanges_a_token(console: Console) -> None:
    live, page = console.live, console.sign_in()
    page.get_by_role("link", name="Access").click()
    console.shot(page, "access")
    page.get_by_label("Label").fill("Made in the browser")
    page.get_by_role("group", name="Scopes").get_by_label("customers:write").uncheck()
    page.click("#create-client")
    client_id = page.locator("#client-id").inner_text()
    secret = page.locator("#client-secret").inner_text()
    console.shot(page, "client-secret", full_page=False)
    # Post-redirect-get: a reload shows the page again, without the secret and without
    # making a second client.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy secret").click()
    page.wait_for_selector("#status:text('Copied')")
    assert page.evaluate("() => navigator.clipboard.readText()") == secret
    page.reload()
    assert page.locator("#client-secret").count() == 0
    assert "not kept anywhere" in page.locator("main").inner_text()
    made = [c for c in live.admin_json("client", "list") if c["name"] == "Made in the browser"]
    assert len(made) == 1
    exchanged = live.auth_v2(client_id=client_id, client_secret=secret)
    assert exchanged.status_code == 200 and exchanged.json()["success"], exchanged.text
    granted = {c["client_id"]: c for c in live.admin_json("client", "list")}[client_id]
    assert "customers:write" not in granted["scopes"] and granted["venues"] == [1]


def test_receipts_audit_and_sandbox_screens(console: Console) -> None:
    live, page = console.live, console.sign_in()
    # One order still being made, one paid (its stock deducted).
    open_order, paid = push_order(live), push_order(live)
    for order in (open_order, paid):
        live.admin("order", "accept", str(order["id"]), "--brand", "openapitest")
    receipt = api_order(live, paid["id"])["receipt_id"]
    live.admin("receipt", "close", str(receipt), "--brand", "openapitest")
    page.get_by_role("link", name="Receipts").click()
    page.get_by_role("button", name=f"Close receipt {receipt - 1}").wait_for()
    console.shot(page, "receipts-open")
    page.get_by_role("link", name="Closed").click()
    page.get_by_role("link", name=f"Receipt {receipt}").click()
    # The click navigates: wait for the receipt's page before looking at it.
    page.wait_for_url(f"**/receipts/{receipt}")
    heading = page.locator("h2", has_text="Stock operations")
    heading.wait_for()
    assert heading.is_visible()
    operations = page.locator("table").nth(1).locator("tbody tr")
    operations.first.wait_for()
    assert operations.count() > 0
    console.shot(page, "receipt-closed")

    # A refused token exchange of this brand, then the audit trail filtered to refusals.
    assert live.auth_v2(client_secret="wrong-secret").status_code == 400
    page.get_by_role("link", name="Audit").click()
    page.get_by_label("Outcome").select_option("rejected")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**outcome=rejected**")
    reasons = page.locator("table.audit tbody td:nth-child(5)").all_inner_texts()
    assert reasons == ["authentication_failed"], reasons
    console.shot(page, "audit")

    # The sandbox: arm a fault the API then answers, move the test clock.
    page.get_by_role("link", name="Sandbox").click()
    page.get_by_label("Status").select_option("503")
    page.get_by_label("Times").fill("3")
    page.get_by_label("Path").fill("/venues")
    page.get_by_role("button", name="Arm fault").click()
    page.locator("#faults code").wait_for()
    assert live.http.get("/open-api/v2/venues", headers=live.v2_headers()).status_code == 503
    page.get_by_label("Move ahead by (seconds)").fill("90")
    page.get_by_role("button", name="Move the clock").click()
    page.wait_for_selector("#clock-offset:text-is('90')")
    console.shot(page, "sandbox")


def test_a_refresh_with_nothing_new_leaves_the_page_alone(console: Console) -> None:
    """A live region is swapped only when its fragment shows something new. The stream's
    first refresh comes as the page opens; a swap of the same nodes then dropped a click
    landing on them (pressed on the old link, released on its copy)."""
    live, page = console.live, console.sign_in()
    order = push_order(live)
    live.admin("order", "accept", str(order["id"]), "--brand", "openapitest")
    receipt = api_order(live, order["id"])["receipt_id"]
    live.admin("receipt", "close", str(receipt), "--brand", "openapitest")
    # Each link as the page came, marked before the stream's first refresh can run.
    page.add_init_script(
        """document.addEventListener("DOMContentLoaded", () => {
            document.querySelectorAll("#live a").forEach(a => { a.kept = true; });
        });"""
    )
    page.goto("/console/b/openapitest/receipts?status=closed")
    page.wait_for_selector("body[data-refreshed]")  # the stream's first refresh has run
    link = page.get_by_role("link", name=f"Receipt {receipt}", exact=True)
    assert link.evaluate("a => a.kept === true")

    def refreshed_after(change: Callable[[], object]) -> None:
        stamp = page.evaluate("document.body.getAttribute('data-refreshed')")
        change()
        page.wait_for_function(
            "stamp => document.body.getAttribute('data-refreshed') !== stamp", arg=stamp
        )

    # A new order changes the brand, not its closed receipts: the link is the same node.
    refreshed_after(lambda: push_order(live))
    assert link.evaluate("a => a.kept === true")
    # A receipt closed meanwhile is new: the region is swapped, and the new link shows.
    second = push_order(live)
    live.admin("order", "accept", str(second["id"]), "--brand", "openapitest")
    closed = api_order(live, second["id"])["receipt_id"]
    refreshed_after(lambda: live.admin("receipt", "close", str(closed), "--brand", "openapitest"))
    page.get_by_role("link", name=f"Receipt {closed}", exact=True).wait_for()
    assert link.evaluate("a => a.kept === undefined")


def test_a_forged_post_and_an_expired_session_are_refused(console: Console) -> None:
    live, page = console.live, console.sign_in()
    order = push_order(live)
    page.wait_for_selector(f"#order-{order['id']}")
    accept = f"/console/b/openapitest/orders/{order['id']}/accept"
    # A script on the console's own origin, without the CSRF token: 403.
    status = page.evaluate(
        """url => fetch(url, {method: "POST", body: new URLSearchParams({back: "/console/"})})
            .then(r => r.status)""",
        accept,
    )
    assert status == 403
    # A form on another site posting to the console: the session cookie (SameSite=Strict)
    # does not go with it, so the browser lands on the sign-in page.
    forger = page.context.new_page()
    forger.set_content(
        f'<form method="post" action="{live.url}{accept}"><input name="back" value="/console/">'
        "<button>Win a prize</button></form>"
    )
    forger.get_by_role("button", name="Win a prize").click()
    forger.wait_for_url("**/console/login**")
    forger.close()
    assert api_order(live, order["id"])["status"] == "PENDING"

    # The session's lifetime passes (the console's clock, not a sleep): a form of the page
    # still open is refused, and the browser is sent to sign in again.
    page.get_by_role("link", name="Menu").click()
    console_state = live.app.state.console
    console_state.advance(console_state.session_lifetime.total_seconds() + 1)
    page.get_by_role("button", name="Stop Cappuccino").click()
    page.wait_for_url("**/console/login**")
    assert "Your session has ended" in page.locator("#status").inner_text()
    headers = live.v2_headers()
    assert live.http.get("/open-api/v2/products/stop-list", headers=headers).json()["data"] == []


# --- a busy evening ---------------------------------------------------------------------------

# axe-core's build as the pinned test dependency axe-playwright-python ships it (MPL-2.0):
# read from the installed package, run inside the page; nothing is fetched.
AXE = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
DESKTOP = {"width": 1280, "height": 860}
# An integrator's delivery: its own order number, an address, a comment and a line's note.
DELIVERY: dict[str, Any] = {
    "order_number": "W-1042",
    "comment": "Ring twice: a baby is asleep",
    "customer": {"name": "Leyla", "phone": "+994501112233", "address": "28 May St 14, apt 5"},
    "products": [{"product_id": 19, "product_name": "Cappuccino", "count": 1, "note": "extra hot"}],
}
PHONE = {"width": 390, "height": 844}


def serious_issues(page: Any) -> list[str]:
    """What axe-core finds of impact serious or critical on the page as it is now."""
    page.evaluate(AXE)
    found = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def stage_ids(page: Any, stage: str) -> list[int]:
    ids = page.locator(f"#live li.order[data-stage={stage}]").evaluate_all(
        "cards => cards.map(c => Number(c.id.slice('order-'.length)))"
    )
    return list(ids)


def test_sixty_orders_every_pending_one_reachable_and_counted(console: Console) -> None:
    live = console.live
    ids = [push_order(live)["id"] for _ in range(60)]
    page = console.sign_in()
    summary = page.locator("#orders-summary")
    assert summary.get_attribute("data-waiting") == "60"
    assert summary.inner_text().startswith("60 waiting")
    assert page.locator("#stage-new .count").inner_text() == "60"
    seen = stage_ids(page, "new")
    assert seen == ids[:50]  # oldest first
    assert "waiting" in page.locator(f"#order-{ids[0]} .age").inner_text()
    console.shot(page, "orders-busy", full_page=False)
    page.click("#new-next")
    page.wait_for_url("**new=2**")
    seen += stage_ids(page, "new")
    assert seen == ids  # every pending order reachable, none twice
    assert page.title().startswith("(60) Orders")


def test_cancel_asks_then_close_as_paid_is_refused(console: Console) -> None:
    live, page = console.live, console.sign_in()
    page.wait_for_selector("body[data-live=on]")
    order = push_order(live)
    page.click(f"#accept-{order['id']}")
    page.wait_for_selector(f"#order-{order['id']}[data-stage=cooking]")
    receipt = api_order(live, order["id"])["receipt_id"]

    console.refuse = True  # "Cancel order N?": no. Nothing changes.
    page.click(f"#status-{order['id']}-cancelled")
    assert console.asked[-1].startswith(f"Cancel order {order['id']}?")
    assert api_order(live, order["id"])["receipt"]["order_status"] == "NEW"

    console.refuse = False
    page.click(f"#status-{order['id']}-cancelled")
    closer = page.locator(f"#close-cancelled-{order['id']}")
    closer.wait_for()
    assert page.locator(f"#close-{order['id']}").count() == 0  # no way to take a payment
    assert "Cancelled" in page.locator(f"#order-{order['id']} .status-line").inner_text()
    # Even a request made by hand with the page's own token: refused, the receipt open.
    status = page.evaluate(
        """([url, token]) => fetch(url, {method: "POST",
              headers: {"x-csrf-token": token, "x-console-fetch": "1"},
              body: new URLSearchParams({payment_method: "Cash"})}).then(r => r.status)""",
        [
            f"/console/b/openapitest/receipts/{receipt}/close",
            page.get_attribute('meta[name="csrf-token"]', "content"),
        ],
    )
    assert status == 409
    assert api_order(live, order["id"])["receipt"]["status"] == 1
    console.shot(page, "orders-cancelled", full_page=False)
    closer.click()
    assert console.asked[-1].startswith(f"Close receipt {receipt} as cancelled?")
    page.wait_for_selector(f"#order-{order['id']}[data-stage=done]")
    closed = api_order(live, order["id"])
    assert closed["receipt"]["status"] == 2 and closed["receipt"]["payment_methods"] == []


def test_a_new_order_raises_the_tab_count_and_chimes(console: Console) -> None:
    live, page = console.live, console.sign_in()
    page.wait_for_selector("body[data-live=on]")
    assert page.title() == "Orders · Open API Test · clopos" or not page.title().startswith("(")
    first = push_order(live)
    page.wait_for_function("() => document.title.startsWith('(1) ')")
    assert page.get_attribute("body", "data-chimes") == "1"
    assert "arrived" in (page.get_attribute(f"#order-{first['id']}", "class") or "")
    # Sound off (kept in this browser): the count still rises, no chime.
    toggle = page.locator("#chime-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    push_order(live)
    page.wait_for_function("() => document.title.startsWith('(2) ')")
    assert page.get_attribute("body", "data-chimes") == "1"
    # The kitchen counts what it has to start.
    page.get_by_role("link", name="Kitchen").click()
    page.wait_for_selector("body[data-live=on]")
    accepted = push_order(live)
    live.admin("order", "accept", str(accepted["id"]), "--brand", "openapitest")
    page.wait_for_function("() => document.title.startsWith('(1) Kitchen')")
    page.click(f"#advance-{accepted['id']}")
    page.wait_for_function("() => document.title.startsWith('Kitchen')")
    assert api_order(live, accepted["id"])["receipt"]["order_status"] == "IN_PROGRESS"


def test_the_menu_at_390_px_shows_every_button(console: Console) -> None:
    page = console.sign_in()
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Menu").click()
    page.wait_for_url("**/menu")
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] <= 110, header
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    buttons = page.locator("main button:visible")
    assert buttons.count() > 10
    for box in buttons.evaluate_all(
        "bs => bs.map(b => { const r = b.getBoundingClientRect(); return [r.left, r.right]; })"
    ):
        assert box[0] >= 0 and box[1] <= PHONE["width"], box
    # Stopping a product far down the page: its row says so, and so does the status line,
    # in view wherever the page is scrolled.
    last = page.locator("main button:visible", has_text="Stop").last
    name = last.inner_text().removeprefix("Stop ")
    last.click()
    resume = page.get_by_role("button", name=f"Resume {name}")
    resume.wait_for()
    row = page.locator("tr", has=resume)
    assert "Stopped" in row.inner_text() and "On sale" not in row.inner_text()
    status = page.locator("#status")
    assert f"{name} stopped" in status.inner_text()
    box = status.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"]


def test_every_page_has_no_serious_accessibility_issue_and_its_pictures(
    console: Console,
) -> None:
    """axe-core on each page at desktop and phone widths; the pictures of docs/console.md."""
    live = console.live
    paid, cooking = push_order(live), push_order(live)
    waiting = push_order(live, **DELIVERY)
    live.admin("order", "accept", str(paid["id"]), "--brand", "openapitest")
    paid_receipt = api_order(live, paid["id"])["receipt_id"]
    live.admin("receipt", "close", str(paid_receipt), "--brand", "openapitest")
    page = console.page
    page.set_viewport_size(PHONE)
    page.goto("/console/login")
    assert serious_issues(page) == []
    console.shot(page, "sign-in-phone", full_page=False)
    page.set_viewport_size(DESKTOP)
    page = console.sign_in(screenshot=True)
    assert serious_issues(page) == []
    page.click(f"#accept-{cooking['id']}")  # an operator's action, for the audit page
    page.wait_for_selector(f"#order-{cooking['id']}[data-stage=cooking]")
    brand = "/console/b/openapitest"
    pages = {
        "orders": f"{brand}/orders",
        "kitchen": f"{brand}/kitchen",
        "receipts-open": f"{brand}/receipts",
        "receipts-closed": f"{brand}/receipts?status=closed",
        "receipt-closed": f"{brand}/receipts/{paid_receipt}",
        "menu": f"{brand}/menu",
        "access": f"{brand}/access",
        "audit": f"{brand}/audit",
        "sandbox": f"{brand}/sandbox",
        "client-secret-later": f"{brand}/clients/{SANDBOX['client_id']}/secret",
        "not-found": "/console/nowhere",
    }
    found: dict[str, list[str]] = {}
    for size, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
        page.set_viewport_size(size)
        for name, path in pages.items():
            page.goto(path)
            page.wait_for_load_state("load")
            found[name + suffix] = serious_issues(page)
            console.shot(page, name + suffix, full_page=name not in ("menu", "audit"))
    assert {name: issues for name, issues in found.items() if issues} == {}
    page.goto(pages["receipt-closed"])
    assert page.get_by_role("button", name=f"Print receipt {paid_receipt}").is_visible()
    assert waiting["id"]  # on the pictures: a new order, one cooking, one paid


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG's contrast ratio of two computed `rgb(...)` colours."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_the_focus_ring_keeps_three_to_one_on_the_page_and_in_the_header(
    console: Console,
) -> None:
    page = console.sign_in()
    ratios = {}
    # The ring's colour and what is behind it, read in the same turn as the check that the
    # element has the keyboard's focus (null if not): read apart, the live board could
    # swap the page's part in between, and the colour read was the unfocused element's.
    ring_and_behind = """selector => {
        const el = document.querySelector(selector);
        if (document.activeElement !== el || !el.matches(":focus-visible")) return null;
        let bg = el.parentElement;
        while (getComputedStyle(bg).backgroundColor === "rgba(0, 0, 0, 0)") {
            bg = bg.parentElement;
        }
        return [getComputedStyle(el).outlineColor, getComputedStyle(bg).backgroundColor];
    }"""
    for where, selector in (("page", "#q"), ("header", "#brand-switch")):
        for _ in range(10):  # the live board may swap the page's part under the keyboard
            page.focus(selector)
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")  # focused from the keyboard: :focus-visible
            colours = page.evaluate(ring_and_behind, selector)
            if colours is not None:
                break
        assert colours is not None, f"{selector} never held the keyboard's focus"
        ratios[where] = contrast(*colours)
    assert min(ratios.values()) >= 3, ratios
