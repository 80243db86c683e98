"""A wide table scrolls in its own region, named so a screen reader can say what it holds."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

TABLE = '<table class="govuk-table"><caption>{{ caption }}</caption></table>'


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_the_region_is_named_after_the_tables_caption_and_can_take_focus():
    html = render(
        "{% table_scroll %}" + TABLE + "{% endtable_scroll %}", caption="Plans <b>& costs</b>"
    )
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert 'aria-label="Plans &lt;b&gt;&amp; costs&lt;/b&gt; (scrolls sideways)"' in html
    assert "<b>" not in html  # the caption is escaped, in the label and in the table


def test_a_table_without_a_caption_takes_the_label_given():
    html = render(
        '{% table_scroll "Fees" %}<table class="govuk-table"></table>{% endtable_scroll %}'
    )
    assert 'aria-label="Fees (scrolls sideways)"' in html


def test_a_table_with_neither_caption_nor_label_is_refused():
    with pytest.raises(TemplateSyntaxError):
        render('{% table_scroll %}<table class="govuk-table"></table>{% endtable_scroll %}')
