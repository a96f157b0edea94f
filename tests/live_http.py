"""Talking to a real server over HTTP, as a browser would, and reading its database."""

import http.client
import json
import re
import threading
from http.cookies import SimpleCookie
from urllib.parse import urlencode

SIMULTANEOUS = 20


class Browser:
    """One signed-in person: their cookies and CSRF token, sent by plain HTTP."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.csrf_token = ""
        # Simultaneous requests share the cookies, as a browser's tabs do.
        self.lock = threading.Lock()

    def request(self, method, path, data=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        with self.lock:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode({"csrfmiddlewaretoken": self.csrf_token, **data}, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
            with self.lock:
                for header in response.headers.get_all("Set-Cookie") or []:
                    for name, morsel in SimpleCookie(header).items():
                        self.cookies[name] = morsel.value
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
            if token:
                self.csrf_token = token.group(1)
            return response.status, response.getheader("Location"), content
        finally:
            connection.close()

    def sign_in(self, email, password):
        self.request("GET", "/en/accounts/login/")
        status, location, _ = self.request(
            "POST", "/en/accounts/login/", {"login": email, "password": password}
        )
        assert status == 302, "the learner could not sign in"

    def post_together(self, path, data):
        """POST the same form SIMULTANEOUS times at once; returns the statuses."""
        barrier = threading.Barrier(SIMULTANEOUS)
        statuses = []

        def post():
            barrier.wait(timeout=30)
            try:
                statuses.append(self.request("POST", path, data)[0])
            except OSError as error:  # a dropped connection is a failure too
                statuses.append(repr(error))

        threads = [threading.Thread(target=post) for _ in range(SIMULTANEOUS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return statuses


def facts(site, code):
    """Run code in a live site's environment; it sets `result`, returned decoded."""
    output = site.shell(f"import json\n{code}\nprint(json.dumps(result))")
    return json.loads(output.strip().splitlines()[-1])
