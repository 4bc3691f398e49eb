from mocky.platform.links import LinkSigner

AUDIO = LinkSigner("secret", "audio")


def test_a_link_opens_its_own_thing_for_its_subject_until_it_expires():
    token = AUDIO.token("user-1", "clip-a", 1000)
    assert AUDIO.subject("clip-a", token, 999) == "user-1"
    assert AUDIO.subject("clip-a", token, 1001) is None  # expired
    assert AUDIO.subject("clip-b", token, 999) is None  # made for another clip


def test_forged_altered_or_foreign_tokens_open_nothing():
    token = AUDIO.token("user-1", "clip-a", 1000)
    subject, expires, mac = token.split(".")
    assert AUDIO.subject("clip-a", f"user-2.{expires}.{mac}", 0) is None  # someone else's
    assert AUDIO.subject("clip-a", f"{subject}.9999999.{mac}", 0) is None  # extended
    assert AUDIO.subject("clip-a", f"{subject}.{expires}.{'0' * 64}", 0) is None
    assert LinkSigner("other", "audio").subject("clip-a", token, 0) is None  # another secret
    export = LinkSigner("secret", "export")  # same secret, another purpose: its own key
    assert export.subject("clip-a", token, 0) is None
    for odd in ("", "u.²³.x", f"{subject}.{expires}", "é" * 10, f"a b.{expires}.{mac}"):
        assert AUDIO.subject("clip-a", odd, 0) is None
