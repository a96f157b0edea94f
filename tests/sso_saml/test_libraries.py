"""The XML libraries of SAML sign-in load together (pyproject.toml pins them as a pair)."""

import lxml.etree
import xmlsec


def test_lxml_and_xmlsec_are_built_on_the_same_libxml2():
    assert xmlsec.get_libxml_version() == lxml.etree.LIBXML_VERSION
    assert xmlsec.get_libxml_compiled_version() == lxml.etree.LIBXML_COMPILED_VERSION
