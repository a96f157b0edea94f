"""Certificate revocations used to go to Wagtail's log; they now live in the audit log
with every other security event, so earlier ones move across."""

import unicodedata

from django.db import migrations

OLD_ACTION = "recognise.certificate.revoke"


def escape(text):
    """Reasons and names were stored before text was escaped on its way into the log;
    escape them the way audit.records.clean does (a copy, as migrations keep)."""
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
    out = []
    for character in str(text or ""):
        if character in named:
            out.append(named[character])
        elif unicodedata.category(character) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
            code = ord(character)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(character)
    return "".join(out)


def label_for(user, user_id):
    if user is None:
        return f"user {user_id}" if user_id else "System"
    return f"{user.display_name} <{user.email}>" if user.display_name else user.email


def move(apps, schema_editor):
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Certificate = apps.get_model("certificates", "Certificate")
    User = apps.get_model("accounts", "User")
    entries = ModelLogEntry.objects.filter(action=OLD_ACTION)
    for entry in entries.iterator():
        certificate = Certificate.objects.filter(pk=entry.object_id).first()
        user = User.objects.filter(pk=entry.user_id).first() if entry.user_id else None
        reason = escape((entry.data or {}).get("reason", ""))
        if certificate is not None:
            code = "-".join(certificate.code[i : i + 4] for i in range(0, len(certificate.code), 4))
            title = escape(certificate.course_title)
            what = f"Certificate {code} for “{title}” revoked: {reason}"
        else:
            what = f"Certificate {entry.object_id} revoked: {reason}"
        AuditEvent.objects.create(
            timestamp=entry.timestamp,
            action="certificate.revoked",
            actor=user,
            actor_label=escape(label_for(user, entry.user_id))[:300],
            message=what[:500],
            data={"certificate_id": str(entry.object_id), "reason": reason},
        )
    # Wagtail no longer knows this action, and its history report would trip over it.
    entries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("certificates", "0002_publishers_revoke"),
        ("wagtailcore", "0065_log_entry_uuid"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
