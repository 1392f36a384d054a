"""The ASGI server: `create_app(settings)` builds it; nothing runs at import time."""
