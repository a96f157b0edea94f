"""Who can reach what: every URL of the site, requested as each kind of person.

The tables below have one row per URL (or per URL and object) and one column per
actor. Each cell is what that actor gets:

    200  the page or file
    302  a redirect somewhere other than the sign-in page (e.g. back to the course)
    log  a redirect to the sign-in page
    401  not authenticated: the reporting API asks for an API token (a session is not one)
    403  refused
    404  not found: other people's records are 404, so nobody learns they exist.
         (A not-found address outside /en/ is redirected to the same address under
         /en/ by Django's LocaleMiddleware; the test follows it and reads the 404.)
    405  wrong method (a POST-only action asked for with GET)
    409  too late: the record can no longer be changed (answers for a submitted attempt)
    400  a request the view will not answer (the admin API, for a section the user may
         not explore)

The actors, in column order:

    anon  nobody signed in
    lnA   learner A, in organisation X and its cohort; owns the enrolment, attempts
          and certificate the rows ask for
    lnB   learner B, in organisation Y
    trX   trainer of organisation X (owns the cohort, assignment and invitations)
    trY   trainer of organisation Y
    edX   NGO editor of organisation X (owns the guidance page, draft and image)
    edY   NGO editor of organisation Y
    rev   safeguarding reviewer (the guidance page waits at their review step)
    pub   publisher
    su    superuser

Every staff actor (trX to su) is signed in with their second factor, as a person
would be (tests/signing_in.py). Every request is made on the same world, built once
for the module, and rolled back after it, so each cell is independent of the others.

GET_TABLE asks with GET. POST_TABLE asks with POST (data from POST_DATA) and, for
each actor refused (log, 4xx), also checks that the request changed none of learner
A's or organisation X's records. Whatever the status, no response may show an
actor something in SECRETS that they should not see (another NGO's draft or image,
learner A's address, organisation X's cohort).

Coverage rule (test_every_project_url_has_a_row): every URL pattern that is the
project's own must have a row, so a new URL fails this test until someone writes down
who may reach it. A pattern is the project's own when

  - it is written in one of the project's URL modules (recognise.urls, courses.urls,
    ...), or
  - its view is defined in the project's code (recognise.*, courses, quizzes,
    certificates, xapi, lti, cohorts, guidance): this takes in the admin URLs registered
    from wagtail_hooks, such as the reports and assessment statistics, or
  - it belongs to an admin viewset whose class or model is the project's: the
    question bank's snippet and chooser views, organisations, issued certificates,
    the user admin (the project's UserViewSet), time adjustments, Learning Record
    Stores, LTI platforms, the audit log and the list of invitations outside verified domains.

Wagtail's and allauth's own patterns have rows where they touch the project's
rules: page editing, revisions, history, preview, copy, move, unpublish and the
workflow; the page, image, document and snippet choosers; images and documents;
users, groups and the settings areas; the admin API's page listing; the sign-in,
sign-up and account pages. test_every_admin_url_is_a_staff_area then sweeps every
admin and trainer URL, rows or not, for the guard all of them share: the anonymous
are sent to sign in, learners and trainers are refused the admin, and staff without
a second factor are sent to set one up. The rest of those packages' patterns (bulk
actions, workflow and task settings, collection privacy, redirect import, form
submissions, wagtail-localize's translation editor, embeds, editing sessions,
Wagtail's password-reset views, allauth's e-mail, password-reset and recovery-code
flows and WebAuthn) are deliberately left to those packages' own tests.
"""

import datetime
import io
import json
import re
import uuid
from types import ModuleType

import pytest
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from lti_tool.models import LtiContext
from PIL import Image as PILImage
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site, Workflow, WorkflowState

from accounts.models import Membership, User
from audit.models import AuditEvent
from certificates import openbadges
from certificates.models import Certificate
from cohorts.assigning import add_member, assign
from cohorts.jobs import new_job, run_job
from cohorts.models import (
    Assignment,
    AssignmentNudge,
    Cohort,
    CohortMember,
    EmailInvitation,
    InvitationLink,
)
from cohorts.unsubscribing import unsubscribe_token
from courses.models import Enrolment, LessonCompletion
from learning.attempts import start_attempt, submit_attempt
from learning.models import TimeAdjustment
from learning.progress import complete_lesson, enrol
from lti.models import RosterImport
from lti.viewsets import PlatformRegistrationForm
from quizzes.models import Attempt, Question, QuestionCategory, ScenarioGroup
from recognise.editorial.ngo_access import ensure_ngo_access, grant_pages
from reports.models import ApiToken
from sso.models import OrganisationSignIn
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    make_api_token,
    make_assessment,
    make_category,
    make_course,
    make_guidance,
    make_guidance_section,
    make_question,
    make_scenario,
)
from tests.signing_in import enrol_totp, sign_in, sign_in_with_totp
from tests.sso_saml.idp import new_certificate_body
from xapi.models import LearningRecordStore

ACTORS = (
    "anon",
    "learner_a",
    "learner_b",
    "trainer_x",
    "trainer_y",
    "editor_x",
    "editor_y",
    "reviewer",
    "publisher",
    "superuser",
)

# The tables --------------------------------------------------------------------------
# "{m}" in a row stands for questioncategory of the question bank (questions and
# scenario groups have rows of their own). Arguments name entries of World.args.

GET_TABLE = """
# URL name                                          arguments      anon lnA lnB trX trY edX edY rev pub su

# Public pages and machine-readable documents
healthz                                             -              200 200 200 200 200 200 200 200 200 200
jwks                                                -              200 200 200 200 200 200 200 200 200 200
openbadges:issuer                                   -              200 200 200 200 200 200 200 200 200 200
openbadges:achievement                              course         200 200 200 200 200 200 200 200 200 200
openbadges:status_list                              signing_kid    200 200 200 200 200 200 200 200 200 200
openbadges:status_list                              no_such_kid    404 404 404 404 404 404 404 404 404 404
openbadges:badge_image                              -              200 200 200 200 200 200 200 200 200 200
openbadges:credential                               cert_a         404 200 404 404 404 404 404 404 404 404
# Images in media storage: renditions for everyone, originals for who may choose them
media_image                                         rendition_x    200 200 200 200 200 200 200 200 200 200
media_image                                         original_x     404 404 404 404 404 200 404 200 200 200
search                                              -              200 200 200 200 200 200 200 200 200 200
privacy                                             -              200 200 200 200 200 200 200 200 200 200
accessibility                                       -              200 200 200 200 200 200 200 200 200 200
certificates:verify_form                            -              200 200 200 200 200 200 200 200 200 200
certificates:verify                                 code_a         200 200 200 200 200 200 200 200 200 200
certificates:verify_credential                      -              200 200 200 200 200 200 200 200 200 200
switch_language                                     -              302 302 302 302 302 302 302 302 302 302
wagtail_serve                                       home_path      200 200 200 200 200 200 200 200 200 200
wagtail_serve                                       course_path    200 200 200 200 200 200 200 200 200 200
wagtail_serve                                       lesson_path    200 200 200 200 200 200 200 200 200 200
wagtail_serve                                       final_path     200 200 200 200 200 200 200 200 200 200
wagtail_serve                                       library_path   200 200 200 200 200 200 200 200 200 200
wagtail_serve                                       guide_x_path   200 200 200 200 200 200 200 200 200 200
wagtail_serve                                       draft_x_path   404 404 404 404 404 404 404 404 404 404
# Documents are public files: served (here by a redirect to storage) to everyone.
wagtaildocs_serve                                   doc_x_file     302 302 302 302 302 302 302 302 302 302

# Signing in: allauth's forms only (the admin's and Wagtail's own forms redirect there)
account_login                                       -              200 302 302 302 302 302 302 302 302 302
account_signup                                      -              200 302 302 302 302 302 302 302 302 302
account_reset_password                              -              200 200 200 200 200 200 200 200 200 200
account_email                                       -              log 200 200 200 200 200 200 200 200 200
mfa_index                                           -              log 200 200 200 200 200 200 200 200 200
page_login_redirect                                 -              log log log log log log log log log log
admin_login_redirect                                -              log 403 403 403 403 log log log log log
# Organisations' identity providers: allauth's confirmation page before leaving for the
# provider (only a POST leaves), a callback nobody started, refused, and allauth's page
# for a failed provider sign-in, which it answers with 401.
openid_connect_login                                sso_provider_x 200 200 200 200 200 200 200 200 200 200
openid_connect_callback                             sso_provider_x 400 400 400 400 400 400 400 400 400 400
socialaccount_connections                           -              log 200 200 200 200 200 200 200 200 200
socialaccount_login_cancelled                       -              200 200 200 200 200 200 200 200 200 200
socialaccount_login_error                           -              401 401 401 401 401 401 401 401 401 401
socialaccount_signup                                -              log log log log log log log log log log
# SAML sign-in with organisation X's identity provider (tests/sso_saml/ sign in through it)
saml_metadata                                       saml_x         200 200 200 200 200 200 200 200 200 200
saml_login                                          saml_x         200 200 200 200 200 200 200 200 200 200
saml_acs                                            saml_x         302 302 302 302 302 302 302 302 302 302
saml_finish_acs                                     saml_x         400 400 400 400 400 400 400 400 400 400
saml_sls                                            saml_x         400 400 400 400 400 400 400 400 400 400

# Your own account
accounts:profile                                    -              log 200 200 200 200 200 200 200 200 200
privacy:download_data                               -              log 405 405 405 405 405 405 405 405 405
privacy:delete_account                              -              log 200 200 200 200 200 200 200 200 403
privacy:account_deleted                             -              200 200 200 200 200 200 200 200 200 200

# Learning: learner A's enrolment, attempts and certificate
learning:my_learning                                 -              log 200 200 200 200 200 200 200 200 200
learning:enrol                                       course         log 405 405 405 405 405 405 405 405 405
learning:complete_lesson                             lesson         log 405 405 405 405 405 405 405 405 405
learning:start                                       final          log 405 405 405 405 405 405 405 405 405
learning:attempt                                     attempt_open   log 200 404 404 404 404 404 404 404 404
learning:attempt                                     attempt_done   log 302 404 404 404 404 404 404 404 404
learning:autosave                                    attempt_open   log 405 405 405 405 405 405 405 405 405
learning:result                                      attempt_done   log 200 404 404 404 404 404 404 404 404
# A paged attempt: one question per page, then a page to check the answers
learning:attempt                                     attempt_paged  log 302 404 404 404 404 404 404 404 404
learning:attempt_page                                paged_page_1   log 200 404 404 404 404 404 404 404 404
learning:attempt_page                                paged_page_9   log 404 404 404 404 404 404 404 404 404
learning:attempt_page                                done_page_1    log 302 404 404 404 404 404 404 404 404
learning:check_answers                               attempt_paged  log 200 404 404 404 404 404 404 404 404
learning:check_answers                               attempt_done   log 302 404 404 404 404 404 404 404 404
certificates:detail                                 cert_a         log 200 404 404 404 404 404 404 404 404
certificates:pdf                                    cert_a         log 200 404 404 404 404 404 404 404 404
certificates:credential                             cert_a         log 200 404 404 404 404 404 404 404 404
certificates:baked_badge                            cert_a         log 200 404 404 404 404 404 404 404 404
certificates:refresh                                course         log 405 405 405 405 405 405 405 405 405
certificates:cpd_record                             csv            log 200 200 200 200 200 200 200 200 200
certificates:cpd_record                             pdf            log 200 200 200 200 200 200 200 200 200

# Trainers: organisation X's cohort, its learners and exports
cohorts:overview                                    -              log 403 403 200 200 403 403 403 403 403
cohorts:dashboard                                   cohort_x       log 403 403 200 404 403 403 403 403 403
cohorts:members                                     cohort_x       log 403 403 200 404 403 403 403 403 403
cohorts:assign                                      cohort_x       log 403 403 200 404 403 403 403 403 403
cohorts:export_csv                                  cohort_x       log 403 403 200 404 403 403 403 403 403
cohorts:export_xlsx                                 cohort_x       log 403 403 200 404 403 403 403 403 403
cohorts:certificates_zip                            cohort_x       log 403 403 200 404 403 403 403 403 403
# A trainer's background job: only their organisation's trainers; other trainers not found
cohorts:job                                         job_x          log 403 403 200 404 403 403 403 403 403
cohorts:job_progress                                job_x          log 403 403 200 404 403 403 403 403 403
cohorts:job_download                                job_x          log 403 403 200 404 403 403 403 403 403
cohorts:learner                                     learner_a      log 403 403 200 404 403 403 403 403 403
cohorts:learner                                     learner_b      log 403 403 404 200 403 403 403 403 403
cohorts:assign_to_learner                           learner_a      log 405 405 405 405 405 405 405 405 405
cohorts:set_adjustment                              learner_a      log 405 405 405 405 405 405 405 405 405
cohorts:set_staff_number                            learner_a      log 405 405 405 405 405 405 405 405 405
cohorts:remove_adjustment                           adjustment_a   log 405 405 405 405 405 405 405 405 405
# An invitation link is the key to its cohort: whoever holds it sees whose it is.
cohorts:join                                        token_x        log 200 200 200 200 200 200 200 200 200
# Housekeeping: confirm and form pages for the trainer's own cohort; actions are POST only
cohorts:member_list                                 cohort_x       log 403 403 200 404 403 403 403 403 403
cohorts:remove_member                               member_a       log 403 403 200 404 403 403 403 403 403
cohorts:settings                                    cohort_x       log 403 403 200 404 403 403 403 403 403
cohorts:archive                                     cohort_x       log 405 405 405 405 405 405 405 405 405
cohorts:due_date                                    assignment_x   log 403 403 200 404 403 403 403 403 403
cohorts:cancel_assignment                           assignment_x   log 403 403 200 404 403 403 403 403 403
cohorts:withdraw_link                               link_x         log 405 405 405 405 405 405 405 405 405
cohorts:withdraw_invitation                         invite_x       log 405 405 405 405 405 405 405 405 405
cohorts:nudge                                       assignment_pk_x log 403 403 200 404 403 403 403 403 403
# A learner's own due date as a calendar file: nobody else's, not even their trainer's
cohorts:assignment_calendar                         assignment_pk_x log 200 404 404 404 404 404 404 404 404
# Turning reminders off: the signed token is the proof, so no sign-in is asked for
cohorts:unsubscribe                                 unsub_a        200 200 200 200 200 200 200 200 200 200
cohorts:unsubscribe                                 unsub_bad      400 400 400 400 400 400 400 400 400 400

# LTI 1.3: the tool's public keys for everyone; login initiation without the platform's
# parameters is refused (400, never a 404 that LocaleMiddleware would redirect); the
# launch and deep-linking answer are POST-only. Linking an account needs a launch waiting.
lti:jwks                                            -              200 200 200 200 200 200 200 200 200 200
lti:login                                           lti_reg_x      400 400 400 400 400 400 400 400 400 400
lti:launch                                          -              405 405 405 405 405 405 405 405 405 405
lti:deep_link_return                                -              405 405 405 405 405 405 405 405 405 405
lti_pages:link                                      -              log 404 404 404 404 404 404 404 404 404
lti_pages:continue                                  unsub_bad      404 404 404 404 404 404 404 404 404 404
# Filling a cohort from a platform course's roster: the cohort's own trainers
lti_pages:fill_from_roster                          cohort_x       log 403 403 200 404 403 403 403 403 403
lti_pages:roster_import                             roster_x       log 403 403 200 404 403 403 403 403 403
lti_pages:roster_import_progress                    roster_x       log 403 403 200 404 403 403 403 403 403

# Trainers: their organisation's API tokens (Y's trainer sees Y's, and cannot revoke X's)
reports:api_tokens                                  -              log 403 403 200 200 403 403 403 403 403
reports:revoke_api_token                            api_token_x    log 403 403 200 404 403 403 403 403 403

# The reporting API answers an API token only: a session, whoever's, is not enough.
reporting_api:learners                              -              401 401 401 401 401 401 401 401 401 401
reporting_api:learner                               learner_a      401 401 401 401 401 401 401 401 401 401
reporting_api:assignments                           -              401 401 401 401 401 401 401 401 401 401
reporting_api:statuses                              -              401 401 401 401 401 401 401 401 401 401
# Its schema describes the API, not anyone's records.
reporting_api:schema                                -              200 200 200 200 200 200 200 200 200 200
# The public catalogue: live public courses only (a lesson is not listed by the API).
catalogue_api:pages:listing                         -              200 200 200 200 200 200 200 200 200 200
catalogue_api:pages:detail                          course         200 200 200 200 200 200 200 200 200 200
catalogue_api:pages:detail                          lesson         404 404 404 404 404 404 404 404 404 404
# Finding a page by its address, with no address given.
catalogue_api:pages:find                            -              404 404 404 404 404 404 404 404 404 404
# Organisation-wide reporting: each trainer sees their own organisation's rows only
reports:compliance                                  -              log 403 403 200 200 403 403 403 403 403
reports:compliance_csv                              -              log 403 403 200 200 403 403 403 403 403
reports:compliance_xlsx                             -              log 403 403 200 200 403 403 403 403 403

# The project's admin views
editorial_review_due                                -              log 403 403 403 403 403 403 200 200 200
editorial_review_due_results                        -              log 403 403 403 403 403 403 200 200 200
quizzes_statistics                                  final          log 403 403 403 403 403 403 403 200 200
quizzes_statistics_csv                              final          log 403 403 403 403 403 403 403 200 200
# The question bank's writing checks: whoever works on the bank (an NGO editor, on
# their own courses' questions only).
quizzes_item_report                                 -              log 403 403 403 403 200 200 200 200 200
issued_certificates:index                           -              log 403 403 403 403 403 403 403 200 200
issued_certificates:index_results                   -              log 403 403 403 403 403 403 403 200 200
issued_certificates:inspect                         cert_a         log 403 403 403 403 403 403 403 200 200
issued_certificates:revoke                          cert_a         log 403 403 403 403 403 403 403 200 200
# Publishers of the course only: NGO editors and reviewers cannot publish it.
certificates_significant_change                     course         log 403 403 403 403 403 403 403 200 200
issued_certificates:add                             -              log 403 403 403 403 403 403 403 403 403
issued_certificates:edit                            cert_a         log 403 403 403 403 403 403 403 403 200
issued_certificates:delete                          cert_a         log 403 403 403 403 403 403 403 403 200
issued_certificates:copy                            cert_a         log 403 403 403 403 403 403 403 403 403
issued_certificates:history                         cert_a         log 403 403 403 403 403 403 403 403 200
issued_certificates:history_results                 cert_a         log 403 403 403 403 403 403 403 403 200
issued_certificates:usage                           cert_a         log 403 403 403 403 403 403 403 403 200
organisations:index                                 -              log 403 403 403 403 403 403 403 403 200
organisations:index_results                         -              log 403 403 403 403 403 403 403 403 200
organisations:add                                   -              log 403 403 403 403 403 403 403 403 200
organisations:edit                                  org_x          log 403 403 403 403 403 403 403 403 200
organisations:delete                                org_x          log 403 403 403 403 403 403 403 403 200
organisations:copy                                  org_x          log 403 403 403 403 403 403 403 403 200
organisations:history                               org_x          log 403 403 403 403 403 403 403 403 200
organisations:history_results                       org_x          log 403 403 403 403 403 403 403 403 200
organisations:usage                                 org_x          log 403 403 403 403 403 403 403 403 200
wagtailusers_users:index                            -              log 403 403 403 403 403 403 403 403 200
wagtailusers_users:index_results                    -              log 403 403 403 403 403 403 403 403 200
wagtailusers_users:add                              -              log 403 403 403 403 403 403 403 403 200
wagtailusers_users:edit                             learner_a      log 403 403 403 403 403 403 403 403 200
wagtailusers_users:delete                           learner_a      log 403 403 403 403 403 403 403 403 200
wagtailusers_users:copy                             learner_a      log 403 403 403 403 403 403 403 403 200
wagtailusers_users:history                          learner_a      log 403 403 403 403 403 403 403 403 200
wagtailusers_users:history_results                  learner_a      log 403 403 403 403 403 403 403 403 200
wagtailusers_users:usage                            learner_a      log 403 403 403 403 403 403 403 403 200
audit_log:index                                     -              log 403 403 403 403 403 403 403 403 200
audit_log:index_results                             -              log 403 403 403 403 403 403 403 403 200
audit_log:inspect                                   event          log 403 403 403 403 403 403 403 403 200
audit_log:add                                       -              log 403 403 403 403 403 403 403 403 403
audit_log:edit                                      event          log 403 403 403 403 403 403 403 403 403
audit_log:delete                                    event          log 403 403 403 403 403 403 403 403 403
audit_log:history                                   event          log 403 403 403 403 403 403 403 403 403
audit_log:history_results                           event          log 403 403 403 403 403 403 403 403 403
audit_log:usage                                     event          log 403 403 403 403 403 403 403 403 403
# Time adjustments: administrators only (a note may concern a learner's health)
time_adjustments:index                              -              log 403 403 403 403 403 403 403 403 200
time_adjustments:index_results                      -              log 403 403 403 403 403 403 403 403 200
time_adjustments:add                                -              log 403 403 403 403 403 403 403 403 200
time_adjustments:edit                               adj_a          log 403 403 403 403 403 403 403 403 200
time_adjustments:delete                             adj_a          log 403 403 403 403 403 403 403 403 200
time_adjustments:history                            adj_a          log 403 403 403 403 403 403 403 403 200
time_adjustments:history_results                    adj_a          log 403 403 403 403 403 403 403 403 200
time_adjustments:usage                              adj_a          log 403 403 403 403 403 403 403 403 200
# Learning Record Stores: administrators only (their settings hold an organisation's secret)
learning_record_stores:index                        -              log 403 403 403 403 403 403 403 403 200
learning_record_stores:index_results                -              log 403 403 403 403 403 403 403 403 200
learning_record_stores:add                          -              log 403 403 403 403 403 403 403 403 200
learning_record_stores:edit                         lrs_x          log 403 403 403 403 403 403 403 403 200
learning_record_stores:delete                       lrs_x          log 403 403 403 403 403 403 403 403 200
learning_record_stores:history                      lrs_x          log 403 403 403 403 403 403 403 403 200
learning_record_stores:history_results              lrs_x          log 403 403 403 403 403 403 403 403 200
learning_record_stores:usage                        lrs_x          log 403 403 403 403 403 403 403 403 200
# LTI platforms: administrators only (they decide whose launches sign people in)
lti_platforms:index                                 -              log 403 403 403 403 403 403 403 403 200
lti_platforms:index_results                         -              log 403 403 403 403 403 403 403 403 200
lti_platforms:add                                   -              log 403 403 403 403 403 403 403 403 200
lti_platforms:edit                                  lti_x          log 403 403 403 403 403 403 403 403 200
lti_platforms:delete                                lti_x          log 403 403 403 403 403 403 403 403 200
lti_platforms:history                               lti_x          log 403 403 403 403 403 403 403 403 200
lti_platforms:history_results                       lti_x          log 403 403 403 403 403 403 403 403 200
lti_platforms:usage                                 lti_x          log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:index                         -              log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:index_results                 -              log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:add                           -              log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:edit                          sso_x          log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:delete                        sso_x          log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:history                       sso_x          log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:history_results               sso_x          log 403 403 403 403 403 403 403 403 200
organisation_sign_ins:usage                         sso_x          log 403 403 403 403 403 403 403 403 200
outside_invitations:index                           -              log 403 403 403 403 403 403 403 403 200
outside_invitations:index_results                   -              log 403 403 403 403 403 403 403 403 200
outside_invitations:add                             -              log 403 403 403 403 403 403 403 403 403
outside_invitations:edit                            invitation_x   log 403 403 403 403 403 403 403 403 403
outside_invitations:delete                          invitation_x   log 403 403 403 403 403 403 403 403 403
outside_invitations:history                         invitation_x   log 403 403 403 403 403 403 403 403 403
outside_invitations:history_results                 invitation_x   log 403 403 403 403 403 403 403 403 403
outside_invitations:usage                           invitation_x   log 403 403 403 403 403 403 403 403 403
# The question bank: publishers write it, reviewers read it. NGO editors read categories,
# and write questions and scenario groups of courses their organisation contributes to
# (X's editor: question_x and scenario_x, in the second course) as drafts; others are 404.
wagtailsnippets_quizzes_{m}:list                    -              log 403 403 403 403 200 200 200 200 200
wagtailsnippets_quizzes_{m}:list_results            -              log 403 403 403 403 200 200 200 200 200
wagtailsnippets_quizzes_{m}:add                     -              log 403 403 403 403 403 403 403 200 200
wagtailsnippets_quizzes_{m}:edit                    {m}            log 403 403 403 403 403 403 403 200 200
wagtailsnippets_quizzes_{m}:copy                    {m}            log 403 403 403 403 403 403 403 200 200
wagtailsnippets_quizzes_{m}:usage                   {m}            log 403 403 403 403 403 403 403 200 200
wagtailsnippets_quizzes_{m}:history                 {m}            log 403 403 403 403 403 403 403 200 200
wagtailsnippets_quizzes_{m}:history_results         {m}            log 403 403 403 403 403 403 403 200 200
wagtailsnippets_quizzes_{m}:delete                  {m}            log 403 403 403 403 403 403 403 200 200
wagtailsnippetchoosers_quizzes_{m}:choose           -              log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_{m}:choose_results   -              log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_{m}:chosen           {m}            log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_{m}:chosen_multiple  -              log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_{m}:create           -              log 403 403 403 403 403 403 403 200 200
wagtailsnippets_quizzes_question:list               -              log 403 403 403 403 200 200 200 200 200
wagtailsnippets_quizzes_question:list_results       -              log 403 403 403 403 200 200 200 200 200
wagtailsnippets_quizzes_question:add                -              log 403 403 403 403 200 200 403 200 200
wagtailsnippets_quizzes_question:edit               question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:edit               question_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:copy               question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:copy               question_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:usage              question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:usage              question_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:history            question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:history            question_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:history_results    question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:history_results    question_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:delete             question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:delete             question_x     log 403 403 403 403 403 404 403 200 200
wagtailsnippets_quizzes_question:revisions_revert   question_rev   log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:revisions_revert   question_x_rev log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:revisions_compare  question_cmp   log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:revisions_compare  question_x_cmp log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:revisions_unschedule question_rev log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:unpublish          question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:unpublish          question_x     log 403 403 403 403 403 404 403 200 200
wagtailsnippetchoosers_quizzes_question:choose      -              log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_question:choose_results -           log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_question:chosen      question       log 403 403 403 403 404 404 200 200 200
wagtailsnippetchoosers_quizzes_question:chosen      question_x     log 403 403 403 403 200 404 200 200 200
wagtailsnippetchoosers_quizzes_question:chosen_multiple -          log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_question:create      -              log 403 403 403 403 200 200 403 200 200
# Review of questions and scenario stems: X's proposed question and new scenario group
# wait at safeguarding review. Only its reviewers act on it (and may lock it while they
# do; lock and unlock are POST-only); X's editor follows it.
wagtailsnippets_quizzes_question:edit               question_rv    log 403 403 403 403 200 404 200 200 200
wagtailsnippets_quizzes_question:workflow_action    question_rv_ok log 403 403 403 403 403 404 200 403 200
wagtailsnippets_quizzes_question:collect_workflow_action_data question_rv_ok log 403 403 403 403 403 404 200 403 200
wagtailsnippets_quizzes_question:confirm_workflow_cancellation question_rv log 403 403 403 403 200 404 200 200 200
wagtailsnippets_quizzes_question:workflow_history   question_rv    log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:workflow_history   question       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_question:workflow_history_detail question_rv_wf log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_question:lock               question_rv    log 403 403 403 403 403 404 405 403 405
wagtailsnippets_quizzes_question:unlock             question_rv    log 403 403 403 403 403 404 403 403 405
wagtailsnippets_quizzes_scenariogroup:list          -              log 403 403 403 403 200 200 200 200 200
wagtailsnippets_quizzes_scenariogroup:list_results  -              log 403 403 403 403 200 200 200 200 200
wagtailsnippets_quizzes_scenariogroup:add           -              log 403 403 403 403 200 200 403 200 200
wagtailsnippets_quizzes_scenariogroup:edit          scenario       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:edit          scenario_x     log 403 403 403 403 200 404 200 200 200
wagtailsnippets_quizzes_scenariogroup:copy          scenario       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:copy          scenario_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:usage         scenario       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:usage         scenario_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:history       scenario       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:history       scenario_x     log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:history_results scenario     log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:history_results scenario_x   log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:delete        scenario       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:delete        scenario_x     log 403 403 403 403 403 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:revisions_revert scenario_rev log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:revisions_compare scenario_cmp log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:revisions_compare scenario_x_cmp log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:revisions_unschedule scenario_rev log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:unpublish     scenario       log 403 403 403 403 404 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:lock          scenario_x     log 403 403 403 403 403 404 405 403 405
wagtailsnippets_quizzes_scenariogroup:unlock        scenario_x     log 403 403 403 403 403 404 403 403 405
wagtailsnippets_quizzes_scenariogroup:workflow_action scenario_x_ok log 403 403 403 403 403 404 200 403 200
wagtailsnippets_quizzes_scenariogroup:collect_workflow_action_data scenario_x_ok log 403 403 403 403 403 404 200 403 200
wagtailsnippets_quizzes_scenariogroup:confirm_workflow_cancellation scenario_x log 403 403 403 403 200 404 200 200 200
wagtailsnippets_quizzes_scenariogroup:workflow_history scenario_x  log 403 403 403 403 200 404 403 200 200
wagtailsnippets_quizzes_scenariogroup:workflow_history_detail scenario_x_wf log 403 403 403 403 200 404 403 200 200
wagtailsnippetchoosers_quizzes_scenariogroup:choose -              log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_scenariogroup:choose_results -      log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_scenariogroup:chosen scenario       log 403 403 403 403 404 404 200 200 200
wagtailsnippetchoosers_quizzes_scenariogroup:chosen scenario_x     log 403 403 403 403 200 404 200 200 200
wagtailsnippetchoosers_quizzes_scenariogroup:chosen_multiple -     log 403 403 403 403 200 200 200 200 200
wagtailsnippetchoosers_quizzes_scenariogroup:create -              log 403 403 403 403 200 200 403 200 200

# Wagtail's page admin: organisation X's published page (a retitling waits for review)
# and its unpublished draft
wagtailadmin_home                                   -              log 403 403 403 403 200 200 200 200 200
wagtailadmin_explore                                section_x      log 403 403 403 403 200 302 403 200 200
wagtailadmin_pages:search                           q_guidance     log 403 403 403 403 200 200 403 200 200
wagtailadmin_pages:add                              add_guide_x    log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:add_subpage                      section_x      log 403 403 403 403 302 403 403 302 302
wagtailadmin_pages:preview_on_add                   add_guide_x    log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:edit                             guide_x        log 403 403 403 403 200 403 200 200 200
wagtailadmin_pages:edit                             draft_x        log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:view_draft                       draft_x        log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:preview_on_edit                  guide_x        log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:delete                           guide_x        log 403 403 403 403 403 403 403 200 200
wagtailadmin_pages:delete                           draft_x        log 403 403 403 403 200 403 403 200 200
# Only the superuser: the page is locked to everyone but its reviewers while in review.
wagtailadmin_pages:unpublish                        guide_x        log 403 403 403 403 403 403 403 403 200
wagtailadmin_pages:copy                             guide_x        log 403 403 403 403 200 403 200 200 200
wagtailadmin_pages:move                             guide_x        log 403 403 403 403 403 403 403 200 200
wagtailadmin_pages:move_confirm                     draft_x_to_y   log 403 403 403 403 403 403 403 200 200
wagtailadmin_pages:set_privacy                      guide_x        log 403 403 403 403 403 403 403 200 200
wagtailadmin_pages:usage                            guide_x        log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:history                          guide_x        log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:revisions_index                  guide_x        log 403 403 403 403 302 302 302 302 302
wagtailadmin_pages:revisions_view                   guide_x_rev_1  log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:revisions_compare                compare_x      log 403 403 403 403 200 403 403 200 200
wagtailadmin_pages:revisions_revert                 guide_x_rev_1  log 403 403 403 403 200 403 200 200 200
wagtailadmin_pages:workflow_history                 guide_x        log 403 403 403 403 200 403 200 200 200
wagtailadmin_pages:workflow_history_detail          wf_state_x     log 403 403 403 403 200 403 200 200 200
wagtailadmin_pages:workflow_preview                 task_x         log 403 403 403 403 403 403 200 403 200
wagtailadmin_pages:workflow_action                  approve_x      log 403 403 403 403 403 403 200 403 200
wagtailadmin_pages:collect_workflow_action_data     approve_x      log 403 403 403 403 403 403 200 403 200
# A modal naming only the workflow step, not the page.
wagtailadmin_pages:confirm_workflow_cancellation    guide_x        log 403 403 403 403 200 200 200 200 200
# The admin API lists a section's pages only for those who may explore it (400 otherwise).
wagtailadmin_api:pages:listing                      children_of_x  log 403 403 403 403 200 400 400 200 200
wagtailadmin_api:pages:detail                       draft_x        log 403 403 403 403 200 404 404 200 200

# Choosers: other NGOs' drafts, images and documents are not offered
wagtailadmin_choose_page                            -              log 403 403 403 403 200 200 200 200 200
wagtailadmin_choose_page_child                      section_x      log 403 403 403 403 200 200 200 200 200
wagtailadmin_choose_page_search                     q_guidance     log 403 403 403 403 200 200 200 200 200
page_chooser_chosen_multiple                        ids_of_x       log 403 403 403 403 200 200 200 200 200
wagtailimages_chooser:choose                        -              log 403 403 403 403 200 200 200 200 200
wagtailimages_chooser:chosen                        image_x        log 403 403 403 403 200 403 200 200 200
wagtaildocs_chooser:choose                          -              log 403 403 403 403 200 200 200 200 200
wagtaildocs_chooser:chosen                          doc_x          log 403 403 403 403 403 403 200 200 200

# Images (NGO editors have their organisation's collection) and documents
wagtailimages:index                                 -              log 403 403 403 403 200 200 403 403 200
wagtailimages:add                                   -              log 403 403 403 403 200 200 403 403 200
wagtailimages:edit                                  image_x        log 403 403 403 403 200 403 403 403 200
wagtailimages:delete                                image_x        log 403 403 403 403 200 403 403 403 200
wagtaildocs:index                                   -              log 403 403 403 403 403 403 403 403 200
wagtaildocs:add                                     -              log 403 403 403 403 403 403 403 403 200
wagtaildocs:edit                                    doc_x          log 403 403 403 403 403 403 403 403 200
wagtaildocs:delete                                  doc_x          log 403 403 403 403 403 403 403 403 200

# Users, groups, settings and reports
wagtailusers_groups:index                           -              log 403 403 403 403 403 403 403 403 200
wagtailusers_groups:edit                            group          log 403 403 403 403 403 403 403 403 200
wagtailsites:index                                  -              log 403 403 403 403 403 403 403 403 200
wagtailsites:edit                                   site           log 403 403 403 403 403 403 403 403 200
wagtailadmin_collections:index                      -              log 403 403 403 403 403 403 403 403 200
wagtailadmin_collections:edit                       collection_x   log 403 403 403 403 403 403 403 403 200
wagtailadmin_workflows:index                        -              log 403 403 403 403 403 403 403 403 200
wagtailadmin_workflows:edit                         workflow       log 403 403 403 403 403 403 403 403 200
wagtailredirects:index                              -              log 403 403 403 403 403 403 403 403 200
wagtaillocales:index                                -              log 403 403 403 403 403 403 403 403 200
wagtailadmin_reports:site_history                   -              log 403 403 403 403 200 200 200 200 200
wagtailadmin_reports:workflow                       -              log 403 403 403 403 200 200 403 200 200
# The workflow and history reports, served without other organisations' proposed
# questions and scenario groups (quizzes/review_reports.py) at the same addresses.
review_reports:workflow                             -              log 403 403 403 403 200 200 403 200 200
review_reports:workflow_results                     -              log 403 403 403 403 200 200 403 200 200
review_reports:workflow_tasks                       -              log 403 403 403 403 200 200 403 200 200
review_reports:workflow_tasks_results               -              log 403 403 403 403 200 200 403 200 200
review_reports:site_history                         -              log 403 403 403 403 200 200 200 200 200
review_reports:site_history_results                 -              log 403 403 403 403 200 200 200 200 200
wagtailadmin_reports:locked_pages                   -              log 403 403 403 403 403 403 403 200 200
wagtailadmin_reports:aging_pages                    -              log 403 403 403 403 200 200 403 200 200
"""  # noqa: E501

POST_TABLE = """
# URL name                                          arguments      anon lnA lnB trX trY edX edY rev pub su
# Starting a SAML sign-in sends anyone to the identity provider; a response is kept for
# the next step, which refuses it (tests/sso_saml/).
saml_login                                          saml_x         302 302 302 302 302 302 302 302 302 302
saml_acs                                            saml_x         302 302 302 302 302 302 302 302 302 302
switch_language                                     -              302 302 302 302 302 302 302 302 302 302
# Checking a credential changes nothing; a credential that is not ours is refused.
certificates:verify_credential                      -              400 400 400 400 400 400 400 400 400 400
privacy:download_data                               -              log 200 200 200 200 200 200 200 200 200

# Learners act on their own records only (enrolling is open to anyone signed in)
learning:enrol                                       course         log 302 302 302 302 302 302 302 302 302
learning:complete_lesson                             lesson         log 302 302 302 302 302 302 302 302 302
learning:start                                       final          log 302 302 302 302 302 302 302 302 302
learning:attempt                                     attempt_open   log 302 404 404 404 404 404 404 404 404
learning:autosave                                    attempt_open   log 200 404 404 404 404 404 404 404 404
learning:autosave                                    attempt_done   log 409 404 404 404 404 404 404 404 404
learning:attempt_page                                paged_page_1   log 302 404 404 404 404 404 404 404 404
learning:check_answers                               attempt_paged  log 302 404 404 404 404 404 404 404 404
certificates:refresh                                course         log 302 404 404 404 404 404 404 404 404

# Trainers act on their own organisation's cohorts and learners only
cohorts:overview                                    -              log 403 403 302 200 403 403 403 403 403
cohorts:members#addresses                           cohort_x       log 403 403 302 404 403 403 403 403 403
cohorts:members#link                                cohort_x       log 403 403 302 404 403 403 403 403 403
cohorts:assign                                      cohort_x       log 403 403 302 404 403 403 403 403 403
cohorts:export_xlsx                                 cohort_x       log 403 403 302 404 403 403 403 403 403
cohorts:certificates_zip                            cohort_x       log 403 403 302 404 403 403 403 403 403
cohorts:assign_to_learner                           learner_a      log 403 403 302 404 403 403 403 403 403
cohorts:set_adjustment                              learner_a      log 403 403 302 404 403 403 403 403 403
cohorts:set_staff_number                            learner_a      log 403 403 302 404 403 403 403 403 403
cohorts:remove_adjustment                           adjustment_a   log 403 403 302 404 403 403 403 403 403
cohorts:join                                        token_x        log 302 302 302 302 302 302 302 302 302
cohorts:remove_member                               member_a       log 403 403 302 404 403 403 403 403 403
cohorts:settings                                    cohort_x       log 403 403 302 404 403 403 403 403 403
cohorts:archive                                     cohort_x       log 403 403 302 404 403 403 403 403 403
cohorts:due_date                                    assignment_x   log 403 403 302 404 403 403 403 403 403
cohorts:cancel_assignment                           assignment_x   log 403 403 302 404 403 403 403 403 403
cohorts:withdraw_link                               link_x         log 403 403 302 404 403 403 403 403 403
cohorts:withdraw_invitation                         invite_x       log 403 403 302 404 403 403 403 403 403
cohorts:nudge                                       assignment_pk_x log 403 403 302 404 403 403 403 403 403
cohorts:unsubscribe                                 unsub_a        200 200 200 200 200 200 200 200 200 200
cohorts:unsubscribe                                 unsub_bad      400 400 400 400 400 400 400 400 400 400

# API tokens: made for the trainer's own organisation only (Y's trainer is shown the
# form's error), revoked by the organisation's trainers only.
reports:api_tokens                                  -              log 403 403 200 200 403 403 403 403 403
reports:revoke_api_token                            api_token_x    log 403 403 302 404 403 403 403 403 403
# Read-only, and the token is asked for first.
reporting_api:learners                              -              401 401 401 401 401 401 401 401 401 401

# Staff act within their role
issued_certificates:revoke                          cert_a         log 403 403 403 403 403 403 403 302 302
# Without a summary the form is shown again with its errors, and nothing is marked.
certificates_significant_change                     course         log 403 403 403 403 403 403 403 200 200
wagtailadmin_pages:workflow_action                  approve_x      log 403 403 403 403 403 403 302 403 302
wagtailadmin_pages:unpublish                        guide_x        log 403 403 403 403 403 403 403 403 302
# The core question's answer key, flipped and published: only publishers may.
wagtailsnippets_quizzes_question:edit               question       log 403 403 403 403 404 404 403 302 302
wagtailsnippets_quizzes_question:unpublish          question       log 403 403 403 403 404 404 403 302 302
# The core scenario's stem, rewritten and published: only publishers may.
wagtailsnippets_quizzes_scenariogroup:edit          scenario       log 403 403 403 403 404 404 403 302 302
# Approving the safeguarding review of X's proposals: only its reviewers (and superusers).
wagtailsnippets_quizzes_question:workflow_action    question_rv_ok log 403 403 403 403 403 404 302 403 302
wagtailsnippets_quizzes_scenariogroup:workflow_action scenario_x_ok log 403 403 403 403 403 404 302 403 302
wagtailadmin_pages:delete                           draft_x        log 403 403 403 403 302 403 403 302 302
wagtailadmin_pages:move_confirm                     draft_x_to_y   log 403 403 403 403 403 403 403 302 302
wagtailimages:delete                                image_x        log 403 403 403 403 302 403 403 403 302
wagtaildocs:delete                                  doc_x          log 403 403 403 403 403 403 403 403 302
time_adjustments:edit                               adj_a          log 403 403 403 403 403 403 403 403 302
time_adjustments:delete                             adj_a          log 403 403 403 403 403 403 403 403 302
learning_record_stores:edit                         lrs_x          log 403 403 403 403 403 403 403 403 302
learning_record_stores:delete                       lrs_x          log 403 403 403 403 403 403 403 403 302
lti_platforms:edit                                  lti_x          log 403 403 403 403 403 403 403 403 302
lti_platforms:delete                                lti_x          log 403 403 403 403 403 403 403 403 302
# A launch or a deep-linking answer without a valid token: refused, whoever asks.
lti:launch                                          -              400 400 400 400 400 400 400 400 400 400
lti:deep_link_return                                -              400 400 400 400 400 400 400 400 400 400
lti_pages:link                                      -              log 404 404 404 404 404 404 404 404 404
lti_pages:fill_from_roster                          cohort_x       log 403 403 302 404 403 403 403 403 403
organisation_sign_ins:edit                          sso_x          log 403 403 403 403 403 403 403 403 302
organisation_sign_ins:delete                        sso_x          log 403 403 403 403 403 403 403 403 302
"""  # noqa: E501


def question_form(question):
    """The question's edit form with its answer key flipped, to be published."""
    options = list(question.options.all())
    data = {
        "prompt": question.prompt,
        "kind": question.kind,
        "scoring_rule": question.scoring_rule,
        "category": question.category_id,
        "scenario": "",
        "position_in_scenario": "0",
        "explanation": question.explanation,
        "source_reference": question.source_reference,
        "slug": question.slug,
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "2",
        "options-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    for index, option in enumerate(options):
        data[f"options-{index}-id"] = str(option.pk)
        data[f"options-{index}-text"] = option.text
        data[f"options-{index}-ORDER"] = str(index + 1)
        if not option.is_correct:
            data[f"options-{index}-is_correct"] = "on"
    return data


def scenario_form(scenario):
    """The scenario group's edit form with its stem rewritten, to be published."""
    block = {
        "key": "stem1",
        "text": "Rewritten stem.",
        "type": "unstyled",
        "depth": 0,
        "inlineStyleRanges": [],
        "entityRanges": [],
    }
    return {
        "title": scenario.title,
        "slug": scenario.slug,
        "category": scenario.category_id,
        "stem": json.dumps({"blocks": [block], "entityMap": {}}),
        "action-publish": "action-publish",
    }


def due_date():
    return (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


POST_DATA = {
    "saml_acs": lambda w: {"SAMLResponse": "not a SAML response"},
    "switch_language": lambda w: {"language": "cy", "next": "/en/"},
    "certificates:verify_credential": lambda w: {"credential": "not.a.credential"},
    "learning:attempt": lambda w: {f"q{w.question.pk}": str(w.right_option.pk)},
    "learning:autosave": lambda w: {f"q{w.question.pk}": str(w.right_option.pk)},
    "learning:attempt_page": lambda w: {
        f"q{w.question.pk}": str(w.right_option.pk),
        "continue": "1",
    },
    "learning:check_answers": lambda w: {"submit": "1"},
    "wagtailsnippets_quizzes_question:edit": lambda w: question_form(w.question),
    "wagtailsnippets_quizzes_scenariogroup:edit": lambda w: scenario_form(w.scenario),
    "wagtailsnippets_quizzes_question:workflow_action": lambda w: {"comment": ""},
    "wagtailsnippets_quizzes_scenariogroup:workflow_action": lambda w: {"comment": ""},
    "cohorts:overview": lambda w: {"organisation": w.org_x.pk, "name": "Another cohort of X"},
    "cohorts:members#addresses": lambda w: {
        "action": "addresses",
        "addresses-addresses": "new.person@example.org",
    },
    "cohorts:members#link": lambda w: {"action": "link", "link-valid_days": 7, "link-max_uses": 5},
    "cohorts:assign": lambda w: {"courses": [w.other_course.pk], "due_date": due_date()},
    "cohorts:assign_to_learner": lambda w: {"courses": [w.other_course.pk], "due_date": due_date()},
    "issued_certificates:revoke": lambda w: {"reason": "Issued in error."},
    "cohorts:set_adjustment": lambda w: {"assessment": str(w.final.pk), "extra_time": "100"},
    "cohorts:settings": lambda w: {"name": "Renamed cohort of X"},
    "cohorts:archive": lambda w: {"archive": "1"},
    "cohorts:due_date": lambda w: dict(
        zip(("year", "month", "day"), due_date().split("-"), strict=True)
    ),
    "cohorts:set_staff_number": lambda w: {"staff_number": "PC 4242"},
    "time_adjustments:edit": lambda w: {
        "learner": "learner-a@example.org",
        "assessment": "",
        "kind": "no_limit",
        "extra_percent": "",
        "note": "",
    },
    "learning_record_stores:edit": lambda w: {
        "organisation": w.org_x.pk,
        "endpoint": "https://lrs.elsewhere.example/xAPI/",
        "key": "another-key",
        "secret": "",
    },
    "lti_platforms:edit": lambda w: {
        "organisation": w.org_x.pk,
        "issuer": "https://vle.organisation-x.example",
        "client_id": "another-client",
        "deployment_ids": "2",
        "keyset_url": "https://vle.organisation-x.example/mod/lti/certs.php",
        "auth_url": "https://vle.organisation-x.example/mod/lti/auth.php",
        "token_url": "https://vle.organisation-x.example/mod/lti/token.php",
        "enabled": "on",
    },
    "organisation_sign_ins:edit": lambda w: {
        "organisation": w.org_x.pk,
        "name": "Another provider",
        "provider_id": "another-provider",
        "server_url": "https://login.elsewhere.example/v2.0",
        "client_id": "another-client",
        "secret": "",
        "email_domains": "staff.organisation-x.example",
        "trusted_acr_values": "",
    },
    "wagtailadmin_pages:workflow_action": lambda w: {"comment": ""},
    "reports:api_tokens": lambda w: {"organisation": w.org_x.pk, "name": "Another token of X"},
}

# Text that only some actors may ever be shown, on any page or in any file.
SECRETS = {
    "learner-a@example.org": {"learner_a", "trainer_x", "superuser"},
    "Cohort of X": {"learner_a", "trainer_x"},
    "Unpublished guidance of X": {"editor_x", "reviewer", "publisher", "superuser"},
    "Retitled guidance of X": {"editor_x", "reviewer", "publisher", "superuser"},
    "Image of X": {"editor_x", "reviewer", "publisher", "superuser"},
    "Document of X": {"reviewer", "publisher", "superuser"},
    "Proposed question of X": {"editor_x", "reviewer", "publisher", "superuser"},
    "Proposed scenario of X": {"editor_x", "reviewer", "publisher", "superuser"},
    # The audit log names the token its creation is recorded against.
    "API token of X": {"trainer_x", "superuser"},
    # An LRS secret is written once and never shown back, to anyone.
    "LRS secret of X": set(),
    "SSO secret of X": set(),
}
# Rows that show a secret to everyone who may reach them, by design.
SHOWN_BY_DESIGN = {
    "cohorts:join": {"Cohort of X"},
    # Administrators see which cohort each invitation outside verified domains was for.
    "outside_invitations:index": {"Cohort of X"},
    "outside_invitations:index_results": {"Cohort of X"},
}


# The people and things the tables refer to ---------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 8), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def path_of(page):
    """The page's path below the language prefix, as wagtail_serve takes it."""
    return page.url.split("/", 2)[2]


class World:
    """Everyone and everything the tables refer to."""

    def build(self):
        self.org_x = OrganisationFactory(name="Organisation X", slug="organisation-x", sector="ngo")
        self.org_y = OrganisationFactory(name="Organisation Y", slug="organisation-y", sector="ngo")
        self.section_x = make_guidance_section(self.org_x)
        self.section_y = make_guidance_section(self.org_y)
        self.users = {
            "learner_a": UserFactory(
                role="Learner", organisation=self.org_x, email="learner-a@example.org"
            ),
            "learner_b": UserFactory(role="Learner", organisation=self.org_y),
            "trainer_x": UserFactory(role="Trainer", organisation=self.org_x),
            "trainer_y": UserFactory(role="Trainer", organisation=self.org_y),
            "editor_x": UserFactory(role="NGO editor", organisation=self.org_x),
            "editor_y": UserFactory(role="NGO editor", organisation=self.org_y),
            "reviewer": UserFactory(role="Safeguarding reviewer"),
            "publisher": UserFactory(role="Publisher"),
            "superuser": UserFactory(is_superuser=True, is_staff=True),
        }
        learner_a, trainer_x, editor_x = (
            self.users[n] for n in ("learner_a", "trainer_x", "editor_x")
        )

        # A course with a final assessment, which learner A has passed, and a knowledge
        # check they are part-way through.
        self.course = make_course("Core course", lessons=2)
        self.other_course = make_course("Second course", lessons=1)
        self.question = make_question(
            "Can a child consent to exploitation?", options=(("Yes", False), ("No", True))
        )
        self.right_option = self.question.options.get(is_correct=True)
        # The core question belongs to the core course; organisation X contributes to the
        # second course, and proposes questions in its category.
        core = self.question.category
        core.course = self.course
        core.save()
        grant_pages(ensure_ngo_access(self.org_x), Page.objects.get(pk=self.other_course.pk))
        self.question_x = make_question(
            "A question of the second course?",
            options=(("Yes", True), ("No", False)),
            category=QuestionCategory.objects.create(
                name="Second", slug="second", locale=core.locale, course=self.other_course
            ),
        )
        self.revisions = {}
        for question in (self.question, self.question_x):
            self.revisions[question.pk] = question.save_revision()
            self.revisions[question.pk].publish()
        self.final = make_assessment(self.course, [self.question], pass_mark=50)
        # The core scenario group, published; X's proposed question and new scenario
        # group, submitted for review.
        self.scenario = make_scenario(category=core)
        scenario_rev = self.scenario.save_revision()
        scenario_rev.publish()
        self.question_rv = make_question(
            "Proposed question of X?",
            options=(("Yes", True), ("No", False)),
            category=self.question_x.category,
        )
        self.scenario_x = make_scenario("Proposed scenario of X", category=self.question_x.category)
        workflow = Workflow.objects.get(name="Safeguarding review and publication")
        self.snippet_reviews = {}
        for proposal in (self.question_rv, self.scenario_x):
            type(proposal).objects.filter(pk=proposal.pk).update(live=False)
            proposal.refresh_from_db()
            proposal.save_revision(user=editor_x)
            self.snippet_reviews[proposal] = workflow.start(proposal, editor_x)
        check = make_assessment(
            self.course, [self.question], title="Check", slug="check", kind="knowledge_check"
        )
        enrol(learner_a, self.course)
        for lesson in self.course.lessons():
            complete_lesson(learner_a, lesson)
        with TestCase.captureOnCommitCallbacks(execute=True):
            done = start_attempt(learner_a, self.final)
            submit_attempt(
                done.pk, learner_a, answers={str(self.question.pk): [self.right_option.pk]}
            )
        attempt_open = start_attempt(learner_a, check)
        paged = make_assessment(
            self.course,
            [self.question],
            title="Paged check",
            slug="paged-check",
            kind="knowledge_check",
            layout="paged",
        )
        attempt_paged = start_attempt(learner_a, paged)
        # Learner A has 50% extra time in every assessment.
        adjustment_a = TimeAdjustment.objects.create(
            learner=learner_a, extra_percent=50, set_by=trainer_x
        )
        certificate = Certificate.objects.get(user=learner_a)
        # Organisation X's SAML identity provider. The test client's host, "testserver",
        # has no dot, which python3-saml refuses unless told.
        # It signs in organisation X's people at a domain of their own.
        OrganisationSignIn.objects.create(
            organisation=self.org_x,
            app=SocialApp.objects.create(
                provider="saml",
                provider_id="organisation-x-saml",
                client_id="organisation-x-saml",
                name="Organisation X staff",
                settings={
                    "idp": {
                        "entity_id": "https://idp.organisation-x.example/saml",
                        "sso_url": "https://idp.organisation-x.example/saml/sso",
                        "x509cert": new_certificate_body(),
                    },
                    "advanced": {"allow_single_label_domains": True},
                },
            ),
            email_domains="saml.organisation-x.example",
        )
        # Organisation X's Learning Record Store, turned off so nothing is sent to it.
        self.lrs_x = LearningRecordStore.objects.create(
            organisation=self.org_x,
            endpoint="https://lrs.organisation-x.example/xAPI/",
            key="x-key",
            secret="LRS secret of X",
            enabled=False,
        )
        # Organisation X's learning platform, a course of it known from a launch, and a
        # trainer's roster import.
        self.lti_x = PlatformRegistrationForm(
            data={
                "organisation": self.org_x.pk,
                "issuer": "https://vle.organisation-x.example",
                "client_id": "client-of-x",
                "deployment_ids": "1",
                "keyset_url": "https://vle.organisation-x.example/mod/lti/certs.php",
                "auth_url": "https://vle.organisation-x.example/mod/lti/auth.php",
                "token_url": "https://vle.organisation-x.example/mod/lti/token.php",
            }
        ).save()
        lti_context_x = LtiContext.objects.create(
            deployment=self.lti_x.registration.deployments.get(),
            id_on_platform="course-1",
            title="Platform course of X",
            memberships_url="https://vle.organisation-x.example/mod/lti/services.php/1/members",
        )
        # Organisation X signs in staff at a domain none of the actors' addresses are at.
        self.org_x.email_domains = "staff.organisation-x.example\nsaml.organisation-x.example"
        self.org_x.save()
        self.sso_x = OrganisationSignIn.objects.create(
            organisation=self.org_x,
            app=SocialApp.objects.create(
                provider="openid_connect",
                provider_id="organisation-x",
                name="Organisation X account",
                client_id="x-client",
                secret="SSO secret of X",
                settings={"server_url": "https://login.organisation-x.example/v2.0"},
            ),
            email_domains="staff.organisation-x.example",
        )

        # Organisation X's cohort, with learner A in it, a course set and an invitation link.
        self.cohort_x = Cohort.objects.create(
            organisation=self.org_x, name="Cohort of X", created_by=trainer_x
        )
        add_member(self.cohort_x, learner_a)
        roster_x = RosterImport.objects.create(
            context=lti_context_x, cohort=self.cohort_x, requested_by=trainer_x
        )
        assign(
            self.course,
            timezone.localdate() + datetime.timedelta(days=14),
            self.org_x,
            trainer_x,
            cohort=self.cohort_x,
        )
        self.link_x = InvitationLink.objects.create(
            cohort=self.cohort_x,
            expires_at=timezone.now() + datetime.timedelta(days=7),
            max_uses=50,
            created_by=trainer_x,
        )
        invitation_x = EmailInvitation.objects.create(
            cohort=self.cohort_x,
            email="invited-to-x@example.org",
            invited_by=trainer_x,
            outside_verified_domains=True,
        )
        self.api_token_x, _key = make_api_token(self.org_x, "API token of X", trainer_x)
        make_api_token(self.org_y, "API token of Y", self.users["trainer_y"])
        # Trainer X's finished export of the cohort (a background job with its file).
        job_x = new_job(
            "xlsx",
            self.cohort_x,
            trainer_x,
            {"assignment": self.cohort_x.assignments.get().pk, "filename": "cohort-of-x.xlsx"},
        )
        run_job(job_x.pk)
        cohort_y = Cohort.objects.create(organisation=self.org_y, name="Cohort of Y")
        add_member(cohort_y, self.users["learner_b"])

        # Organisation X's guidance: a published page whose retitling waits for review,
        # an unpublished draft, and an image and a document in its collection.
        self.guide_x = make_guidance(self.section_x, "Published guidance of X")
        rev_1 = self.guide_x.save_revision(user=editor_x)
        rev_1.publish()
        self.guide_x.refresh_from_db()
        self.guide_x.title = "Retitled guidance of X"
        rev_2 = self.guide_x.save_revision(user=editor_x)
        workflow.start(self.guide_x, editor_x)
        self.workflow_state = WorkflowState.objects.get(
            object_id=str(self.guide_x.pk), status="in_progress"
        )
        task_state = self.workflow_state.current_task_state
        self.draft_x = make_guidance(self.section_x, "Unpublished guidance of X", live=False)
        self.draft_x.save_revision(user=editor_x)
        collection_x = Collection.objects.get(name=self.org_x.name)
        self.image_x = get_image_model().objects.create(
            title="Image of X",
            file=ContentFile(png_bytes(), name="image-of-x.png"),
            collection=collection_x,
        )
        self.doc_x = get_document_model().objects.create(
            title="Document of X",
            file=ContentFile(b"Notes.", name="document-of-x.txt"),
            collection=collection_x,
        )

        self.args = {
            "course": self.course.pk,
            "lesson": self.course.lessons().first().pk,
            "final": self.final.pk,
            "attempt_open": attempt_open.pk,
            "attempt_done": done.pk,
            "attempt_paged": attempt_paged.pk,
            "paged_page_1": (attempt_paged.pk, 1),
            "paged_page_9": (attempt_paged.pk, 9),
            "done_page_1": (done.pk, 1),
            "cert_a": certificate.pk,
            "code_a": certificate.formatted_code,
            "signing_kid": openbadges.public_jwk()["kid"],
            "no_such_kid": "no-such-key",
            "csv": "csv",
            "pdf": "pdf",
            "cohort_x": self.cohort_x.pk,
            "job_x": job_x.pk,
            "learner_a": learner_a.pk,
            "learner_b": self.users["learner_b"].pk,
            "adjustment_a": (learner_a.pk, adjustment_a.pk),
            "adj_a": adjustment_a.pk,
            "lrs_x": self.lrs_x.pk,
            "lti_x": self.lti_x.pk,
            "lti_reg_x": str(self.lti_x.registration.uuid),
            "roster_x": str(roster_x.uuid),
            "sso_x": self.sso_x.pk,
            "sso_provider_x": self.sso_x.app.provider_id,
            "saml_x": "organisation-x-saml",
            "token_x": self.link_x.token,
            "member_a": (self.cohort_x.pk, learner_a.pk),
            "assignment_x": (
                self.cohort_x.pk,
                Assignment.objects.get(cohort=self.cohort_x).pk,
            ),
            "link_x": (self.cohort_x.pk, self.link_x.pk),
            "invite_x": (self.cohort_x.pk, invitation_x.pk),
            "assignment_pk_x": Assignment.objects.filter(cohort=self.cohort_x).first().pk,
            "unsub_a": unsubscribe_token(learner_a),
            "unsub_bad": "not-a-token",
            "org_x": self.org_x.pk,
            "invitation_x": invitation_x.pk,
            "api_token_x": self.api_token_x.pk,
            "home_path": "",
            "course_path": path_of(self.course),
            "lesson_path": path_of(self.course.lessons().first()),
            "final_path": path_of(self.final),
            "library_path": path_of(self.section_x.get_parent()),
            "guide_x_path": path_of(self.guide_x),
            "draft_x_path": path_of(self.section_x) + self.draft_x.slug + "/",
            "doc_x_file": (self.doc_x.pk, self.doc_x.filename),
            "section_x": self.section_x.pk,
            "add_guide_x": ("guidance", "guidancepage", self.section_x.pk),
            "guide_x": self.guide_x.pk,
            "draft_x": self.draft_x.pk,
            "guide_x_rev_1": (self.guide_x.pk, rev_1.pk),
            "compare_x": (self.guide_x.pk, rev_1.pk, rev_2.pk),
            "wf_state_x": (self.guide_x.pk, self.workflow_state.pk),
            "task_x": (self.guide_x.pk, task_state.task_id),
            "approve_x": (self.guide_x.pk, "approve", task_state.pk),
            "draft_x_to_y": (self.draft_x.pk, self.section_y.pk),
            "image_x": self.image_x.pk,
            "rendition_x": tuple(self.image_x.get_rendition("max-165x165").file.name.split("/", 1)),
            "original_x": tuple(self.image_x.file.name.split("/", 1)),
            "doc_x": self.doc_x.pk,
            "group": Group.objects.get(name="Learner").pk,
            "site": Site.objects.get(is_default_site=True).pk,
            "collection_x": collection_x.pk,
            "workflow": workflow.pk,
            "question": self.question.pk,
            "question_x": self.question_x.pk,
            "question_rev": (self.question.pk, self.revisions[self.question.pk].pk),
            "question_x_rev": (self.question_x.pk, self.revisions[self.question_x.pk].pk),
            "question_cmp": (self.question.pk, "earliest", "latest"),
            "question_x_cmp": (self.question_x.pk, "earliest", "latest"),
            "questioncategory": make_category().pk,
            "scenario": self.scenario.pk,
            "scenario_rev": (self.scenario.pk, scenario_rev.pk),
            "scenario_cmp": (self.scenario.pk, "earliest", "latest"),
            "scenario_x": self.scenario_x.pk,
            "scenario_x_cmp": (self.scenario_x.pk, "earliest", "latest"),
            "question_rv": self.question_rv.pk,
        }
        for key, proposal in (("question_rv", self.question_rv), ("scenario_x", self.scenario_x)):
            state = self.snippet_reviews[proposal]
            self.args[f"{key}_ok"] = (proposal.pk, "approve", state.current_task_state_id)
            self.args[f"{key}_wf"] = (proposal.pk, state.pk)

    def sign_everyone_in(self):
        self.clients = {"anon": Client(raise_request_exception=False)}
        for actor, user in self.users.items():
            client = Client(raise_request_exception=False)
            if actor.startswith("learner"):
                sign_in(client, user.email)
            else:
                sign_in_with_totp(client, user, enrol_totp(user))
            self.clients[actor] = client
        # Staff who have not set up a second factor, signed in with their password.
        for actor, role in (
            ("trainer_without_mfa", "Trainer"),
            ("editor_without_mfa", "NGO editor"),
        ):
            client = Client(raise_request_exception=False)
            sign_in(client, UserFactory(role=role, organisation=self.org_x).email)
            self.clients[actor] = client
        # Signing in is audited: one of those events stands for any in the audit log rows.
        self.args["event"] = AuditEvent.objects.order_by("pk").first().pk

    def state(self):
        """What a refused request must leave as it was: learner A's and organisation X's."""
        learner_a = self.users["learner_a"]
        return {
            "enrolments": list(
                Enrolment.objects.filter(user=learner_a).values_list("course_id", "completed_at")
            ),
            "completions": LessonCompletion.objects.filter(enrolment__user=learner_a).count(),
            "attempts": list(
                Attempt.objects.filter(user=learner_a)
                .order_by("pk")
                .values_list("pk", "answers", "submitted_at")
            ),
            "certificates": list(
                Certificate.objects.filter(user=learner_a).values_list("pk", "revoked_at")
            ),
            "cohorts": list(
                Cohort.objects.filter(organisation=self.org_x).values_list("name", "archived_at")
            ),
            "members": sorted(
                CohortMember.objects.filter(cohort__organisation=self.org_x).values_list("user_id")
            ),
            "memberships": sorted(
                Membership.objects.filter(organisation=self.org_x).values_list("user_id")
            ),
            "links": list(
                InvitationLink.objects.filter(cohort=self.cohort_x).values_list(
                    "pk", "uses", "withdrawn_at"
                )
            ),
            "invitations": EmailInvitation.objects.filter(cohort=self.cohort_x).count(),
            "assignments": sorted(
                Assignment.objects.filter(organisation=self.org_x).values_list("pk", "due_date")
            ),
            "nudges": AssignmentNudge.objects.filter(assignment__organisation=self.org_x).count(),
            "reminder_emails": User.objects.get(pk=learner_a.pk).reminder_emails,
            "guidance": sorted(
                type(self.guide_x)
                .objects.filter(pk__in=[self.guide_x.pk, self.draft_x.pk])
                .values_list("pk", "live", "path", "latest_revision_id")
            ),
            "workflow": list(
                WorkflowState.objects.filter(pk=self.workflow_state.pk).values_list(
                    "status", "current_task_state_id"
                )
            ),
            "image": get_image_model().objects.filter(pk=self.image_x.pk).exists(),
            "reviews": sorted(
                WorkflowState.objects.filter(
                    pk__in=[state.pk for state in self.snippet_reviews.values()]
                ).values_list("pk", "status", "current_task_state_id")
            ),
            "scenario": list(
                ScenarioGroup.objects.filter(pk=self.scenario.pk).values_list(
                    "stem", "live", "latest_revision_id"
                )
            ),
            "question": list(
                Question.objects.filter(pk=self.question.pk)
                .order_by("options__pk")
                .values_list(
                    "prompt", "live", "latest_revision_id", "options__text", "options__is_correct"
                )
            ),
            "document": get_document_model().objects.filter(pk=self.doc_x.pk).exists(),
            "lrs": list(
                LearningRecordStore.objects.filter(organisation=self.org_x).values_list(
                    "pk", "endpoint", "key", "secret", "enabled"
                )
            ),
            "sign_ins": list(
                OrganisationSignIn.objects.filter(organisation=self.org_x).values_list(
                    "pk", "email_domains", "app__provider_id", "app__client_id", "app__secret"
                )
            ),
            "api_tokens": list(
                ApiToken.objects.filter(organisation=self.org_x)
                .order_by("pk")
                .values_list("pk", "name", "revoked_at")
            ),
            "adjustments": list(
                TimeAdjustment.objects.filter(learner=learner_a)
                .order_by("pk")
                .values_list("pk", "assessment_id", "kind", "extra_percent")
            ),
        }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once, in a transaction rolled back after the module; each test runs in a
    savepoint inside it (pytest-django's db fixture)."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = World()
        world.build()
        world.sign_everyone_in()
        yield world
        transaction.set_rollback(True)


# Reading the tables and asking --------------------------------------------------------

QUESTION_BANK = ("questioncategory",)


class Row:
    def __init__(self, name, args, expected):
        self.name = name  # the URL name, with "#label" when one URL has several POST rows
        self.url_name = name.split("#")[0]
        self.args = args
        self.expected = expected

    def __str__(self):
        return f"{self.name}({','.join(self.args)})" if self.args else self.name


def parse(table):
    rows = []
    for line in table.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, args, *codes = line.split()
        assert len(codes) == len(ACTORS), f"{line!r}: {len(codes)} codes for {len(ACTORS)} actors"
        args = () if args == "-" else tuple(args.split(","))
        models = QUESTION_BANK if "{m}" in name else ("",)
        for model in models:
            rows.append(
                Row(
                    name.replace("{m}", model),
                    tuple(arg.replace("{m}", model) for arg in args),
                    tuple(codes),
                )
            )
    return rows


GET_ROWS = parse(GET_TABLE)
POST_ROWS = parse(POST_TABLE)
QUERIES = {
    "q_guidance": lambda w: "?q=guidance",
    "ids_of_x": lambda w: f"?id={w.draft_x.pk}&id={w.guide_x.pk}",
    "children_of_x": lambda w: f"?child_of={w.section_x.pk}",
}


def url_for(world, row):
    args, query = [], ""
    for key in row.args:
        if key in QUERIES:
            query = QUERIES[key](world)
            continue
        value = world.args[key]
        args.extend(value if isinstance(value, tuple) else [value])
    return reverse(row.url_name, args=args) + query


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def outcome(client, response, url):
    """The table's code for a response."""
    if response.status_code not in (301, 302):
        return str(response.status_code)
    location = response["Location"]
    if location.startswith((reverse("account_login"), reverse("admin_login_redirect"))):
        return "log"
    if location == f"/{settings.LANGUAGE_CODE}{url}":
        # LocaleMiddleware's answer to a not-found address outside the language prefix.
        return str(client.get(location).status_code)
    return str(response.status_code)


REFUSED = {"log", "400", "401", "403", "404", "405", "409"}


def ask(world, actor, method, url, data=None, check_unchanged=False, shown_by_design=()):
    """One request, on the world as built (rolled back after): (code, problems)."""
    client = world.clients[actor]
    problems = []
    with transaction.atomic():
        before = world.state() if check_unchanged else None
        response = client.get(url) if method == "get" else client.post(url, data)
        code = outcome(client, response, url)
        if before is not None and world.state() != before:
            problems.append("a refused request changed something")
        content = body(response)
        transaction.set_rollback(True)
    for secret, allowed in SECRETS.items():
        if actor not in allowed and secret not in shown_by_design and secret.encode() in content:
            problems.append(f"shown {secret!r}")
    # Each request stands alone: no language chosen or message left over from the last.
    for cookie in (settings.LANGUAGE_COOKIE_NAME, "messages"):
        client.cookies.pop(cookie, None)
    return code, problems


def check_row(world, row, method):
    url = url_for(world, row)
    data = POST_DATA.get(row.name, lambda w: {})(world) if method == "post" else None
    failures = []
    for actor, expected in zip(ACTORS, row.expected, strict=True):
        code, problems = ask(
            world,
            actor,
            method,
            url,
            data,
            check_unchanged=method == "post" and expected in REFUSED,
            shown_by_design=SHOWN_BY_DESIGN.get(row.url_name, ()),
        )
        if code != expected:
            problems.insert(0, f"expected {expected}, got {code}")
        failures += [f"  {actor}: {problem}" for problem in problems]
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)


@pytest.mark.parametrize("row", GET_ROWS, ids=str)
def test_get(world, db, row):
    # The tests' in-memory storage has no files on disk for Wagtail to stream, so
    # documents are served as with remote storage: by a redirect to the file.
    with override_settings(WAGTAILDOCS_SERVE_METHOD="redirect"):
        check_row(world, row, "get")


@pytest.mark.parametrize("row", POST_ROWS, ids=str)
def test_post(world, db, row):
    check_row(world, row, "post")


# The coverage rule ----------------------------------------------------------------------

PROJECT_PACKAGES = {
    "recognise",
    "courses",
    "quizzes",
    "certificates",
    "cohorts",
    "guidance",
    "reports",
    "xapi",
    "lti",
    "sso",
}


def is_project_module(name):
    return (name or "").split(".")[0] in PROJECT_PACKAGES


def all_url_patterns(resolver=None, namespace=None, module=None):
    """(pattern, full URL name, URL module it is written in, route) for every pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            conf = entry.urlconf_name
            conf_module = conf.__name__ if isinstance(conf, ModuleType) else module
            for pattern, name, where, rest in all_url_patterns(entry, inner, conf_module):
                yield pattern, name, where, route + rest
        else:
            name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
            yield entry, name, module or get_resolver().urlconf_name, route


def project_viewset_namespaces():
    """URL namespaces of the admin viewsets whose class or model is the project's."""
    namespaces = set()
    for viewset in admin_viewsets.viewsets:
        if not getattr(viewset, "name", None):
            continue
        model = getattr(viewset, "model", None)
        app = model._meta.app_config.name if hasattr(model, "_meta") else ""
        if is_project_module(type(viewset).__module__) or is_project_module(app):
            namespaces.add(viewset.url_namespace)
    return namespaces


def project_url_patterns():
    namespaces = project_viewset_namespaces()
    for pattern, name, module, route in all_url_patterns():
        view = getattr(pattern.callback, "view_class", pattern.callback)
        if (
            is_project_module(module)
            or is_project_module(view.__module__)
            or (name or "").split(":")[0] in namespaces
        ):
            yield name, route


def test_every_project_url_has_a_row():
    assert get_resolver().url_patterns  # loading them registers the admin's viewsets
    covered = {row.url_name for row in GET_ROWS + POST_ROWS}
    missing = [
        f"{name or '(no name)'}  /{route}"
        for name, route in project_url_patterns()
        if name not in covered
    ]
    assert not missing, "URL patterns of the project with no row in the access matrix:\n" + (
        "\n".join(missing)
    )


# The guard every staff area shares ----------------------------------------------------

# Admin addresses anyone may open: signing in, Wagtail's password reset (turned off: it
# answers 404, as passwords are reset through allauth) and the admin's script
# translations and icons.
PUBLIC_ADMIN_URLS = {
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


def sample_url(route):
    """An address that the route matches, with a made-up value for each parameter."""
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
    url = re.sub(r"<int:\w+>", "1", url)
    url = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), url)
    url = re.sub(r"<(\w+:)?\w+>", "x", url)
    url = url.replace(r"\.", ".").replace(".*", "x").replace("^", "").replace("$", "")
    return "/" + url


def staff_area_urls():
    for _pattern, name, _module, route in all_url_patterns():
        url = sample_url(route)
        if url.startswith(("/admin/", "/en/trainer/")):
            yield name, url


def test_every_admin_url_is_a_staff_area(world, db):
    """The anonymous are sent to sign in, learners and trainers are refused the admin,
    and staff without a second factor are sent to set one up, at every admin and
    trainer address, whether or not it has a row above."""
    mfa_setup = reverse("mfa_activate_totp")
    failures = []
    for name, url in staff_area_urls():
        trainer_area = url.startswith("/en/trainer/")
        expected = {
            "anon": {"200", "302", "404"} if name in PUBLIC_ADMIN_URLS else {"log"},
            # Refused: by the admin's guard, or by a trainer page (405 for POST-only ones).
            "learner_a": {"403"} if not trainer_area else {"403", "405"},
            "trainer_without_mfa" if trainer_area else "editor_without_mfa": {"mfa"},
        }
        if not trainer_area:
            expected["trainer_x"] = {"403"}
        for actor, wanted in expected.items():
            with transaction.atomic():
                response = world.clients[actor].get(url)
                transaction.set_rollback(True)
            code = outcome(world.clients[actor], response, url)
            if code == "302" and response["Location"] == mfa_setup:
                code = "mfa"
            if code not in wanted:
                failures.append(f"{url} ({name}) {actor}: expected {wanted}, got {code}")
    assert not failures, "\n".join(failures)


# Holes found by the matrix, each shut -------------------------------------------------


def test_a_password_alone_never_signs_staff_in(world, db):
    """Wagtail's own sign-in form for private pages took a password alone, so staff could
    skip their second factor and enter the admin and trainer pages."""
    for actor in ("trainer_x", "editor_x", "superuser"):
        client = Client()
        response = client.post(
            "/en/_util/login/", {"username": world.users[actor].email, "password": PASSWORD}
        )
        assert outcome(client, response, "/en/_util/login/") == "log"
        for url in (reverse("cohorts:overview"), reverse("wagtailadmin_home")):
            assert outcome(client, client.get(url), url) == "log", (actor, url)


def test_joining_a_cohort_never_widens_a_staff_account(world, db):
    """An invitation link, or a trainer typing an address, used to make any account a
    member of the cohort's organisation: another NGO's editor then joined its editors'
    group, and another organisation's trainer saw its cohorts."""
    editor_y, trainer_y = world.users["editor_y"], world.users["trainer_y"]
    join = reverse("cohorts:join", args=[world.link_x.token])
    assert world.clients["editor_y"].post(join).status_code == 302
    assert world.clients["trainer_y"].post(join).status_code == 302
    world.clients["trainer_x"].post(
        reverse("cohorts:members", args=[world.cohort_x.pk]),
        {"action": "addresses", "addresses-addresses": world.users["reviewer"].email},
    )
    assert not Membership.objects.filter(
        organisation=world.org_x, user__in=[editor_y, trainer_y, world.users["reviewer"]]
    ).exists()
    assert not editor_y.groups.filter(name="NGO editors: Organisation X").exists()
    dashboard = reverse("cohorts:dashboard", args=[world.cohort_x.pk])
    assert world.clients["trainer_y"].get(dashboard).status_code == 404
    # Learners still join the organisation with the cohort.
    assert world.clients["learner_b"].post(join).status_code == 302
    assert Membership.objects.filter(
        organisation=world.org_x, user=world.users["learner_b"]
    ).exists()
