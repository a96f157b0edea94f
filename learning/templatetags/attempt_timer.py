from django import template

from learning import attempts

register = template.Library()


@register.filter
def seconds_left(attempt):
    """Whole seconds until the attempt's deadline, or "" when it has no time limit, for
    any attempt layout that shows the countdown."""
    left = attempts.seconds_left(attempt)
    return "" if left is None else left
