"""Reading a Wagtail admin listing as an administrator sees it."""

from bs4 import BeautifulSoup


def listing_row(client, url, name):
    """The text of each cell of the listing's row that mentions `name`."""
    page = BeautifulSoup(client.get(url).content, "html.parser")
    row = next(row for row in page.select("tbody tr") if name in row.get_text())
    return [" ".join(cell.get_text().split()) for cell in row.find_all("td")]


def outbox_columns(row):
    """The waiting and given-up counts, and whether something was ever sent, of a row
    whose last three cells are an outbox's figures."""
    waiting, given_up, last_sent = row[-3:]
    return waiting, given_up, "ago" in last_sent or "now" in last_sent
