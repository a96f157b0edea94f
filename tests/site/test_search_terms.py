from recognise.search_terms import search_terms


def test_search_syntax_is_removed_and_words_kept():
    assert search_terms('"unbalanced (phrase*') == "unbalanced phrase"
    assert search_terms("  county   lines ") == "county lines"
    assert search_terms("ŵŷ") == "ŵŷ"


def test_queries_are_limited_to_200_characters():
    assert len(search_terms("x" * 10_000)) == 200
