import csv
import logging
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connections, router
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.page_cache import cached_for_anonymous
from core.page_routing import not_private
from core.prebuilt_sql import ID_MARKER, UUID_MARKER, prebuild
from core.rate_limits import is_rate_limited, rate_limit
from courses.models import CoursePage
from learning.progress import enrolment_on, start_new_cycle

from . import openbadges
from .models import Certificate, format_code, normalise_code
from .pdf import cpd_record_pdf
from .pdf_files import store_pdf
from .verification_cache import verification_key_for_request

logger = logging.getLogger(__name__)


def own_certificate(request, certificate_id, *related):
    """Holders see their own certificates; anyone else gets 404.

    The frozen fields are all the page and the PDF show; only the credential needs
    the course page itself, and joining it costs more than the rest of a download.
    """
    certificates = Certificate.objects.for_holder(request.user).filter(pk=certificate_id)
    if related:
        # select_related() with no names would join every foreign key.
        certificates = certificates.select_related(*related)
    certificate = certificates.first()
    if certificate is None:
        raise Http404
    return certificate


def own_certificate_file(request, certificate_id):
    """The holder's certificate with only its file and code loaded; anyone else gets 404.

    A download is this lookup and a file sent from storage; building the lookup's SQL
    took four times as long as running it, so the statement is built once per process.
    """
    connection = connections[router.db_for_read(Certificate)]
    statement = _own_file_lookup(connection.alias)
    certificate_value = Certificate._meta.pk.get_db_prep_value(certificate_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params_with(request.user.pk, certificate_value))
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return statement.instance(Certificate, connection.alias, row, id=certificate_id)


@lru_cache(maxsize=4)
def _own_file_lookup(alias):
    connection = connections[alias]
    certificates = (
        Certificate.objects.for_holder(ID_MARKER)
        .filter(pk=UUID_MARKER)
        .order_by()
        .values_list("pdf", "code")
    )
    return prebuild(
        certificates.query.get_compiler(connection=connection),
        ID_MARKER,
        Certificate._meta.pk.get_db_prep_value(UUID_MARKER, connection),
    )


@login_required
@require_GET
def detail(request, certificate_id):
    certificate = own_certificate(request, certificate_id)
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "status": certificate.status(),
            "verification_path": certificate.get_verification_url(),
            "linkedin_url": openbadges.linkedin_url(certificate),
        },
    )


def stored_pdf(certificate):
    """The certificate's PDF opened for reading, or None when it has not been built or its
    file is gone (lost, or stored in media storage before PDFs had private storage)."""
    if not certificate.pdf:
        return None
    try:
        return certificate.pdf.open("rb")
    except FileNotFoundError:
        logger.warning("Certificate %s PDF file is missing; building it again", certificate.pk)
        return None


@login_required
@require_GET
def download_pdf(request, certificate_id):
    certificate = own_certificate_file(request, certificate_id)
    pdf = stored_pdf(certificate)
    if pdf is None:
        certificate = own_certificate(request, certificate_id)
        try:
            store_pdf(certificate)
            pdf = certificate.pdf.open("rb")
        except Exception:
            logger.exception("Certificate %s PDF could not be built", certificate.pk)
            response = render(
                request,
                "certificates/pdf_not_ready.html",
                {"certificate": certificate},
                status=503,
            )
            response["Retry-After"] = "300"
            return response
    return FileResponse(
        pdf,
        as_attachment=True,
        filename=f"recognise-certificate-{certificate.code}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_GET
def download_credential(request, certificate_id):
    certificate = own_certificate(request, certificate_id, "course")
    response = HttpResponse(
        openbadges.signed_credential(certificate), content_type="application/vc+jwt"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="recognise-open-badge-{certificate.code}.jwt"'
    )
    return response


@login_required
@require_GET
def download_baked_badge(request, certificate_id):
    """The badge image with the holder's credential baked in, to add to a backpack."""
    certificate = own_certificate(request, certificate_id, "course")
    response = HttpResponse(
        openbadges.baked_badge(openbadges.signed_credential(certificate)),
        content_type="image/png",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="recognise-open-badge-{certificate.code}.png"'
    )
    return response


@require_http_methods(["GET", "POST"])
@rate_limit("verify")
def verify_credential(request):
    """Anyone can check an Open Badges credential (the VC-JWT) against our keys."""
    token = request.POST.get("credential", "") if request.method == "POST" else ""
    context = {"credential": token[:20000]}
    status = 200
    if request.method == "POST":
        if not token.strip():
            context["error"] = _("Paste the credential to check it.")
            context["error_target"] = "verify-credential"
            status = 400
        else:
            check = openbadges.check_credential(token[:20000])
            context["check"] = check
            if check.certificate:
                context["status"] = check.certificate.status()
            status = 200 if check.valid else 400
    return render(request, "certificates/verify_credential.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_form(request):
    """Anyone can check a certificate by its code."""
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    if not code:
        return render(request, "certificates/verify_form.html", {})
    if is_rate_limited(request, "verify"):
        response = render(
            request,
            "certificates/verify_form.html",
            {
                "code": code[:40],
                "error": _("Too many checks from your network. Try again in a minute."),
                "error_target": "verify-code",
            },
        )
        response.status_code = 429
        response["Retry-After"] = str(settings.RATE_LIMITS["verify"][1])
        return response
    normalised = normalise_code(code)
    if not Certificate.objects.filter(code=normalised).exists():
        response = render(
            request,
            "certificates/verify_form.html",
            {
                "code": code[:40],
                "error": _("No certificate has this code. Check it and try again."),
                "error_target": "verify-code",
            },
        )
        response.status_code = 404
        return response
    return redirect("certificates:verify", code=format_code(normalised))


def shared_with_anonymous_visitors(view):
    """Visitors who are not signed in all get the same page, which any cache may keep for
    a minute, as the server does (core/page_cache.py); a signed-in reader's carries
    their CSRF token (the language switcher's form), so only their browser may keep it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, max_age=60)
        else:
            patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapped


@require_GET
@rate_limit("verify")
@shared_with_anonymous_visitors
@cached_for_anonymous(verification_key_for_request)
def verify(request, code):
    """The public record of one certificate: status, name, course, dates and issuer only."""
    certificate = (
        Certificate.objects.filter(code=normalise_code(code))
        .only(
            "holder_name",
            "course_title",
            "completed_on",
            "expires_on",
            "issuer_name",
            "revoked_at",
            "code",
        )
        .first()
    )
    if certificate is None:
        response = render(request, "certificates/verify_not_found.html", {}, status=404)
        return response
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "status": certificate.status()},
    )


@login_required
@require_POST
def refresh(request, course_id):
    """Start the course again to renew a certificate; past certificates stay in history."""
    course = CoursePage.objects.live().filter(not_private()).filter(pk=course_id).first()
    enrolment = enrolment_on(course, request.user) if course else None
    if enrolment is None:
        raise Http404
    if enrolment.completed_at is None:
        messages.info(request, _("You are already working through this course."))
    else:
        start_new_cycle(enrolment)
        messages.success(
            request,
            _("You have started “%(course)s” again. Complete it to get a new certificate.")
            % {"course": course.title},
        )
    return redirect(course.url)


@login_required
@require_GET
def cpd_record(request, file_format):
    if file_format not in ("csv", "pdf"):
        raise Http404
    certificates = list(
        Certificate.objects.for_holder(request.user).order_by("completed_on", "course_title")
    )
    if file_format == "pdf":
        content = cpd_record_pdf(request.user, certificates, language=request.LANGUAGE_CODE)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="recognise-cpd-record.pdf"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recognise-cpd-record.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Course"),
            _("Completed"),
            _("CPD hours"),
            _("Valid until"),
            _("Status"),
            _("Verification code"),
        ]
    )
    for certificate in certificates:
        writer.writerow(
            [
                certificate.course_title,
                certificate.completed_on.isoformat(),
                certificate.cpd_hours,
                certificate.expires_on.isoformat(),
                certificate.status(),
                certificate.formatted_code,
            ]
        )
    return response


# Open Badges: public, machine-readable documents ------------------------------


def json_document(data):
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def jwks(request):
    return json_document(openbadges.jwks())


@require_GET
def issuer(request):
    return json_document(openbadges.issuer_profile())


@require_GET
def achievement(request, course_id):
    course = CoursePage.objects.live().filter(not_private()).filter(pk=course_id).first()
    if course is None:
        raise Http404
    return json_document(openbadges.achievement(course))


@require_GET
def badge_image(request):
    response = HttpResponse(openbadges.badge_image_png(), content_type="image/png")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def status_list(request, kid):
    """A key's signed status list; an unknown list is a 404 in JSON, as verifiers expect."""
    token = openbadges.signed_status_list(kid)
    if token is None:
        response = JsonResponse({"error": "No status list has this address."}, status=404)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    response = HttpResponse(token, content_type="application/vc+jwt")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def credential(request, certificate_id):
    """A credential's id resolves for its holder; others are told to verify it instead."""
    if request.user.is_authenticated:
        certificate = Certificate.objects.for_holder(request.user).filter(pk=certificate_id).first()
        if certificate:
            return json_document(openbadges.open_badge_credential(certificate))
    raise Http404
