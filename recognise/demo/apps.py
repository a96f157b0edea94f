from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site's content, organisations and accounts, loaded by load_demo_data. Its
    passwords are published, so the commands refuse to run unless DEMO_DATA_ALLOWED."""

    name = "recognise.demo"
    label = "demo"
    verbose_name = "Demo data"
