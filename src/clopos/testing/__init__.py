"""A sandbox kit for test suites: the real Clopos server in your test, reset, broken and
fast-forwarded on demand.

    from clopos.testing import sandbox

    with sandbox() as sb:
        with sb.client() as clopos:
            assert clopos.venues.list()
        sb.faults.next(status=504, path="/orders")   # the next order push times out
        sb.clock.advance(3600)                        # tokens issued so far expire

With pytest the `clopos_sandbox` fixture gives one, reset before each test (the plugin is
registered through an entry point). See docs/testing.md.
"""

from __future__ import annotations

from clopos.testing._sandbox import CREDENTIALS, Sandbox, async_sandbox, sandbox

__all__ = ["CREDENTIALS", "Sandbox", "async_sandbox", "sandbox"]
