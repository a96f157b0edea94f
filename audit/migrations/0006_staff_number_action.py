from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_adjustment_actions'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('auth.sign_in', 'Signed in'), ('auth.sign_in_failed', 'Sign-in failed'), ('auth.mfa_failed', 'Two-factor code rejected'), ('auth.signed_up', 'Account created'), ('auth.password_changed', 'Password changed'), ('mfa.added', 'Two-factor method added'), ('mfa.removed', 'Two-factor method removed'), ('mfa.reset', 'Recovery codes reset'), ('role.added', 'Role given'), ('role.removed', 'Role taken away'), ('membership.added', 'Joined organisation'), ('membership.changed', 'Organisation membership changed'), ('membership.removed', 'Left organisation'), ('membership.staff_number', 'Staff number changed'), ('certificate.issued', 'Certificate issued'), ('certificate.revoked', 'Certificate revoked'), ('cohort.exported', 'Cohort exported'), ('invitation.created', 'Invitation created'), ('invitation.sent', 'Invitation sent'), ('invitation.accepted', 'Invitation accepted'), ('adjustment.set', 'Time adjustment set'), ('adjustment.changed', 'Time adjustment changed'), ('adjustment.removed', 'Time adjustment removed'), ('account.data_exported', 'Personal data downloaded'), ('account.deleted', 'Account deleted')], db_index=True, max_length=40, verbose_name='action'),
        ),
    ]
