"""One key per mailbox, for the limits that count mail to an address: the variants a mail
provider delivers to one mailbox meet, the addresses it keeps apart stay apart."""

from __future__ import annotations

import pytest

from workflows.mail.addresses import NotAMailbox, mailbox_key


@pytest.mark.parametrize("written", [
    "nan.nhan@gmail.com", "NanNhan@Gmail.com", "n.a.n.n.h.a.n@gmail.com", "nannhan+1@gmail.com",
    "nan.nhan+tin.tuc+2@gmail.com", "Nan.Nhan@googlemail.com", "nannhan+x@GOOGLEMAIL.COM",
    " nannhan@gmail.com "])
def test_gmail_ignores_dots_case_and_tags(written):
    assert mailbox_key(written) == "nannhan@gmail.com"


@pytest.mark.parametrize("written, key", [
    ("Hang.Xom+a@Example.VN", "hang.xom@example.vn"),  # dots count elsewhere, tags do not
    ("hang.xom@example.vn", "hang.xom@example.vn"),
    ("hangxom@example.vn", "hangxom@example.vn"),
    ("thu@bưuđiện.vn", "thu@bưuđiện.vn"),  # an internationalised domain, as stored
    ("thu@XN--BUIN-1UA66GR30M.VN", "thu@bưuđiện.vn"),
])
def test_other_providers_keep_dots_but_not_tags_or_case(written, key):
    assert mailbox_key(written) == key


def test_what_is_no_mailbox_has_no_key():
    for written in ("a@b.vn, c@d.vn", "Tên <a@b.vn>", "", "nannhan"):
        with pytest.raises(NotAMailbox):
            mailbox_key(written)
