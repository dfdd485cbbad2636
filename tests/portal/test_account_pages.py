import pytest

ACCOUNT_PAGES = ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/accounts/sessions/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_account_settings_pages_share_one_navigation(client, make_member, kab_kupang_kominfo, url):
    client.force_login(make_member(kab_kupang_kominfo, role="planner"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="subnav"' in html and all(f'href="{page}"' in html for page in ACCOUNT_PAGES)


@pytest.mark.django_db
def test_the_header_links_the_person_to_their_account_settings(client, make_member, kab_kupang_kominfo):
    client.force_login(make_member(kab_kupang_kominfo, role="planner"))
    html = client.get("/").content.decode()
    assert 'data-test="who" href="/accounts/email/"' in html
    assert "Kabupaten Kupang" in html  # the person's region, under their name
