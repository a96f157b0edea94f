"""gunicorn's settings for the web process (Procfile: gunicorn -c python:recognise.gunicorn_config).

Its access log and its own messages are written in the site's log format
(core/log_format.py), with the request's id from the X-Request-ID response header,
tokens and codes in addresses masked, and no client address: the proxy in front and the
audit log already keep what needs keeping.
"""

import os

from gunicorn.glogging import Logger

from core.log_format import LogContext, RequestContextFilter, formatter, log_context
from core.url_secrets import mask_secrets

# Method, path and protocol; status; bytes sent; milliseconds taken.
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
accesslog = "-"


class MaskingLogger(Logger):
    """gunicorn's logger, writing the site's format with secrets in addresses masked."""

    def setup(self, cfg):
        super().setup(cfg)
        site_formatter = formatter(os.environ.get("LOG_FORMAT", "text"))
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(site_formatter)
                handler.addFilter(RequestContextFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: mask_secrets(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }

    def access(self, resp, req, environ, request_time):
        # Django has finished with the request; its id is in the response's headers.
        request_id = next(
            (value for name, value in resp.headers if name.lower() == "x-request-id"), "-"
        )
        token = log_context.set(LogContext(request_id=request_id))
        try:
            super().access(resp, req, environ, request_time)
        finally:
            log_context.reset(token)


logger_class = MaskingLogger
