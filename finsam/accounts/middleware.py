"""Request headers without NUL bytes, before the lock-out records them."""


class NulFreeHeadersMiddleware:
    """Drop NUL bytes from the request's headers.

    django-axes writes the user agent and Accept header of every sign-in into
    PostgreSQL text columns, which cannot hold a NUL byte: a header with one
    and a wrong password was a server error. A browser never sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        for key, value in meta.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                meta[key] = value.replace("\x00", "")
        return self.get_response(request)
