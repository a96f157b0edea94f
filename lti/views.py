"""The LTI 1.3 endpoints: the tool's key set, OIDC login initiation, the launch, the
deep-linking choice, and linking a platform user to an existing account.

Anything wrong with a launch (expired, replayed or wrongly signed id_token, wrong
audience, nonce, state, deployment or issuer) ends on a 4xx page saying so, with an
audit entry; never a server error."""

import hashlib
import logging
from urllib.parse import urlsplit

import jwt
import requests
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti_tool.models import LtiLaunch, LtiRegistration, LtiUser
from lti_tool.utils import DjangoToolConfig, sync_data_from_launch
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem

from accounts.models import User
from audit.models import Action
from audit.records import record
from core.site_urls import absolute_url
from courses.models import CoursePage

from . import launches
from .framing import allow_framing_by
from .keys import public_key_set, signing_key
from .models import PlatformRegistration

logger = logging.getLogger(__name__)

PENDING_LINK = "lti_pending_link"
DEEP_LINK_SALT = "lti.deep-link"
DEEP_LINK_SECONDS = 3600
# A framed launch hands over to a new window with a link that signs the person in once,
# within this many seconds: the frame's own session cookie is a third party's there, which
# browsers do not keep, so the new window could not otherwise know who launched.
CONTINUE_SALT = "lti.continue"
CONTINUE_SECONDS = 300
# A used id_token's nonce is remembered this long: longer than any token lives.
USED_NONCE_SECONDS = 2 * 3600


class TimeoutSession(requests.Session):
    """pylti1p3 fetches the platform's key set with this session: never without a
    timeout."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", (5, 15))
        return super().request(*args, **kwargs)


def platform_of(registration):
    if registration is None:
        return None
    return (
        PlatformRegistration.objects.select_related("organisation", "registration")
        .filter(registration=registration)
        .first()
    )


def refused(request, reason, status=400, platform=None, detail=""):
    """The page for a launch Recognise will not take, with an audit entry."""
    record(
        Action.LTI_LAUNCH_REFUSED,
        f"LTI launch refused: {reason}",
        actor=None,
        actor_label=_("LTI platform"),
        request=request,
        data={"reason": reason, "detail": detail[:200], "platform": getattr(platform, "pk", None)},
    )
    response = render(request, "lti/refused.html", {"reason": reason}, status=status)
    return allow_framing_by(response, platform)


@require_GET
def jwks(request):
    return JsonResponse(public_key_set())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def login_initiation(request, registration_uuid):
    """Step one of a launch: the platform sends the person here, and they go back to
    the platform's sign-in address with a state and a nonce."""
    params = request.POST if request.method == "POST" else request.GET
    signing_key()
    registration = LtiRegistration.objects.active().filter(uuid=registration_uuid).first()
    if registration is None or platform_of(registration) is None:
        return refused(request, _("This platform is not registered with Recognise."))
    if params.get("iss") != registration.issuer:
        return refused(request, _("The launch came from an unexpected issuer."))
    try:
        oidc = DjangoOIDCLogin(
            request,
            DjangoToolConfig(registration_uuid),
            launch_data_storage=DjangoCacheDataStorage(),
        )
        # The launch always comes back to Recognise's own launch address, whatever
        # target_link_uri says, so the initiation cannot send anyone elsewhere.
        return oidc.redirect(absolute_url(reverse("lti:launch")))
    except LtiException as error:
        return refused(
            request,
            _("The launch could not be started."),
            platform=platform_of(registration),
            detail=str(error),
        )


def validated_launch(request):
    message_launch = DjangoMessageLaunch(
        request,
        DjangoToolConfig(),
        launch_data_storage=DjangoCacheDataStorage(),
        requests_session=TimeoutSession(),
    )
    message_launch.validate()
    return message_launch


def reason_for(error):
    text = str(error)
    lowered = text.lower()
    if "expired" in lowered:
        return _("The launch has expired. Launch again from your platform.")
    if "nonce" in lowered:
        return _("The launch's nonce is not one Recognise issued.")
    if "state" in lowered:
        return _("The launch's state does not match. Launch again from your platform.")
    if "deployment" in lowered:
        return _("This deployment is not registered with Recognise.")
    if "audience" in lowered or "client_id" in lowered or "aud" in lowered:
        return _("The launch was meant for another tool.")
    if "registration" in lowered or "issuer" in lowered or "iss" in lowered:
        return _("This platform is not registered with Recognise.")
    if "signature" in lowered or "decode" in lowered or "key" in lowered:
        return _("The launch's signature could not be checked.")
    return _("The launch could not be checked.")


@csrf_exempt
@require_POST
def launch(request):
    """Step two: the platform posts a signed id_token; check it, then sign in, enrol
    and open the course, or offer the deep-linking choice."""
    signing_key()
    try:
        message_launch = validated_launch(request)
    except LtiException as error:
        return refused(request, reason_for(error), detail=str(error))
    except (jwt.PyJWTError, requests.RequestException, ValueError, KeyError, TypeError) as error:
        logger.info("LTI launch refused: %s", error)
        return refused(request, _("The launch could not be checked."), detail=str(error))
    tool_conf = message_launch.get_tool_conf()
    platform = platform_of(tool_conf.registration)
    if platform is None:
        return refused(request, _("This platform is not registered with Recognise."))
    body = message_launch.get_launch_data()
    nonce_key = (
        "lti:used-nonce:"
        + hashlib.sha256(f"{body.get('iss')}|{body.get('nonce')}".encode()).hexdigest()
    )
    if not cache.add(nonce_key, 1, USED_NONCE_SECONDS):
        return refused(request, _("This launch has already been used."), platform=platform)
    if tool_conf.deployment is None or not tool_conf.deployment.is_active:
        return refused(
            request, _("This deployment is not registered with Recognise."), platform=platform
        )
    lti_launch = LtiLaunch(message_launch)
    sync_data_from_launch(lti_launch)
    if lti_launch.is_deep_link_launch:
        return deep_linking_choice(request, lti_launch, platform)
    if not lti_launch.is_resource_launch:
        return refused(
            request, _("Recognise does not take this kind of launch."), platform=platform
        )
    return resource_launch(request, lti_launch, platform)


def resource_launch(request, lti_launch, platform):
    course = launches.course_for(lti_launch)
    if course is None:
        return refused(
            request,
            _(
                "This link does not point to a course. Ask your platform's administrator to "
                "choose a course for it."
            ),
            status=400,
            platform=platform,
        )
    lti_user = lti_launch.user
    user = lti_user.auth_user
    if user is None:
        email = launches.email_in(lti_launch)
        if launches.email_taken(email):
            # Never signed in on an email alone: the person proves the account is theirs.
            request.session[PENDING_LINK] = {
                "email": email.lower(),
                "lti_user": lti_user.pk,
                "course": course.pk,
                "platform": platform.pk,
            }
            response = render(
                request,
                "lti/link_account.html",
                {"email": email, "platform": platform, "next": reverse("lti_pages:link")},
                status=200,
            )
            return allow_framing_by(response, platform)
        user = launches.new_learner_for(lti_user, email, launches.name_in(lti_launch))
    if not user.is_active:
        return refused(request, _("This account is closed."), status=403, platform=platform)
    launches.make_member(user, platform.organisation)
    launches.sign_in(request, user, platform)
    message = launches.enrol_in(user, course)
    return landing(request, course, platform, message)


def landing(request, course, platform, message=""):
    if message:
        response = render(
            request, "lti/not_enrolled.html", {"course": course, "message": message}, status=200
        )
        return allow_framing_by(response, platform)
    if platform.allow_framing and request.headers.get("Sec-Fetch-Dest") == "iframe":
        # The course pages refuse every frame: inside the platform's frame the launch
        # ends on this page, which opens the course in a window of its own.
        token = signing.dumps(
            {"user": request.user.pk, "course": course.pk, "platform": platform.pk},
            salt=CONTINUE_SALT,
        )
        response = render(
            request,
            "lti/open_course.html",
            {"course": course, "continue_url": reverse("lti_pages:continue", args=[token])},
        )
        return allow_framing_by(response, platform)
    return allow_framing_by(HttpResponseRedirect(course.url), platform)


@require_GET
def continue_in_new_window(request, token):
    """The new window of a framed launch: sign the person in (once, and only within a
    few minutes of the launch) and open the course."""
    try:
        handed_over = signing.loads(token, salt=CONTINUE_SALT, max_age=CONTINUE_SECONDS)
    except signing.BadSignature:
        handed_over = None
    used_key = "lti:continue-used:" + hashlib.sha256(token.encode()).hexdigest()
    if handed_over is None or not cache.add(used_key, 1, 2 * CONTINUE_SECONDS):
        return render(request, "lti/continue_gone.html", status=404)
    user = User.objects.filter(pk=handed_over["user"], is_active=True).first()
    platform = PlatformRegistration.objects.filter(
        pk=handed_over["platform"], registration__is_active=True
    ).first()
    course = CoursePage.objects.live().filter(pk=handed_over["course"]).first()
    if user is None or platform is None or course is None:
        return render(request, "lti/continue_gone.html", status=404)
    launches.sign_in(request, user, platform)
    return HttpResponseRedirect(course.url)


@login_required
@require_http_methods(["GET", "POST"])
def link(request):
    """After signing in with a password: link the platform user who launched to this
    account, then open the course."""
    pending = request.session.get(PENDING_LINK)
    lti_user = platform = course = None
    if pending:
        lti_user = LtiUser.objects.filter(pk=pending["lti_user"], auth_user__isnull=True).first()
        platform = PlatformRegistration.objects.filter(pk=pending["platform"]).first()
        course = CoursePage.objects.live().filter(pk=pending["course"]).first()
    if lti_user is None or platform is None or course is None:
        request.session.pop(PENDING_LINK, None)
        return render(request, "lti/link_gone.html", status=404)
    if request.user.email.lower() != pending.get("email"):
        # Only the account the launch named may be linked: a launch someone else
        # started in this browser can never be tied to whoever signs in here.
        return render(request, "lti/link_other_account.html", status=403)
    if request.method == "POST":
        request.session.pop(PENDING_LINK, None)
        launches.link_account(lti_user, request.user, request, platform)
        launches.make_member(request.user, platform.organisation)
        message = launches.enrol_in(request.user, course)
        return landing(request, course, platform, message)
    return render(request, "lti/link_confirm.html", {"platform": platform, "course": course})


def deep_linking_choice(request, lti_launch, platform):
    token = signing.dumps(
        {"launch": lti_launch.get_launch_id(), "platform": platform.pk}, salt=DEEP_LINK_SALT
    )
    courses = CoursePage.objects.live().public().order_by("title").only("pk", "title")
    response = render(
        request, "lti/deep_link.html", {"courses": courses, "token": token, "platform": platform}
    )
    return allow_framing_by(response, platform)


@csrf_exempt
@require_POST
def deep_link_return(request):
    """The administrator's choice, signed back to the platform. The signed token from
    the choice page stands in for the session, which a framed page may not have."""
    try:
        data = signing.loads(
            request.POST.get("token", ""), salt=DEEP_LINK_SALT, max_age=DEEP_LINK_SECONDS
        )
    except signing.BadSignature:
        return refused(request, _("The choice has expired. Start again from your platform."))
    platform = PlatformRegistration.objects.filter(pk=data["platform"]).first()
    try:
        message_launch = DjangoMessageLaunch.from_cache(
            data["launch"],
            request,
            DjangoToolConfig(),
            launch_data_storage=DjangoCacheDataStorage(),
        )
    except LtiException:
        return refused(
            request, _("The choice has expired. Start again from your platform."), platform=platform
        )
    course_id = request.POST.get("course", "")
    course = (
        CoursePage.objects.live().public().filter(pk=int(course_id)).first()
        if course_id.isdigit()
        else None
    )
    if course is None or platform is None:
        return refused(request, _("Choose one of the courses listed."), platform=platform)
    resource = (
        DeepLinkResource()
        .set_url(absolute_url(reverse("lti:launch")))
        .set_title(course.title)
        .set_custom_params({launches.CUSTOM_COURSE: str(course.pk)})
        .set_lineitem(LineItem().set_score_maximum(100).set_label(course.title))
    )
    deep_link = message_launch.get_deep_link()
    return_url = deep_link._deep_link_settings["deep_link_return_url"]
    response = render(
        request,
        "lti/deep_link_return.html",
        {
            "return_url": return_url,
            "jwt": deep_link.get_response_jwt([resource]),
            "course": course,
        },
    )
    # The form posts to the platform, which the site's form-action allows for this page.
    response._csp_update = {"form-action": [origin_of(return_url)]}
    return allow_framing_by(response, platform)


def origin_of(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
