from core.search_terms import search_terms, without_control_characters


def test_search_syntax_is_removed_and_words_kept():
    assert search_terms('"unbalanced (phrase*') == "unbalanced phrase"
    assert search_terms("  county   lines ") == "county lines"
    assert search_terms("ŵŷ") == "ŵŷ"


def test_queries_are_limited_to_200_characters():
    assert len(search_terms("x" * 10_000)) == 200


def test_control_characters_never_reach_the_search_backend():
    assert search_terms("a\x00b\x07 county\x1blines\x7f") == "ab countylines"
    assert without_control_characters("Intake\x00 26\u0085") == "Intake 26"
