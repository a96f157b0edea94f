"""The site forbids framing everywhere (core/csp.py, X_FRAME_OPTIONS). A platform whose
registration allows it may frame the LTI launch pages, and only them: the launch's own
response, the account-linking page, the deep-linking picker and the refusal page."""

from csp.constants import NONE


def allow_framing_by(response, platform):
    """Let the platform's own origin frame this one response, when its registration
    allows that; otherwise leave the site's refusal in place."""
    origin = platform.platform_origin if platform is not None else ""
    if platform is not None and platform.allow_framing and origin:
        response._csp_replace = {"frame-ancestors": [origin]}
        # X-Frame-Options cannot name an origin; the CSP above is what browsers obey.
        response.xframe_options_exempt = True
    else:
        response._csp_replace = {"frame-ancestors": [NONE]}
    return response
