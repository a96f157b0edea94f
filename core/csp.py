"""Content Security Policy: strict for the site, the least relaxed that works for the admin.

Site pages run no inline script at all (the base template has none) and allow only
same-origin resources, images from data: URIs (the authenticator QR code) and video
embeds from two known players. The Wagtail admin needs inline styles and scripts of its
own, so under /admin/ those two are relaxed and nothing else is.
"""

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

VIDEO_PLAYERS = [
    "https://www.youtube-nocookie.com",
    "https://www.youtube.com",
    "https://player.vimeo.com",
]

SITE_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": VIDEO_PLAYERS,
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}

ADMIN_POLICY = {
    **SITE_POLICY,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    # Previews of pages being edited are framed by the admin itself.
    "frame-src": [SELF, *VIDEO_PLAYERS],
    "frame-ancestors": [SELF],
}


class SitePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin policy for admin addresses."""

    def process_response(self, request, response):
        if request.path_info.startswith("/admin/"):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith("/admin/"):
            parts = PolicyParts(ADMIN_POLICY, parts.update, parts.replace, None)
        return parts
