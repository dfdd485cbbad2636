import pytest

pytestmark = pytest.mark.django_db


def test_pages_speak_indonesian_whatever_the_browser_prefers(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()
    assert "Masuk" in response.content.decode()


def test_the_switcher_changes_the_language_and_it_sticks(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert '<html lang="en">' in response.content.decode() and "Log in" in response.content.decode()
    assert '<html lang="en">' in client.get("/").content.decode()


def test_a_logged_in_person_keeps_the_language_for_their_e_mails(client, make_member, kab_kupang_kominfo):
    person = make_member(kab_kupang_kominfo, role="planner")
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"


def test_api_clients_may_ask_for_a_language(client):
    response = client.get("/api/agencies/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and "credentials were not provided" in response.json()["detail"]
