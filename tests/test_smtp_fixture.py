from django.core.mail import send_mail


def test_mail_reaches_real_local_smtp_server(smtp_inbox):
    send_mail("Ämne", "Hej då åäö", "fran@exempel.se", ["till@exempel.se"])
    assert smtp_inbox.messages[0]["to"] == ["till@exempel.se"]
    assert "Hej då åäö" in smtp_inbox.bodies()[0]
