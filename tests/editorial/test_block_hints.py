"""Every field an editor fills in a block has a written label and a hint, so nobody
meets a raw field name ("alt_text*") or has to guess what a field is for."""

import pytest
from django.utils.functional import Promise
from wagtail import blocks

from courses.models import CoursePage, LessonPage
from guidance.models import GuidancePage
from quizzes.models import AssessmentPage

STREAM_FIELDS = [
    (CoursePage, "learning_outcomes"),
    (LessonPage, "body"),
    (LessonPage, "sources"),
    (GuidancePage, "body"),
    (GuidancePage, "sources"),
    (AssessmentPage, "items"),
]


def fields_of(block, path):
    """Each field an editor fills in, with where it is, under a block."""
    if isinstance(block, blocks.ListBlock):
        if not isinstance(block.child_block, blocks.StructBlock):
            yield f"{path} item", block.child_block
        yield from fields_of(block.child_block, f"{path} item")
    elif isinstance(block, (blocks.StructBlock, blocks.StreamBlock)):
        for name, child in block.child_blocks.items():
            if isinstance(block, blocks.StructBlock):
                yield f"{path}.{name}", child
            yield from fields_of(child, f"{path}.{name}")


def hint(block):
    # Field blocks hand their hint to their form field; others keep it in Meta.
    field = getattr(block, "field", None)
    return getattr(block.meta, "help_text", "") or getattr(field, "help_text", "")


def every_field():
    for model, field_name in STREAM_FIELDS:
        stream = model._meta.get_field(field_name).stream_block
        yield from fields_of(stream, f"{model.__name__}.{field_name}")


def test_every_block_field_has_a_written_label_and_a_hint():
    unlabelled, no_hint = [], []
    for path, block in every_field():
        # A label Wagtail made from the field's name is a plain string; ours are
        # translatable.
        if not isinstance(block.label, Promise):
            unlabelled.append(path)
        if not isinstance(block, blocks.ListBlock) and not hint(block):
            no_hint.append(path)
    assert unlabelled == []
    assert no_hint == []


@pytest.mark.parametrize("path_and_block", list(every_field()), ids=lambda item: item[0])
def test_labels_are_in_sentence_case(path_and_block):
    _path, block = path_and_block
    words = str(block.label).split()
    assert all(word == word.lower() or word.isupper() for word in words[1:]), block.label
